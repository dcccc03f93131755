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

  @Field(() => String, {
    nullable: true,
    description: 'Why the job failed (or was cancelled); null once COMPLETED, even after failed attempts.',
  })
  failedReason!: string | null;

  @Field(() => Int, {
    description:
      "Attempts that ended, failed or completed (BullMQ's attemptsMade): for an ACTIVE job, the attempts before the one running. A stall or a hand-back on shutdown is not an attempt.",
  })
  attemptsMade!: number;

  @Field(() => Int, {
    description:
      'The attempt the job is on, from 1: the one running (ACTIVE), the next to run (waiting, delayed or retrying), or the last that ran (finished; 0 if it never ran). Counted like attemptsMade.',
  })
  attempt!: number;

  @Field(() => Int)
  maxAttempts!: number;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: "When it was asked to run (runAt, or its creation plus delayMs or a schedule's delay); null when it was to run at once.",
  })
  runAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'The instant past which it does not start (options.expiresAt).' })
  expiresAt!: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The worker process that runs or ran its last attempt: `<host>:<pid>` for Jobgate workers (BullMQ processedBy); null before it ran.',
  })
  worker!: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      "Stack traces of its last failed attempts (at most 5, oldest first, each at most 30 lines): the worker's, of what the processor threw. Null when no attempt failed, and once COMPLETED.",
  })
  stacktrace!: string[] | null;
}
