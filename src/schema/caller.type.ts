import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** A role as the schema names it (`Role` holds the lowercase names tokens and API keys carry). */
export enum CallerRole {
  ADMIN = 'ADMIN',
  VIEWER = 'VIEWER',
  SUBMITTER = 'SUBMITTER',
}

registerEnumType(CallerRole, { name: 'CallerRole', description: 'A role a caller may hold.' });

@ObjectType('Caller', { description: 'Who is calling.' })
export class CallerType {
  @Field(() => String, {
    description: 'The owner id recorded on the jobs the caller enqueues (`jwt:bob`, `key:bob`, `system:dev`).',
  })
  id!: string;

  @Field(() => [CallerRole])
  roles!: CallerRole[];
}
