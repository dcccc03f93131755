import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { JobState } from './enums';
import { DateTimeScalar, JSONScalar } from './scalars';

@ObjectType('JobProgress', { description: 'Progress as a processor reported it; percent is derived from current/total when omitted.' })
export class JobProgressType {
  @Field(() => Float, { nullable: true })
  percent!: number | null;

  @Field(() => Int, { nullable: true })
  current!: number | null;

  @Field(() => Int, { nullable: true })
  total!: number | null;

  @Field(() => String, { nullable: true })
  message!: string | null;

  @Field(() => JSONScalar, { nullable: true })
  data!: unknown;
}

@ObjectType('Job', { description: 'A job: a plain BullMQ job seen through Jobgate.' })
export class JobType {
  @Field(() => ID, { description: 'Opaque and global across queues.' })
  id!: string;

  @Field(() => String, { description: 'The job type, e.g. "importParts".' })
  type!: string;

  @Field(() => String, { description: 'The BullMQ queue name (without key prefix).' })
  queue!: string;

  @Field(() => JobState)
  state!: JobState;

  @Field(() => JSONScalar, { description: 'The data as enqueued.' })
  data!: unknown;

  @Field(() => JobProgressType, { nullable: true })
  progress!: JobProgressType | null;

  @Field(() => JSONScalar, { nullable: true })
  result!: unknown;

  @Field(() => String, { nullable: true })
  failedReason!: string | null;

  @Field(() => Int)
  attemptsMade!: number;

  @Field(() => Int)
  maxAttempts!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: Date | null;
}
