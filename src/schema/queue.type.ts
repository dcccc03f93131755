import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from './scalars';

@ObjectType('QueueCounts', { description: 'Jobs of a queue by BullMQ state, and those cancelled.' })
export class QueueCountsType {
  @Field(() => Int)
  waiting!: number;

  @Field(() => Int)
  active!: number;

  @Field(() => Int)
  delayed!: number;

  @Field(() => Int)
  prioritized!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => Int, {
    description:
      'Failed jobs kept; cancelled ones are counted in `cancelled`, not here (BullMQ keeps a job cancelled while active among its failed jobs).',
  })
  failed!: number;

  @Field(() => Int, {
    description: 'Cancelled jobs kept: cancelled while active (kept as long as failed jobs), or before they started (their tombstones).',
  })
  cancelled!: number;

  @Field(() => Int, {
    description: 'Jobs held by a pause: the waiting and prioritized jobs of a paused queue (also counted there); 0 when the queue runs.',
  })
  paused!: number;

  @Field(() => Int)
  waitingChildren!: number;
}

@ObjectType('RateLimit', { description: 'At most `max` jobs of the queue start per `durationMs`, across every worker.' })
export class RateLimitType {
  @Field(() => Int)
  max!: number;

  @Field(() => Int)
  durationMs!: number;
}

@InputType('RateLimitInput', { description: 'At most `max` jobs of the queue start per `durationMs`, across every worker.' })
export class RateLimitInput {
  @Field(() => Int, { description: '1 to 999999.' })
  max!: number;

  @Field(() => Int, { description: '1 to 999999999 ms.' })
  durationMs!: number;
}

@ObjectType('QueueThroughput', {
  description: "Finished jobs, from the per-minute metrics BullMQ workers record (cancelled jobs: from Jobgate's record).",
})
export class QueueThroughputType {
  @Field(() => Int, { description: "Since the queue's metrics began." })
  total!: number;

  @Field(() => [Int], {
    description: 'The last 60 minutes, newest first: the first is the minute in progress, the second the last full minute.',
  })
  perMinute!: number[];
}

@ObjectType('Queue', { description: 'A BullMQ queue and what is in it.' })
export class QueueType {
  @Field(() => String, { description: 'The BullMQ queue name (without key prefix).' })
  name!: string;

  @Field(() => QueueCountsType)
  counts!: QueueCountsType;

  @Field(() => Boolean, { description: 'Workers start no new job from a paused queue.' })
  paused!: boolean;

  @Field(() => RateLimitType, {
    nullable: true,
    description:
      'The rate limit in force for every worker: set by an admin at runtime (setQueueRateLimit), else QUEUE_RATE_LIMITS, else declared on a job type of the queue, as the workers last applied it; null when unlimited.',
  })
  rateLimit!: RateLimitType | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'Jobs of the queue active at once across every worker, at most (BullMQ global concurrency): set by an admin at runtime (setQueueGlobalConcurrency), else QUEUE_GLOBAL_CONCURRENCY; null when uncapped.',
  })
  globalConcurrency!: number | null;

  @Field(() => Boolean, {
    description:
      'Whether rateLimit or globalConcurrency was set at runtime by an admin: workers that start keep it instead of their configuration, until resetQueueLimits.',
  })
  limitsOverridden!: boolean;

  @Field(() => Int, { description: 'Workers connected now: one per worker process serving the queue.' })
  workerCount!: number;

  @Field(() => QueueThroughputType)
  completed!: QueueThroughputType;

  @Field(() => QueueThroughputType, {
    description:
      "Failed jobs, cancelled ones not included (BullMQ's metrics count a job cancelled while active as failed; Jobgate takes those out).",
  })
  failed!: QueueThroughputType;

  @Field(() => QueueThroughputType, {
    description: 'Cancelled jobs, active or not started, as Jobgate records them (BullMQ has no such metric).',
  })
  cancelled!: QueueThroughputType;
}

@ObjectType('QueueWorker', {
  description: 'A worker connected to a queue. BullMQ does not record which jobs a worker holds; see `Queue.activeJobs`.',
})
export class QueueWorkerType {
  @Field(() => String, {
    nullable: true,
    description: "The worker's name (Jobgate workers: `<host>:<pid>`, as `Job.worker` shows it); null for an unnamed BullMQ worker.",
  })
  name!: string | null;

  @Field(() => String, { description: "Its Redis connection's address (`ip:port`)." })
  address!: string;

  @Field(() => Int, { description: 'Seconds since it connected.' })
  ageSeconds!: number;

  @Field(() => Int, { description: 'Seconds since its last Redis command (a worker waiting for jobs grows this).' })
  idleSeconds!: number;
}

@ObjectType('QueueStats', { description: "A queue's counts as of `at` (the `queueStats` subscription)." })
export class QueueStatsType {
  @Field(() => String)
  queue!: string;

  @Field(() => QueueCountsType)
  counts!: QueueCountsType;

  @Field(() => Boolean)
  paused!: boolean;

  @Field(() => DateTimeScalar)
  at!: Date;
}
