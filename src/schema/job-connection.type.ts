import { Field, Int, ObjectType } from 'type-graphql';
import { JobType } from './job.type';

@ObjectType('JobEdge')
export class JobEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => JobType)
  node!: JobType;
}

@ObjectType('PageInfo')
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('JobConnection', { description: 'A page of jobs (Relay style).' })
export class JobConnection {
  @Field(() => [JobEdge])
  edges!: JobEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}
