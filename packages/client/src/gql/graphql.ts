/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Delay between attempts; replaces the job type's backoff as a whole. A job type's countdowns per kind of error (code, declared per type) still apply to the errors they name. */
export type BackoffInput = {
  /** The first retry waits this long, ms; EXPONENTIAL doubles it at each further retry. */
  delayMs: number;
  /** From 0 to 1: the random fraction of each delay (Celery retry_jitter). With 0.5 a delay of 10 s is one from 5 to 10 s; 1 is Celery retry_jitter=True. 0 when absent. */
  jitter?: number | null | undefined;
  /** The longest delay, ms (Celery retry_backoff_max): from delayMs to 2147483647, which is also the cap when absent. */
  maxDelayMs?: number | null | undefined;
  type: BackoffType;
};

/** How the delay between attempts grows. */
export type BackoffType =
  | 'EXPONENTIAL'
  | 'FIXED';

/** A role a caller may hold. */
export type CallerRole =
  | 'ADMIN'
  | 'SUBMITTER'
  | 'VIEWER';

/** What a child that fails for good does to its parent (set on the child). */
export type ChildFailurePolicy =
  /** The parent runs once its other children are done, and its processor can read this child's failure. */
  | 'CONTINUE'
  /** The parent never runs and ends FAILED (the default). */
  | 'FAIL_PARENT'
  /** The parent runs once its other children are done, as if this child had not been there. */
  | 'IGNORE';

/** One job of a flow and its children, which all complete before it runs. */
export type FlowInput = {
  /** Jobs of any type and queue that run before this one. */
  children?: Array<FlowInput> | null | undefined;
  data: unknown;
  options?: JobOptionsInput | null | undefined;
  type: string;
};

/** How one attempt of a job ended, or that it runs. */
export type JobAttemptOutcome =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING'
  /** Its worker stopped answering (stalled, crashed): the attempt ran again, or the job failed. */
  | 'STALLED';

/** What happened to a job. SNAPSHOT is sent first (the state when the watch starts). */
export type JobEventType =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'COMPLETED'
  | 'DELAYED'
  | 'FAILED'
  | 'LOG'
  | 'PROGRESS'
  | 'REMOVED'
  | 'RETRYING'
  | 'SNAPSHOT'
  | 'STALLED'
  | 'WAITING';

/** Per-job options; each overrides the job type's default. */
export type JobOptionsInput = {
  /** Attempts in all, 1 to 100. */
  attempts?: number | null | undefined;
  backoff?: BackoffInput | null | undefined;
  /** While a job with this key is not finished, enqueueing again returns it. */
  dedupKey?: string | null | undefined;
  /** Run no earlier than this many ms from now (Celery countdown): at most 2147483647 (a GraphQL Int, about 24.8 days); give runAt for later. Exclusive with runAt. */
  delayMs?: number | null | undefined;
  /** Do not start after this instant (Celery expires): an attempt a worker picks up later is not run, and the job ends FAILED with a reason starting "expired", without retry. After runAt or delayMs, and in the future. */
  expiresAt?: string | null | undefined;
  /** Only on a child of a flow: what its failure does to its parent. FAIL_PARENT when absent. */
  onChildFailure?: ChildFailurePolicy | null | undefined;
  /** 1 is the highest priority, 2097152 the lowest; 0 or absent: none. */
  priority?: number | null | undefined;
  /** Another queue than the job type's own, among the extra queues its definition allows (Celery apply_async(queue=…)); BAD_USER_INPUT for any other. Its own queue when absent. */
  queue?: string | null | undefined;
  /** Remove the job this many seconds after it completes. */
  removeOnCompleteAfterSeconds?: number | null | undefined;
  /** Run no earlier than this instant (Celery eta), at most 365 days ahead; one in the past runs at once. Exclusive with delayMs. */
  runAt?: string | null | undefined;
};

/** Where a job is in its life. */
export type JobState =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'COMPLETED'
  | 'DELAYED'
  | 'FAILED'
  | 'PRIORITIZED'
  | 'UNKNOWN'
  | 'WAITING'
  | 'WAITING_CHILDREN';

/** At most `max` jobs of the queue start per `durationMs`, across every worker. */
export type RateLimitInput = {
  /** 1 to 999999999 ms. */
  durationMs: number;
  /** 1 to 999999. */
  max: number;
};

/** A schedule to create or replace: exactly one of cron and everyMs. */
export type ScheduleInput = {
  /** Cron pattern, e.g. "0 2 * * *". */
  cron?: string | null | undefined;
  /** Data of each job, validated like an enqueue. */
  data?: unknown;
  /** Interval in ms (at least 1000). */
  everyMs?: number | null | undefined;
  id: string | number;
  /** IANA time zone of the cron pattern; SCHEDULE_TZ by default. */
  timeZone?: string | null | undefined;
  type: string;
};

/** What happened to a worker process. */
export type WorkerEventKind =
  | 'HEARTBEAT'
  | 'LOST'
  | 'OFFLINE'
  | 'ONLINE';

/** Whether a worker process still heartbeats. */
export type WorkerStatus =
  | 'LOST'
  | 'ONLINE';

/** An enum describing what kind of type a given `__Type` is. */
export type __TypeKind =
  /** Indicates this type is a scalar. */
  | 'SCALAR'
  /** Indicates this type is an object. `fields` and `interfaces` are valid fields. */
  | 'OBJECT'
  /** Indicates this type is an interface. `fields`, `interfaces`, and `possibleTypes` are valid fields. */
  | 'INTERFACE'
  /** Indicates this type is a union. `possibleTypes` is a valid field. */
  | 'UNION'
  /** Indicates this type is an enum. `enumValues` is a valid field. */
  | 'ENUM'
  /** Indicates this type is an input object. `inputFields` is a valid field. */
  | 'INPUT_OBJECT'
  /** Indicates this type is a list. `ofType` is a valid field. */
  | 'LIST'
  /** Indicates this type is a non-null. `ofType` is a valid field. */
  | 'NON_NULL';

export type JobFieldsFragment = { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null };

export type FlowProgressFieldsFragment = { total: number, waiting: number, active: number, completed: number, failed: number, cancelled: number, percent: number };

export type EnqueueJobMutationVariables = Exact<{
  type: string;
  data: unknown;
  options?: JobOptionsInput | null | undefined;
}>;


export type EnqueueJobMutation = { enqueue: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, flow: { total: number, waiting: number, active: number, completed: number, failed: number, cancelled: number, percent: number } | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } };

export type EnqueueFlowMutationVariables = Exact<{
  flow: FlowInput;
}>;


export type EnqueueFlowMutation = { enqueueFlow: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, flow: { total: number, waiting: number, active: number, completed: number, failed: number, cancelled: number, percent: number } | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } };

export type CancelJobMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelJobMutation = { cancelJob: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } };

export type RetryJobMutationVariables = Exact<{
  id: string | number;
}>;


export type RetryJobMutation = { retryJob: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } };

export type JobEventsSubscriptionVariables = Exact<{
  id: string | number;
  since?: string | null | undefined;
  withLogs?: boolean;
}>;


export type JobEventsSubscription = { jobEvents: { type: JobEventType, cursor: string, at: string, gap: boolean, log: string | null, job: { logs?: Array<string>, id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } } };

export type FlowEventsSubscriptionVariables = Exact<{
  id: string | number;
  since?: string | null | undefined;
}>;


export type FlowEventsSubscription = { flowEvents: { type: JobEventType, cursor: string, at: string, gap: boolean, log: string | null, flow: { total: number, waiting: number, active: number, completed: number, failed: number, cancelled: number, percent: number } | null, job: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, parent: { id: string } | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } } };

export type JobQueryVariables = Exact<{
  id: string | number;
}>;


export type JobQuery = { job: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } | null };

export type JobsQueryVariables = Exact<{
  queue: string;
  states?: Array<JobState> | JobState | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type JobsQuery = { jobs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, type: string, queue: string, state: JobState, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, finishedAt: string | null, progress: { percent: number | null } | null } }> } };

export type QueuesQueryVariables = Exact<{ [key: string]: never; }>;


export type QueuesQuery = { queues: Array<{ name: string, paused: boolean, counts: { waiting: number, active: number, delayed: number, prioritized: number, completed: number, failed: number, cancelled: number, paused: number } }> };

export type WorkersQueryVariables = Exact<{
  queue: string;
}>;


export type WorkersQuery = { workers: Array<{ name: string | null, address: string, ageSeconds: number, idleSeconds: number }> };

export type SchedulesQueryVariables = Exact<{ [key: string]: never; }>;


export type SchedulesQuery = { schedules: Array<{ id: string, type: string, queue: string, cron: string | null, everyMs: number | null, timeZone: string | null, nextRunAt: string | null, lastJobId: string | null }> };

export type QueueStatsSubscriptionVariables = Exact<{
  queue: string;
}>;


export type QueueStatsSubscription = { queueStats: { queue: string, paused: boolean, counts: { waiting: number, active: number, delayed: number, prioritized: number, completed: number, failed: number, paused: number } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, roles: Array<CallerRole> } };

export type JobPageQueryVariables = Exact<{
  id: string | number;
}>;


export type JobPageQuery = { job: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, stacktrace: Array<string> | null, attempt: number, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, runAt: string | null, expiresAt: string | null, nextRetryAt: string | null, worker: string | null, owner: string | null, options: unknown, canControl: boolean, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null, logEntries: Array<{ at: string | null, attempt: number | null, message: string }>, attempts: Array<{ number: number, startedAt: string | null, finishedAt: string | null, outcome: JobAttemptOutcome, error: string | null }>, parent: { id: string, type: string, state: JobState } | null, children: { totalCount: number, edges: Array<{ node: { id: string, type: string, state: JobState } }> } } | null };

export type JobPageEventsSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type JobPageEventsSubscription = { jobEvents: { type: JobEventType, at: string, log: string | null, job: { id: string, state: JobState, attempt: number, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } } };

export type JobPageCancelMutationVariables = Exact<{
  id: string | number;
}>;


export type JobPageCancelMutation = { cancelJob: { id: string, state: JobState } };

export type JobPageRetryMutationVariables = Exact<{
  id: string | number;
}>;


export type JobPageRetryMutation = { retryJob: { id: string, state: JobState } };

export type JobPagePromoteMutationVariables = Exact<{
  id: string | number;
}>;


export type JobPagePromoteMutation = { promoteJob: { id: string, state: JobState } };

export type JobPageRemoveMutationVariables = Exact<{
  id: string | number;
}>;


export type JobPageRemoveMutation = { removeJob: { id: string } };

export type JobRowFieldsFragment = { id: string, type: string, queue: string, state: JobState, attempt: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, canControl: boolean, progress: { percent: number | null } | null };

export type RecentJobsQueryVariables = Exact<{
  queue?: string | null | undefined;
  states?: Array<JobState> | JobState | null | undefined;
  type?: string | null | undefined;
  first: number;
  after?: string | null | undefined;
}>;


export type RecentJobsQuery = { recentJobs: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, type: string, queue: string, state: JobState, attempt: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, canControl: boolean, progress: { percent: number | null } | null } }> } };

export type JobsListEventsSubscriptionVariables = Exact<{
  queue: string;
}>;


export type JobsListEventsSubscription = { queueEvents: { type: JobEventType, at: string, job: { id: string, type: string, queue: string, state: JobState, attempt: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, canControl: boolean, progress: { percent: number | null } | null } } };

export type JobsListTypesQueryVariables = Exact<{ [key: string]: never; }>;


export type JobsListTypesQuery = { jobTypes: Array<{ name: string, queue: string }> };

export type JobsListQueuesQueryVariables = Exact<{ [key: string]: never; }>;


export type JobsListQueuesQuery = { queues: Array<{ name: string }> };

export type CancelJobRowMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelJobRowMutation = { cancelJob: { id: string, type: string, queue: string, state: JobState, attempt: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, canControl: boolean, progress: { percent: number | null } | null } };

export type RetryJobRowMutationVariables = Exact<{
  id: string | number;
}>;


export type RetryJobRowMutation = { retryJob: { id: string, type: string, queue: string, state: JobState, attempt: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, canControl: boolean, progress: { percent: number | null } | null } };

export type PromoteJobRowMutationVariables = Exact<{
  id: string | number;
}>;


export type PromoteJobRowMutation = { promoteJob: { id: string, type: string, queue: string, state: JobState, attempt: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, canControl: boolean, progress: { percent: number | null } | null } };

export type RemoveJobRowMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveJobRowMutation = { removeJob: { id: string, type: string, queue: string, state: JobState, attempt: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, canControl: boolean, progress: { percent: number | null } | null } };

export type ConsoleQueueCountsFragment = { waiting: number, active: number, delayed: number, prioritized: number, waitingChildren: number, completed: number, failed: number, cancelled: number, paused: number };

export type ConsoleQueuesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleQueuesQuery = { queues: Array<{ name: string, paused: boolean, workerCount: number, counts: { waiting: number, active: number, delayed: number, prioritized: number, waitingChildren: number, completed: number, failed: number, cancelled: number, paused: number }, completed: { perMinute: Array<number> }, failed: { perMinute: Array<number> } }> };

export type ConsoleQueueQueryVariables = Exact<{
  name: string;
}>;


export type ConsoleQueueQuery = { queue: { name: string, paused: boolean, workerCount: number, globalConcurrency: number | null, limitsOverridden: boolean, rateLimit: { max: number, durationMs: number } | null, counts: { waiting: number, active: number, delayed: number, prioritized: number, waitingChildren: number, completed: number, failed: number, cancelled: number, paused: number }, completed: { total: number, perMinute: Array<number> }, failed: { total: number, perMinute: Array<number> }, activeJobs: Array<{ id: string, type: string, state: JobState, worker: string | null, startedAt: string | null }> }, workers: Array<{ name: string | null, address: string, ageSeconds: number, idleSeconds: number }> };

export type ConsoleQueueStatsSubscriptionVariables = Exact<{
  queue: string;
}>;


export type ConsoleQueueStatsSubscription = { queueStats: { queue: string, paused: boolean, at: string, counts: { waiting: number, active: number, delayed: number, prioritized: number, waitingChildren: number, completed: number, failed: number, cancelled: number, paused: number } } };

export type ConsolePauseQueueMutationVariables = Exact<{
  queue: string;
}>;


export type ConsolePauseQueueMutation = { pauseQueue: boolean };

export type ConsoleResumeQueueMutationVariables = Exact<{
  queue: string;
}>;


export type ConsoleResumeQueueMutation = { resumeQueue: boolean };

export type ConsoleDrainQueueMutationVariables = Exact<{
  queue: string;
  delayed: boolean;
}>;


export type ConsoleDrainQueueMutation = { drainQueue: boolean };

export type ConsoleCleanQueueMutationVariables = Exact<{
  queue: string;
  state: JobState;
  olderThanSeconds: number;
}>;


export type ConsoleCleanQueueMutation = { cleanQueue: number };

export type ConsoleRetryFailedMutationVariables = Exact<{
  queue: string;
}>;


export type ConsoleRetryFailedMutation = { retryFailed: number };

export type ConsoleSetQueueRateLimitMutationVariables = Exact<{
  queue: string;
  rateLimit?: RateLimitInput | null | undefined;
}>;


export type ConsoleSetQueueRateLimitMutation = { setQueueRateLimit: { name: string } };

export type ConsoleSetQueueGlobalConcurrencyMutationVariables = Exact<{
  queue: string;
  concurrency?: number | null | undefined;
}>;


export type ConsoleSetQueueGlobalConcurrencyMutation = { setQueueGlobalConcurrency: { name: string } };

export type ConsoleResetQueueLimitsMutationVariables = Exact<{
  queue: string;
}>;


export type ConsoleResetQueueLimitsMutation = { resetQueueLimits: { name: string } };

export type ConsoleSchedulesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleSchedulesQuery = { schedules: Array<{ id: string, type: string, queue: string, cron: string | null, everyMs: number | null, timeZone: string | null, data: unknown, nextRunAt: string | null, lastJobId: string | null }>, jobTypes: Array<{ name: string, queue: string }> };

export type ConsoleScheduleLastJobQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsoleScheduleLastJobQuery = { job: { id: string, state: JobState } | null };

export type ConsoleUpsertScheduleMutationVariables = Exact<{
  schedule: ScheduleInput;
}>;


export type ConsoleUpsertScheduleMutation = { upsertSchedule: { id: string } };

export type ConsoleRemoveScheduleMutationVariables = Exact<{
  id: string | number;
}>;


export type ConsoleRemoveScheduleMutation = { removeSchedule: boolean };

export type ConsoleWorkerProcessFragment = { id: string, host: string, pid: number, queues: Array<string>, concurrency: number, startedAt: string, uptimeSeconds: number, lastHeartbeatAt: string, status: WorkerStatus, processed: number, failed: number, cpuPercent: number, rssBytes: number, activeJobs: Array<{ id: string, queue: string }> };

export type ConsoleWorkerProcessesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleWorkerProcessesQuery = { workerProcesses: Array<{ id: string, host: string, pid: number, queues: Array<string>, concurrency: number, startedAt: string, uptimeSeconds: number, lastHeartbeatAt: string, status: WorkerStatus, processed: number, failed: number, cpuPercent: number, rssBytes: number, activeJobs: Array<{ id: string, queue: string }> }> };

export type ConsoleWorkerEventsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ConsoleWorkerEventsSubscription = { workerEvents: { kind: WorkerEventKind, at: string, worker: { id: string, host: string, pid: number, queues: Array<string>, concurrency: number, startedAt: string, uptimeSeconds: number, lastHeartbeatAt: string, status: WorkerStatus, processed: number, failed: number, cpuPercent: number, rssBytes: number, activeJobs: Array<{ id: string, queue: string }> } } };

export type JobTypesQueryVariables = Exact<{ [key: string]: never; }>;


export type JobTypesQuery = { jobTypes: Array<{ name: string, queue: string, description: string | null, inputType: string }> };

export type InputTypeFieldsQueryVariables = Exact<{
  name: string;
}>;


export type InputTypeFieldsQuery = { __type: { name: string | null, description: string | null, inputFields: Array<{ name: string, description: string | null, defaultValue: string | null, type: { kind: __TypeKind, name: string | null, enumValues: Array<{ name: string }> | null, ofType: { kind: __TypeKind, name: string | null, enumValues: Array<{ name: string }> | null } | null } }> | null } | null };

export type FlowChildrenQueryVariables = Exact<{
  id: string | number;
  after?: string | null | undefined;
}>;


export type FlowChildrenQuery = { job: { id: string, flow: { total: number, waiting: number, active: number, completed: number, failed: number, cancelled: number, percent: number } | null, children: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, type: string, queue: string, state: JobState, data: unknown, result: unknown, failedReason: string | null, attemptsMade: number, maxAttempts: number, createdAt: string, startedAt: string | null, finishedAt: string | null, parent: { id: string } | null, flow: { total: number } | null, progress: { percent: number | null, current: number | null, total: number | null, message: string | null } | null } }> } } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const JobFieldsFragmentDoc = new TypedDocumentString(`
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}
    `, {"fragmentName":"JobFields"}) as unknown as TypedDocumentString<JobFieldsFragment, unknown>;
export const FlowProgressFieldsFragmentDoc = new TypedDocumentString(`
    fragment FlowProgressFields on FlowProgress {
  total
  waiting
  active
  completed
  failed
  cancelled
  percent
}
    `, {"fragmentName":"FlowProgressFields"}) as unknown as TypedDocumentString<FlowProgressFieldsFragment, unknown>;
export const JobRowFieldsFragmentDoc = new TypedDocumentString(`
    fragment JobRowFields on Job {
  id
  type
  queue
  state
  progress {
    percent
  }
  attempt
  maxAttempts
  createdAt
  startedAt
  finishedAt
  canControl
}
    `, {"fragmentName":"JobRowFields"}) as unknown as TypedDocumentString<JobRowFieldsFragment, unknown>;
export const ConsoleQueueCountsFragmentDoc = new TypedDocumentString(`
    fragment ConsoleQueueCounts on QueueCounts {
  waiting
  active
  delayed
  prioritized
  waitingChildren
  completed
  failed
  cancelled
  paused
}
    `, {"fragmentName":"ConsoleQueueCounts"}) as unknown as TypedDocumentString<ConsoleQueueCountsFragment, unknown>;
export const ConsoleWorkerProcessFragmentDoc = new TypedDocumentString(`
    fragment ConsoleWorkerProcess on WorkerProcess {
  id
  host
  pid
  queues
  concurrency
  startedAt
  uptimeSeconds
  lastHeartbeatAt
  status
  activeJobs {
    id
    queue
  }
  processed
  failed
  cpuPercent
  rssBytes
}
    `, {"fragmentName":"ConsoleWorkerProcess"}) as unknown as TypedDocumentString<ConsoleWorkerProcessFragment, unknown>;
export const EnqueueJobDocument = new TypedDocumentString(`
    mutation EnqueueJob($type: String!, $data: JSON!, $options: JobOptionsInput) {
  enqueue(type: $type, data: $data, options: $options) {
    ...JobFields
    flow {
      ...FlowProgressFields
    }
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}
fragment FlowProgressFields on FlowProgress {
  total
  waiting
  active
  completed
  failed
  cancelled
  percent
}`) as unknown as TypedDocumentString<EnqueueJobMutation, EnqueueJobMutationVariables>;
export const EnqueueFlowDocument = new TypedDocumentString(`
    mutation EnqueueFlow($flow: FlowInput!) {
  enqueueFlow(flow: $flow) {
    ...JobFields
    flow {
      ...FlowProgressFields
    }
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}
fragment FlowProgressFields on FlowProgress {
  total
  waiting
  active
  completed
  failed
  cancelled
  percent
}`) as unknown as TypedDocumentString<EnqueueFlowMutation, EnqueueFlowMutationVariables>;
export const CancelJobDocument = new TypedDocumentString(`
    mutation CancelJob($id: ID!) {
  cancelJob(id: $id) {
    ...JobFields
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}`) as unknown as TypedDocumentString<CancelJobMutation, CancelJobMutationVariables>;
export const RetryJobDocument = new TypedDocumentString(`
    mutation RetryJob($id: ID!) {
  retryJob(id: $id) {
    ...JobFields
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}`) as unknown as TypedDocumentString<RetryJobMutation, RetryJobMutationVariables>;
export const JobEventsDocument = new TypedDocumentString(`
    subscription JobEvents($id: ID!, $since: String, $withLogs: Boolean! = false) {
  jobEvents(id: $id, since: $since) {
    type
    cursor
    at
    gap
    log
    job {
      ...JobFields
      logs(last: 50) @include(if: $withLogs)
    }
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}`) as unknown as TypedDocumentString<JobEventsSubscription, JobEventsSubscriptionVariables>;
export const FlowEventsDocument = new TypedDocumentString(`
    subscription FlowEvents($id: ID!, $since: String) {
  flowEvents(id: $id, since: $since) {
    type
    cursor
    at
    gap
    log
    flow {
      ...FlowProgressFields
    }
    job {
      ...JobFields
      parent {
        id
      }
    }
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}
fragment FlowProgressFields on FlowProgress {
  total
  waiting
  active
  completed
  failed
  cancelled
  percent
}`) as unknown as TypedDocumentString<FlowEventsSubscription, FlowEventsSubscriptionVariables>;
export const JobDocument = new TypedDocumentString(`
    query Job($id: ID!) {
  job(id: $id) {
    ...JobFields
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}`) as unknown as TypedDocumentString<JobQuery, JobQueryVariables>;
export const JobsDocument = new TypedDocumentString(`
    query Jobs($queue: String!, $states: [JobState!], $first: Int!, $after: String) {
  jobs(queue: $queue, states: $states, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        id
        type
        queue
        state
        progress {
          percent
        }
        failedReason
        attemptsMade
        maxAttempts
        createdAt
        finishedAt
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobsQuery, JobsQueryVariables>;
export const QueuesDocument = new TypedDocumentString(`
    query Queues {
  queues {
    name
    paused
    counts {
      waiting
      active
      delayed
      prioritized
      completed
      failed
      cancelled
      paused
    }
  }
}
    `) as unknown as TypedDocumentString<QueuesQuery, QueuesQueryVariables>;
export const WorkersDocument = new TypedDocumentString(`
    query Workers($queue: String!) {
  workers(queue: $queue) {
    name
    address
    ageSeconds
    idleSeconds
  }
}
    `) as unknown as TypedDocumentString<WorkersQuery, WorkersQueryVariables>;
export const SchedulesDocument = new TypedDocumentString(`
    query Schedules {
  schedules {
    id
    type
    queue
    cron
    everyMs
    timeZone
    nextRunAt
    lastJobId
  }
}
    `) as unknown as TypedDocumentString<SchedulesQuery, SchedulesQueryVariables>;
export const QueueStatsDocument = new TypedDocumentString(`
    subscription QueueStats($queue: String!) {
  queueStats(queue: $queue) {
    queue
    paused
    counts {
      waiting
      active
      delayed
      prioritized
      completed
      failed
      paused
    }
  }
}
    `) as unknown as TypedDocumentString<QueueStatsSubscription, QueueStatsSubscriptionVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    roles
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const JobPageDocument = new TypedDocumentString(`
    query JobPage($id: ID!) {
  job(id: $id) {
    id
    type
    queue
    state
    data
    result
    failedReason
    stacktrace
    attempt
    attemptsMade
    maxAttempts
    createdAt
    startedAt
    finishedAt
    runAt
    expiresAt
    nextRetryAt
    worker
    owner
    options
    canControl
    progress {
      percent
      current
      total
      message
    }
    logEntries(last: 500) {
      at
      attempt
      message
    }
    attempts {
      number
      startedAt
      finishedAt
      outcome
      error
    }
    parent {
      id
      type
      state
    }
    children(first: 100) {
      totalCount
      edges {
        node {
          id
          type
          state
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobPageQuery, JobPageQueryVariables>;
export const JobPageEventsDocument = new TypedDocumentString(`
    subscription JobPageEvents($id: ID!) {
  jobEvents(id: $id) {
    type
    at
    log
    job {
      id
      state
      attempt
      progress {
        percent
        current
        total
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<JobPageEventsSubscription, JobPageEventsSubscriptionVariables>;
export const JobPageCancelDocument = new TypedDocumentString(`
    mutation JobPageCancel($id: ID!) {
  cancelJob(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<JobPageCancelMutation, JobPageCancelMutationVariables>;
export const JobPageRetryDocument = new TypedDocumentString(`
    mutation JobPageRetry($id: ID!) {
  retryJob(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<JobPageRetryMutation, JobPageRetryMutationVariables>;
export const JobPagePromoteDocument = new TypedDocumentString(`
    mutation JobPagePromote($id: ID!) {
  promoteJob(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<JobPagePromoteMutation, JobPagePromoteMutationVariables>;
export const JobPageRemoveDocument = new TypedDocumentString(`
    mutation JobPageRemove($id: ID!) {
  removeJob(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<JobPageRemoveMutation, JobPageRemoveMutationVariables>;
export const RecentJobsDocument = new TypedDocumentString(`
    query RecentJobs($queue: String, $states: [JobState!], $type: String, $first: Int!, $after: String) {
  recentJobs(
    queue: $queue
    states: $states
    type: $type
    first: $first
    after: $after
  ) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...JobRowFields
      }
    }
  }
}
    fragment JobRowFields on Job {
  id
  type
  queue
  state
  progress {
    percent
  }
  attempt
  maxAttempts
  createdAt
  startedAt
  finishedAt
  canControl
}`) as unknown as TypedDocumentString<RecentJobsQuery, RecentJobsQueryVariables>;
export const JobsListEventsDocument = new TypedDocumentString(`
    subscription JobsListEvents($queue: String!) {
  queueEvents(queue: $queue) {
    type
    at
    job {
      ...JobRowFields
    }
  }
}
    fragment JobRowFields on Job {
  id
  type
  queue
  state
  progress {
    percent
  }
  attempt
  maxAttempts
  createdAt
  startedAt
  finishedAt
  canControl
}`) as unknown as TypedDocumentString<JobsListEventsSubscription, JobsListEventsSubscriptionVariables>;
export const JobsListTypesDocument = new TypedDocumentString(`
    query JobsListTypes {
  jobTypes {
    name
    queue
  }
}
    `) as unknown as TypedDocumentString<JobsListTypesQuery, JobsListTypesQueryVariables>;
export const JobsListQueuesDocument = new TypedDocumentString(`
    query JobsListQueues {
  queues {
    name
  }
}
    `) as unknown as TypedDocumentString<JobsListQueuesQuery, JobsListQueuesQueryVariables>;
export const CancelJobRowDocument = new TypedDocumentString(`
    mutation CancelJobRow($id: ID!) {
  cancelJob(id: $id) {
    ...JobRowFields
  }
}
    fragment JobRowFields on Job {
  id
  type
  queue
  state
  progress {
    percent
  }
  attempt
  maxAttempts
  createdAt
  startedAt
  finishedAt
  canControl
}`) as unknown as TypedDocumentString<CancelJobRowMutation, CancelJobRowMutationVariables>;
export const RetryJobRowDocument = new TypedDocumentString(`
    mutation RetryJobRow($id: ID!) {
  retryJob(id: $id) {
    ...JobRowFields
  }
}
    fragment JobRowFields on Job {
  id
  type
  queue
  state
  progress {
    percent
  }
  attempt
  maxAttempts
  createdAt
  startedAt
  finishedAt
  canControl
}`) as unknown as TypedDocumentString<RetryJobRowMutation, RetryJobRowMutationVariables>;
export const PromoteJobRowDocument = new TypedDocumentString(`
    mutation PromoteJobRow($id: ID!) {
  promoteJob(id: $id) {
    ...JobRowFields
  }
}
    fragment JobRowFields on Job {
  id
  type
  queue
  state
  progress {
    percent
  }
  attempt
  maxAttempts
  createdAt
  startedAt
  finishedAt
  canControl
}`) as unknown as TypedDocumentString<PromoteJobRowMutation, PromoteJobRowMutationVariables>;
export const RemoveJobRowDocument = new TypedDocumentString(`
    mutation RemoveJobRow($id: ID!) {
  removeJob(id: $id) {
    ...JobRowFields
  }
}
    fragment JobRowFields on Job {
  id
  type
  queue
  state
  progress {
    percent
  }
  attempt
  maxAttempts
  createdAt
  startedAt
  finishedAt
  canControl
}`) as unknown as TypedDocumentString<RemoveJobRowMutation, RemoveJobRowMutationVariables>;
export const ConsoleQueuesDocument = new TypedDocumentString(`
    query ConsoleQueues {
  queues {
    name
    paused
    workerCount
    counts {
      ...ConsoleQueueCounts
    }
    completed {
      perMinute
    }
    failed {
      perMinute
    }
  }
}
    fragment ConsoleQueueCounts on QueueCounts {
  waiting
  active
  delayed
  prioritized
  waitingChildren
  completed
  failed
  cancelled
  paused
}`) as unknown as TypedDocumentString<ConsoleQueuesQuery, ConsoleQueuesQueryVariables>;
export const ConsoleQueueDocument = new TypedDocumentString(`
    query ConsoleQueue($name: String!) {
  queue(name: $name) {
    name
    paused
    workerCount
    globalConcurrency
    limitsOverridden
    rateLimit {
      max
      durationMs
    }
    counts {
      ...ConsoleQueueCounts
    }
    completed {
      total
      perMinute
    }
    failed {
      total
      perMinute
    }
    activeJobs(first: 20) {
      id
      type
      state
      worker
      startedAt
    }
  }
  workers(queue: $name) {
    name
    address
    ageSeconds
    idleSeconds
  }
}
    fragment ConsoleQueueCounts on QueueCounts {
  waiting
  active
  delayed
  prioritized
  waitingChildren
  completed
  failed
  cancelled
  paused
}`) as unknown as TypedDocumentString<ConsoleQueueQuery, ConsoleQueueQueryVariables>;
export const ConsoleQueueStatsDocument = new TypedDocumentString(`
    subscription ConsoleQueueStats($queue: String!) {
  queueStats(queue: $queue) {
    queue
    paused
    at
    counts {
      ...ConsoleQueueCounts
    }
  }
}
    fragment ConsoleQueueCounts on QueueCounts {
  waiting
  active
  delayed
  prioritized
  waitingChildren
  completed
  failed
  cancelled
  paused
}`) as unknown as TypedDocumentString<ConsoleQueueStatsSubscription, ConsoleQueueStatsSubscriptionVariables>;
export const ConsolePauseQueueDocument = new TypedDocumentString(`
    mutation ConsolePauseQueue($queue: String!) {
  pauseQueue(queue: $queue)
}
    `) as unknown as TypedDocumentString<ConsolePauseQueueMutation, ConsolePauseQueueMutationVariables>;
export const ConsoleResumeQueueDocument = new TypedDocumentString(`
    mutation ConsoleResumeQueue($queue: String!) {
  resumeQueue(queue: $queue)
}
    `) as unknown as TypedDocumentString<ConsoleResumeQueueMutation, ConsoleResumeQueueMutationVariables>;
export const ConsoleDrainQueueDocument = new TypedDocumentString(`
    mutation ConsoleDrainQueue($queue: String!, $delayed: Boolean!) {
  drainQueue(queue: $queue, delayed: $delayed)
}
    `) as unknown as TypedDocumentString<ConsoleDrainQueueMutation, ConsoleDrainQueueMutationVariables>;
export const ConsoleCleanQueueDocument = new TypedDocumentString(`
    mutation ConsoleCleanQueue($queue: String!, $state: JobState!, $olderThanSeconds: Int!) {
  cleanQueue(queue: $queue, state: $state, olderThanSeconds: $olderThanSeconds)
}
    `) as unknown as TypedDocumentString<ConsoleCleanQueueMutation, ConsoleCleanQueueMutationVariables>;
export const ConsoleRetryFailedDocument = new TypedDocumentString(`
    mutation ConsoleRetryFailed($queue: String!) {
  retryFailed(queue: $queue)
}
    `) as unknown as TypedDocumentString<ConsoleRetryFailedMutation, ConsoleRetryFailedMutationVariables>;
export const ConsoleSetQueueRateLimitDocument = new TypedDocumentString(`
    mutation ConsoleSetQueueRateLimit($queue: String!, $rateLimit: RateLimitInput) {
  setQueueRateLimit(queue: $queue, rateLimit: $rateLimit) {
    name
  }
}
    `) as unknown as TypedDocumentString<ConsoleSetQueueRateLimitMutation, ConsoleSetQueueRateLimitMutationVariables>;
export const ConsoleSetQueueGlobalConcurrencyDocument = new TypedDocumentString(`
    mutation ConsoleSetQueueGlobalConcurrency($queue: String!, $concurrency: Int) {
  setQueueGlobalConcurrency(queue: $queue, concurrency: $concurrency) {
    name
  }
}
    `) as unknown as TypedDocumentString<ConsoleSetQueueGlobalConcurrencyMutation, ConsoleSetQueueGlobalConcurrencyMutationVariables>;
export const ConsoleResetQueueLimitsDocument = new TypedDocumentString(`
    mutation ConsoleResetQueueLimits($queue: String!) {
  resetQueueLimits(queue: $queue) {
    name
  }
}
    `) as unknown as TypedDocumentString<ConsoleResetQueueLimitsMutation, ConsoleResetQueueLimitsMutationVariables>;
export const ConsoleSchedulesDocument = new TypedDocumentString(`
    query ConsoleSchedules {
  schedules {
    id
    type
    queue
    cron
    everyMs
    timeZone
    data
    nextRunAt
    lastJobId
  }
  jobTypes {
    name
    queue
  }
}
    `) as unknown as TypedDocumentString<ConsoleSchedulesQuery, ConsoleSchedulesQueryVariables>;
export const ConsoleScheduleLastJobDocument = new TypedDocumentString(`
    query ConsoleScheduleLastJob($id: ID!) {
  job(id: $id) {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ConsoleScheduleLastJobQuery, ConsoleScheduleLastJobQueryVariables>;
export const ConsoleUpsertScheduleDocument = new TypedDocumentString(`
    mutation ConsoleUpsertSchedule($schedule: ScheduleInput!) {
  upsertSchedule(schedule: $schedule) {
    id
  }
}
    `) as unknown as TypedDocumentString<ConsoleUpsertScheduleMutation, ConsoleUpsertScheduleMutationVariables>;
export const ConsoleRemoveScheduleDocument = new TypedDocumentString(`
    mutation ConsoleRemoveSchedule($id: ID!) {
  removeSchedule(id: $id)
}
    `) as unknown as TypedDocumentString<ConsoleRemoveScheduleMutation, ConsoleRemoveScheduleMutationVariables>;
export const ConsoleWorkerProcessesDocument = new TypedDocumentString(`
    query ConsoleWorkerProcesses {
  workerProcesses {
    ...ConsoleWorkerProcess
  }
}
    fragment ConsoleWorkerProcess on WorkerProcess {
  id
  host
  pid
  queues
  concurrency
  startedAt
  uptimeSeconds
  lastHeartbeatAt
  status
  activeJobs {
    id
    queue
  }
  processed
  failed
  cpuPercent
  rssBytes
}`) as unknown as TypedDocumentString<ConsoleWorkerProcessesQuery, ConsoleWorkerProcessesQueryVariables>;
export const ConsoleWorkerEventsDocument = new TypedDocumentString(`
    subscription ConsoleWorkerEvents {
  workerEvents {
    kind
    at
    worker {
      ...ConsoleWorkerProcess
    }
  }
}
    fragment ConsoleWorkerProcess on WorkerProcess {
  id
  host
  pid
  queues
  concurrency
  startedAt
  uptimeSeconds
  lastHeartbeatAt
  status
  activeJobs {
    id
    queue
  }
  processed
  failed
  cpuPercent
  rssBytes
}`) as unknown as TypedDocumentString<ConsoleWorkerEventsSubscription, ConsoleWorkerEventsSubscriptionVariables>;
export const JobTypesDocument = new TypedDocumentString(`
    query JobTypes {
  jobTypes {
    name
    queue
    description
    inputType
  }
}
    `) as unknown as TypedDocumentString<JobTypesQuery, JobTypesQueryVariables>;
export const InputTypeFieldsDocument = new TypedDocumentString(`
    query InputTypeFields($name: String!) {
  __type(name: $name) {
    name
    description
    inputFields {
      name
      description
      defaultValue
      type {
        kind
        name
        enumValues {
          name
        }
        ofType {
          kind
          name
          enumValues {
            name
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<InputTypeFieldsQuery, InputTypeFieldsQueryVariables>;
export const FlowChildrenDocument = new TypedDocumentString(`
    query FlowChildren($id: ID!, $after: String) {
  job(id: $id) {
    id
    flow {
      ...FlowProgressFields
    }
    children(first: 100, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...JobFields
          parent {
            id
          }
          flow {
            total
          }
        }
      }
    }
  }
}
    fragment JobFields on Job {
  id
  type
  queue
  state
  data
  progress {
    percent
    current
    total
    message
  }
  result
  failedReason
  attemptsMade
  maxAttempts
  createdAt
  startedAt
  finishedAt
}
fragment FlowProgressFields on FlowProgress {
  total
  waiting
  active
  completed
  failed
  cancelled
  percent
}`) as unknown as TypedDocumentString<FlowChildrenQuery, FlowChildrenQueryVariables>;