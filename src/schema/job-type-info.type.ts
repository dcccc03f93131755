import { Field, ObjectType } from 'type-graphql';
import { JSONScalar } from './scalars';

@ObjectType('JobType', { description: 'A registered job type.' })
export class JobTypeInfo {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The BullMQ queue its jobs go to.' })
  queue!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => String, { description: 'Name of its GraphQL input type, e.g. ImportPartsInput.' })
  inputType!: string;

  @Field(() => JSONScalar, { nullable: true, description: 'Options applied unless the caller overrides them.' })
  defaultOptions!: unknown;
}
