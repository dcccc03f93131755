/* eslint-disable */
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** Delay between attempts; replaces the job type's backoff as a whole. A job type's countdowns per kind of error (code, declared per type) still apply to the errors they name. */
export type BackoffInput = {
  /** The first retry waits this long, ms; EXPONENTIAL doubles it at each further retry. */
  delayMs: Scalars['Int']['input'];
  /** From 0 to 1: the random fraction of each delay (Celery retry_jitter). With 0.5 a delay of 10 s is one from 5 to 10 s; 1 is Celery retry_jitter=True. 0 when absent. */
  jitter?: InputMaybe<Scalars['Float']['input']>;
  /** The longest delay, ms (Celery retry_backoff_max): from delayMs to 2147483647, which is also the cap when absent. */
  maxDelayMs?: InputMaybe<Scalars['Int']['input']>;
  type: BackoffType;
};

/** How the delay between attempts grows. */
export type BackoffType =
  | 'EXPONENTIAL'
  | 'FIXED';

/** Who is calling. */
export type Caller = {
  __typename?: 'Caller';
  /** The owner id recorded on the jobs the caller enqueues (`jwt:bob`, `key:bob`, `system:dev`). */
  id: Scalars['String']['output'];
  roles: Array<CallerRole>;
};

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

/** Input of the cleanupFiles job. */
export type CleanupFilesInput = {
  /** Files last modified more than this many days ago are deleted. */
  olderThanDays?: Scalars['Int']['input'];
};

/** One job of an enqueueMany batch. */
export type EnqueueInput = {
  data: Scalars['JSON']['input'];
  options?: InputMaybe<JobOptionsInput>;
  type: Scalars['String']['input'];
};

/** Input of the exportReport job. */
export type ExportReportInput = {
  format?: ReportFormat;
  /** Report name, written into the file. */
  report: Scalars['String']['input'];
  rows?: Scalars['Int']['input'];
};

/** One job of a flow and its children, which all complete before it runs. */
export type FlowInput = {
  /** Jobs of any type and queue that run before this one. */
  children?: InputMaybe<Array<FlowInput>>;
  data: Scalars['JSON']['input'];
  options?: InputMaybe<JobOptionsInput>;
  type: Scalars['String']['input'];
};

/** A flow's descendants (all levels below a job) counted by state, and their mean progress. */
export type FlowProgress = {
  __typename?: 'FlowProgress';
  active: Scalars['Int']['output'];
  cancelled: Scalars['Int']['output'];
  completed: Scalars['Int']['output'];
  failed: Scalars['Int']['output'];
  /** Mean of the descendants' progress percent, a finished one (completed, failed, cancelled) counting 100. */
  percent: Scalars['Float']['output'];
  /** Descendants in all. */
  total: Scalars['Int']['output'];
  /** Not started yet: waiting, prioritized, delayed, or waiting for children of their own. */
  waiting: Scalars['Int']['output'];
};

/** Input of the helloWorld job. */
export type HelloWorldInput = {
  /** Who to greet. */
  name?: InputMaybe<Scalars['String']['input']>;
};

/** Input of the importParts job: which project/phase/stage to import. */
export type ImportPartsInput = {
  /** Items to import. */
  items?: Scalars['Int']['input'];
  /** Simulated work per item, ms. */
  msPerItem?: Scalars['Int']['input'];
  phase: Scalars['String']['input'];
  project: Scalars['String']['input'];
  stage: Scalars['String']['input'];
};

/** Input of the importProject job: the stages of a project phase to import in parallel, then report on. */
export type ImportProjectInput = {
  /** Items each stage's importParts imports. */
  itemsPerStage?: Scalars['Int']['input'];
  /** Simulated work per item, ms. */
  msPerItem?: Scalars['Int']['input'];
  phase: Scalars['String']['input'];
  project: Scalars['String']['input'];
  /** One importParts job per stage, run in parallel. */
  stages: Array<Scalars['String']['input']>;
};

/** A job: a plain BullMQ job seen through Jobgate. */
export type Job = {
  __typename?: 'Job';
  /** The attempt the job is on, from 1: the one running (ACTIVE), the next to run (waiting, delayed or retrying), or the last that ran (finished; 0 if it never ran). Counted like attemptsMade. */
  attempt: Scalars['Int']['output'];
  /** Its attempts, oldest first, as its workers recorded them (the last 50 runs). A job run before they were recorded, or failed before its processor ran, shows one entry per attempt made, with times and error of the last only. */
  attempts: Array<JobAttempt>;
  /** Attempts that ended, failed or completed (BullMQ's attemptsMade): for an ACTIVE job, the attempts before the one running. A stall or a hand-back on shutdown is not an attempt. */
  attemptsMade: Scalars['Int']['output'];
  /** Whether you may cancel, retry or remove the job: you own it, or you are an admin. */
  canControl: Scalars['Boolean']['output'];
  /** The job's direct children in a flow, in the order they were given (those with the job's owner). */
  children: JobConnection;
  createdAt: Scalars['DateTime']['output'];
  /** The data as enqueued. */
  data: Scalars['JSON']['output'];
  /** The instant past which it does not start (options.expiresAt). */
  expiresAt: Maybe<Scalars['DateTime']['output']>;
  /** Why the job failed (or was cancelled); null once COMPLETED, even after failed attempts. */
  failedReason: Maybe<Scalars['String']['output']>;
  finishedAt: Maybe<Scalars['DateTime']['output']>;
  /** The aggregate of every descendant (all levels); null for a job without children. */
  flow: Maybe<FlowProgress>;
  /** Opaque and global across queues. */
  id: Scalars['ID']['output'];
  /** The last log lines the processor wrote, oldest first, each with its time and attempt (null for lines written before they were stamped). */
  logEntries: Array<JobLogEntry>;
  /** The last log lines the processor wrote, oldest first: their messages (see logEntries). */
  logs: Array<Scalars['String']['output']>;
  maxAttempts: Scalars['Int']['output'];
  /** When a job waiting out its backoff after a failed attempt runs again (Flower: next retry); null otherwise, and for an immediate retry. */
  nextRetryAt: Maybe<Scalars['DateTime']['output']>;
  /** The options that shaped the job, named as in JobOptionsInput: queue, attempts, and when set priority, delayMs (a runAt shows as its delay), expiresAt, backoff, removeOnCompleteAfterSeconds, onChildFailure. The type's defaults and the caller's options merged; a dedupKey is kept only hashed and is not shown. */
  options: Scalars['JSON']['output'];
  /** Who enqueued it (e.g. `jwt:bob`, `key:ci`); null for a job enqueued outside Jobgate. */
  owner: Maybe<Scalars['String']['output']>;
  /** The job's parent in a flow; null if it has none, or if it has another owner than the job. */
  parent: Maybe<Job>;
  progress: Maybe<JobProgress>;
  /** The BullMQ queue name (without key prefix). */
  queue: Scalars['String']['output'];
  result: Maybe<Scalars['JSON']['output']>;
  /** When it was asked to run (runAt, or its creation plus delayMs or a schedule's delay); null when it was to run at once. */
  runAt: Maybe<Scalars['DateTime']['output']>;
  /** Stack traces of its last failed attempts (at most 5, oldest first, each at most 30 lines): the worker's, of what the processor threw. Null when no attempt failed, and once COMPLETED. */
  stacktrace: Maybe<Array<Scalars['String']['output']>>;
  startedAt: Maybe<Scalars['DateTime']['output']>;
  state: JobState;
  /** The job type, e.g. "importParts". */
  type: Scalars['String']['output'];
  /** The worker process that runs or ran its last attempt: `<host>:<pid>` for Jobgate workers (BullMQ processedBy); null before it ran. */
  worker: Maybe<Scalars['String']['output']>;
};


/** A job: a plain BullMQ job seen through Jobgate. */
export type JobChildrenArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** A job: a plain BullMQ job seen through Jobgate. */
export type JobLogEntriesArgs = {
  last?: Scalars['Int']['input'];
};


/** A job: a plain BullMQ job seen through Jobgate. */
export type JobLogsArgs = {
  last?: Scalars['Int']['input'];
};

/** One run of a job's processor, as its worker recorded it. */
export type JobAttempt = {
  __typename?: 'JobAttempt';
  /** The error message of a FAILED or CANCELLED attempt. */
  error: Maybe<Scalars['String']['output']>;
  finishedAt: Maybe<Scalars['DateTime']['output']>;
  /** Counted like Job.attempt, from 1. A stalled run is followed by one of the same number; a retried job counts from 1 again. */
  number: Scalars['Int']['output'];
  outcome: JobAttemptOutcome;
  startedAt: Maybe<Scalars['DateTime']['output']>;
};

/** How one attempt of a job ended, or that it runs. */
export type JobAttemptOutcome =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'FAILED'
  | 'RUNNING'
  /** Its worker stopped answering (stalled, crashed): the attempt ran again, or the job failed. */
  | 'STALLED';

/** A page of jobs (Relay style). */
export type JobConnection = {
  __typename?: 'JobConnection';
  edges: Array<JobEdge>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type JobEdge = {
  __typename?: 'JobEdge';
  cursor: Scalars['String']['output'];
  node: Job;
};

/** Something that happened to a job, with the job as of then. */
export type JobEvent = {
  __typename?: 'JobEvent';
  at: Scalars['DateTime']['output'];
  /** Position in the queue's event stream; give it back as `since` to resume. */
  cursor: Scalars['String']['output'];
  /** In `flowEvents`, the flow's aggregate (over every descendant of the watched root) as of this event; a replayed event carries it as of the resume. Null elsewhere. */
  flow: Maybe<FlowProgress>;
  /** True when events were missed (resumed past the stream's retention) and this SNAPSHOT replaces them. */
  gap: Scalars['Boolean']['output'];
  /** The job as of this event. */
  job: Job;
  /** The line of a LOG event. */
  log: Maybe<Scalars['String']['output']>;
  type: JobEventType;
};

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

/** One log line of a job, with when and during which attempt the processor wrote it. */
export type JobLogEntry = {
  __typename?: 'JobLogEntry';
  /** Null for lines written before Jobgate stamped them. */
  at: Maybe<Scalars['DateTime']['output']>;
  /** The attempt (from 1) that wrote it; null for lines written before Jobgate stamped them. */
  attempt: Maybe<Scalars['Int']['output']>;
  message: Scalars['String']['output'];
};

/** Per-job options; each overrides the job type's default. */
export type JobOptionsInput = {
  /** Attempts in all, 1 to 100. */
  attempts?: InputMaybe<Scalars['Int']['input']>;
  backoff?: InputMaybe<BackoffInput>;
  /** While a job with this key is not finished, enqueueing again returns it. */
  dedupKey?: InputMaybe<Scalars['String']['input']>;
  /** Run no earlier than this many ms from now (Celery countdown): at most 2147483647 (a GraphQL Int, about 24.8 days); give runAt for later. Exclusive with runAt. */
  delayMs?: InputMaybe<Scalars['Int']['input']>;
  /** Do not start after this instant (Celery expires): an attempt a worker picks up later is not run, and the job ends FAILED with a reason starting "expired", without retry. After runAt or delayMs, and in the future. */
  expiresAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only on a child of a flow: what its failure does to its parent. FAIL_PARENT when absent. */
  onChildFailure?: InputMaybe<ChildFailurePolicy>;
  /** 1 is the highest priority, 2097152 the lowest; 0 or absent: none. */
  priority?: InputMaybe<Scalars['Int']['input']>;
  /** Another queue than the job type's own, among the extra queues its definition allows (Celery apply_async(queue=…)); BAD_USER_INPUT for any other. Its own queue when absent. */
  queue?: InputMaybe<Scalars['String']['input']>;
  /** Remove the job this many seconds after it completes. */
  removeOnCompleteAfterSeconds?: InputMaybe<Scalars['Int']['input']>;
  /** Run no earlier than this instant (Celery eta), at most 365 days ahead; one in the past runs at once. Exclusive with delayMs. */
  runAt?: InputMaybe<Scalars['DateTime']['input']>;
};

/** Progress as a processor reported it; percent is derived from current/total when omitted. */
export type JobProgress = {
  __typename?: 'JobProgress';
  current: Maybe<Scalars['Int']['output']>;
  data: Maybe<Scalars['JSON']['output']>;
  message: Maybe<Scalars['String']['output']>;
  percent: Maybe<Scalars['Float']['output']>;
  total: Maybe<Scalars['Int']['output']>;
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

/** A registered job type. */
export type JobType = {
  __typename?: 'JobType';
  /** Options applied unless the caller overrides them. */
  defaultOptions: Maybe<Scalars['JSON']['output']>;
  description: Maybe<Scalars['String']['output']>;
  /** Name of its GraphQL input type, e.g. ImportPartsInput. */
  inputType: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** The BullMQ queue its jobs go to. */
  queue: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Cancels a job: removed if it has not started, aborted on its worker if it runs. */
  cancelJob: Job;
  /** Deletes up to `limit` jobs in `state` older than `olderThanSeconds`; returns how many (admin). */
  cleanQueue: Scalars['Int']['output'];
  /** Enqueues a cleanupFiles job: Deletes files older than N days from the storage directory. */
  cleanupFiles: Job;
  /** Deletes the waiting jobs of a queue, and the delayed ones with `delayed` (admin). */
  drainQueue: Scalars['Boolean']['output'];
  /** Enqueues a job of any registered type; data is validated against the type's input. */
  enqueue: Job;
  /** Enqueues a tree of jobs of any types and queues, atomically: each job runs once its children completed and can read their results. Returns the root. */
  enqueueFlow: Job;
  /** Enqueues a batch in one Redis round trip per queue; all or nothing on validation. */
  enqueueMany: Array<Job>;
  /** Enqueues a exportReport job: Writes a CSV or XLSX report into storage; the result has its download URL. */
  exportReport: Job;
  /** Enqueues a helloWorld job: Returns a greeting. */
  helloWorld: Job;
  /** Enqueues a importParts job: Imports the parts of a project phase/stage, with progress per item. */
  importParts: Job;
  /** Enqueues a importProject job: Imports the stages of a project phase in parallel (one importParts child each), then exports a CSV report of the totals. */
  importProject: Job;
  /** Pauses a queue: workers start no new job from it (admin). */
  pauseQueue: Scalars['Boolean']['output'];
  /** Enqueues a processList job: Processes a list of ids in parallel batches (processListBatch children), then gathers a result per id. */
  processList: Job;
  /** Enqueues a processListBatch job: Processes one batch of ids of a processList, with progress per id. */
  processListBatch: Job;
  /** Runs a DELAYED job now. */
  promoteJob: Job;
  /** Deletes a job that is not running; returns it as it was. */
  removeJob: Job;
  /** Removes a schedule (admin); false when there was none. */
  removeSchedule: Scalars['Boolean']['output'];
  /** Drops the queue's limits set at runtime: the rate limit and global concurrency its workers were configured with apply again (admin). */
  resetQueueLimits: Queue;
  /** Resumes a paused queue (admin). */
  resumeQueue: Scalars['Boolean']['output'];
  /** Moves up to `limit` failed jobs back to waiting; returns how many (admin). */
  retryFailed: Scalars['Int']['output'];
  /** Runs a FAILED or CANCELLED job again. */
  retryJob: Job;
  /** Caps the queue's jobs active at once across every worker process (BullMQ global concurrency; Flower's pool controls act per worker), or lifts the cap with null; it stays in force until resetQueueLimits (admin). */
  setQueueGlobalConcurrency: Queue;
  /** Sets the queue's rate limit for every worker process, at each one's next fetch (Flower's rate_limit), or removes it with null; it stays in force, also for workers that start later, until resetQueueLimits (admin). */
  setQueueRateLimit: Queue;
  /** Enqueues a syncExternal job: Calls an external HTTP endpoint for an order, retrying network errors and 5xx. */
  syncExternal: Job;
  /** Creates or replaces a schedule (admin). */
  upsertSchedule: Schedule;
};


export type MutationCancelJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCleanQueueArgs = {
  limit?: Scalars['Int']['input'];
  olderThanSeconds: Scalars['Int']['input'];
  queue: Scalars['String']['input'];
  state: JobState;
};


export type MutationCleanupFilesArgs = {
  input: CleanupFilesInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationDrainQueueArgs = {
  delayed?: Scalars['Boolean']['input'];
  queue: Scalars['String']['input'];
};


export type MutationEnqueueArgs = {
  data: Scalars['JSON']['input'];
  options: InputMaybe<JobOptionsInput>;
  type: Scalars['String']['input'];
};


export type MutationEnqueueFlowArgs = {
  flow: FlowInput;
};


export type MutationEnqueueManyArgs = {
  jobs: Array<EnqueueInput>;
};


export type MutationExportReportArgs = {
  input: ExportReportInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationHelloWorldArgs = {
  input: HelloWorldInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationImportPartsArgs = {
  input: ImportPartsInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationImportProjectArgs = {
  input: ImportProjectInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationPauseQueueArgs = {
  queue: Scalars['String']['input'];
};


export type MutationProcessListArgs = {
  input: ProcessListInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationProcessListBatchArgs = {
  input: ProcessListBatchInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationPromoteJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRemoveScheduleArgs = {
  id: Scalars['ID']['input'];
};


export type MutationResetQueueLimitsArgs = {
  queue: Scalars['String']['input'];
};


export type MutationResumeQueueArgs = {
  queue: Scalars['String']['input'];
};


export type MutationRetryFailedArgs = {
  limit?: Scalars['Int']['input'];
  queue: Scalars['String']['input'];
};


export type MutationRetryJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSetQueueGlobalConcurrencyArgs = {
  concurrency: InputMaybe<Scalars['Int']['input']>;
  queue: Scalars['String']['input'];
};


export type MutationSetQueueRateLimitArgs = {
  queue: Scalars['String']['input'];
  rateLimit: InputMaybe<RateLimitInput>;
};


export type MutationSyncExternalArgs = {
  input: SyncExternalInput;
  options: InputMaybe<JobOptionsInput>;
};


export type MutationUpsertScheduleArgs = {
  schedule: ScheduleInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** Input of the processListBatch job: one batch of a processList. */
export type ProcessListBatchInput = {
  ids: Array<Scalars['Int']['input']>;
  /** Simulated work per id, ms. */
  msPerItem?: Scalars['Int']['input'];
};

/** Input of the processList job: ids processed in batches, in parallel. */
export type ProcessListInput = {
  /** Ids per processListBatch child. */
  batchSize?: Scalars['Int']['input'];
  ids: Array<Scalars['Int']['input']>;
  /** Simulated work per id, ms. */
  msPerItem?: Scalars['Int']['input'];
};

export type Query = {
  __typename?: 'Query';
  /** The job, or null when it is absent or not yours. */
  job: Maybe<Job>;
  /** The registered job types. */
  jobTypes: Array<JobType>;
  /** A page of a queue's jobs, filtered by state. */
  jobs: JobConnection;
  /** The caller: its owner id and roles (answers for any authenticated caller). */
  me: Caller;
  /** One queue, like an entry of `queues` (viewer or admin). */
  queue: Queue;
  /** Every queue: counts by state, paused, rate limit, workers, throughput (viewer or admin). */
  queues: Array<Queue>;
  /**
   * Jobs the caller may see (every job for viewer/admin, its own for a submitter), newest first by creation time,
   * across every queue or one; optionally only some states and one type. Keyset-paginated: jobs enqueued after the
   * first page never shift later pages. A page may hold fewer than `first` jobs while `hasNextPage` is true (a filter
   * matched few of the jobs read): go on from `endCursor`, which may then lie past the last edge. `totalCount` counts
   * the caller's jobs in the queues listed whatever `states` and `type` (jobs removed since a listing last passed them
   * may still count).
   */
  recentJobs: JobConnection;
  /** Every schedule, with its next run time and the last job it started. */
  schedules: Array<Schedule>;
  /** Every worker process that heartbeats, lost ones included until they are forgotten (viewer or admin). */
  workerProcesses: Array<WorkerProcess>;
  /** The workers connected to a queue now (viewer or admin). */
  workers: Array<QueueWorker>;
};


export type QueryJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryJobsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
  queue: Scalars['String']['input'];
  states: InputMaybe<Array<JobState>>;
};


export type QueryQueueArgs = {
  name: Scalars['String']['input'];
};


export type QueryRecentJobsArgs = {
  after: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
  queue: InputMaybe<Scalars['String']['input']>;
  states: InputMaybe<Array<JobState>>;
  type: InputMaybe<Scalars['String']['input']>;
};


export type QueryWorkersArgs = {
  queue: Scalars['String']['input'];
};

/** A BullMQ queue and what is in it. */
export type Queue = {
  __typename?: 'Queue';
  /** What the queue's workers run now, newest first (BullMQ does not record which worker holds which job). */
  activeJobs: Array<Job>;
  /** Cancelled jobs, active or not started, as Jobgate records them (BullMQ has no such metric). */
  cancelled: QueueThroughput;
  completed: QueueThroughput;
  counts: QueueCounts;
  /** Failed jobs, cancelled ones not included (BullMQ's metrics count a job cancelled while active as failed; Jobgate takes those out). */
  failed: QueueThroughput;
  /** Jobs of the queue active at once across every worker, at most (BullMQ global concurrency): set by an admin at runtime (setQueueGlobalConcurrency), else QUEUE_GLOBAL_CONCURRENCY; null when uncapped. */
  globalConcurrency: Maybe<Scalars['Int']['output']>;
  /** Whether rateLimit or globalConcurrency was set at runtime by an admin: workers that start keep it instead of their configuration, until resetQueueLimits. */
  limitsOverridden: Scalars['Boolean']['output'];
  /** The BullMQ queue name (without key prefix). */
  name: Scalars['String']['output'];
  /** Workers start no new job from a paused queue. */
  paused: Scalars['Boolean']['output'];
  /** The rate limit in force for every worker: set by an admin at runtime (setQueueRateLimit), else QUEUE_RATE_LIMITS, else declared on a job type of the queue, as the workers last applied it; null when unlimited. */
  rateLimit: Maybe<RateLimit>;
  /** Workers connected now: one per worker process serving the queue. */
  workerCount: Scalars['Int']['output'];
};


/** A BullMQ queue and what is in it. */
export type QueueActiveJobsArgs = {
  first?: Scalars['Int']['input'];
};

/** Jobs of a queue by BullMQ state, and those cancelled. */
export type QueueCounts = {
  __typename?: 'QueueCounts';
  active: Scalars['Int']['output'];
  /** Cancelled jobs kept: cancelled while active (kept as long as failed jobs), or before they started (their tombstones). */
  cancelled: Scalars['Int']['output'];
  completed: Scalars['Int']['output'];
  delayed: Scalars['Int']['output'];
  /** Failed jobs kept; cancelled ones are counted in `cancelled`, not here (BullMQ keeps a job cancelled while active among its failed jobs). */
  failed: Scalars['Int']['output'];
  /** Jobs held by a pause: the waiting and prioritized jobs of a paused queue (also counted there); 0 when the queue runs. */
  paused: Scalars['Int']['output'];
  prioritized: Scalars['Int']['output'];
  waiting: Scalars['Int']['output'];
  waitingChildren: Scalars['Int']['output'];
};

/** A queue's counts as of `at` (the `queueStats` subscription). */
export type QueueStats = {
  __typename?: 'QueueStats';
  at: Scalars['DateTime']['output'];
  counts: QueueCounts;
  paused: Scalars['Boolean']['output'];
  queue: Scalars['String']['output'];
};

/** Finished jobs, from the per-minute metrics BullMQ workers record (cancelled jobs: from Jobgate's record). */
export type QueueThroughput = {
  __typename?: 'QueueThroughput';
  /** The last 60 minutes, newest first: the first is the minute in progress, the second the last full minute. */
  perMinute: Array<Scalars['Int']['output']>;
  /** Since the queue's metrics began. */
  total: Scalars['Int']['output'];
};

/** A worker connected to a queue. BullMQ does not record which jobs a worker holds; see `Queue.activeJobs`. */
export type QueueWorker = {
  __typename?: 'QueueWorker';
  /** Its Redis connection's address (`ip:port`). */
  address: Scalars['String']['output'];
  /** Seconds since it connected. */
  ageSeconds: Scalars['Int']['output'];
  /** Seconds since its last Redis command (a worker waiting for jobs grows this). */
  idleSeconds: Scalars['Int']['output'];
  /** The worker's name (Jobgate workers: `<host>:<pid>`, as `Job.worker` shows it); null for an unnamed BullMQ worker. */
  name: Maybe<Scalars['String']['output']>;
};

/** At most `max` jobs of the queue start per `durationMs`, across every worker. */
export type RateLimit = {
  __typename?: 'RateLimit';
  durationMs: Scalars['Int']['output'];
  max: Scalars['Int']['output'];
};

/** At most `max` jobs of the queue start per `durationMs`, across every worker. */
export type RateLimitInput = {
  /** 1 to 999999999 ms. */
  durationMs: Scalars['Int']['input'];
  /** 1 to 999999. */
  max: Scalars['Int']['input'];
};

/** File format of an exported report. */
export type ReportFormat =
  | 'CSV'
  | 'XLSX';

/** A repeating job (Celery beat): a BullMQ job scheduler. */
export type Schedule = {
  __typename?: 'Schedule';
  cron: Maybe<Scalars['String']['output']>;
  data: Scalars['JSON']['output'];
  everyMs: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  /** The last job it started (as seen by a Jobgate worker). */
  lastJobId: Maybe<Scalars['ID']['output']>;
  nextRunAt: Maybe<Scalars['DateTime']['output']>;
  queue: Scalars['String']['output'];
  timeZone: Maybe<Scalars['String']['output']>;
  /** The job type it enqueues. */
  type: Scalars['String']['output'];
};

/** A schedule to create or replace: exactly one of cron and everyMs. */
export type ScheduleInput = {
  /** Cron pattern, e.g. "0 2 * * *". */
  cron?: InputMaybe<Scalars['String']['input']>;
  /** Data of each job, validated like an enqueue. */
  data?: InputMaybe<Scalars['JSON']['input']>;
  /** Interval in ms (at least 1000). */
  everyMs?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
  /** IANA time zone of the cron pattern; SCHEDULE_TZ by default. */
  timeZone?: InputMaybe<Scalars['String']['input']>;
  type: Scalars['String']['input'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** SNAPSHOT of the flow's root first (or the events after `since`), then every event of every job of the tree rooted at `id`, each with `flow`, the tree's aggregate; completes after the root's final event, which comes last. Cursors are opaque: give one back as `since` to resume. */
  flowEvents: JobEvent;
  /** SNAPSHOT first (or the events after `since`), then every event of the job; completes after a final one. */
  jobEvents: JobEvent;
  /** Every job event of a queue (for dashboards); with `since`, replayed from there first. Callers who are neither viewer nor admin get only their own jobs. */
  queueEvents: JobEvent;
  /** The queue's counts now, then whenever they change (at most every 250 ms), shared by every subscriber (viewer or admin). */
  queueStats: QueueStats;
  /** ONLINE when a worker process starts, HEARTBEAT at each of its heartbeats (its figures now), OFFLINE when it stops cleanly, LOST when its heartbeats stop (viewer or admin). */
  workerEvents: WorkerEvent;
};


export type SubscriptionFlowEventsArgs = {
  id: Scalars['ID']['input'];
  since: InputMaybe<Scalars['String']['input']>;
};


export type SubscriptionJobEventsArgs = {
  id: Scalars['ID']['input'];
  since: InputMaybe<Scalars['String']['input']>;
};


export type SubscriptionQueueEventsArgs = {
  queue: Scalars['String']['input'];
  since: InputMaybe<Scalars['String']['input']>;
};


export type SubscriptionQueueStatsArgs = {
  queue: Scalars['String']['input'];
};

/** Input of the syncExternal job: the order to push to the ERP. */
export type SyncExternalInput = {
  orderId: Scalars['Int']['input'];
  /** Endpoint to call; defaults to <SYNC_BASE_URL>/orders/<orderId>. */
  url?: InputMaybe<Scalars['String']['input']>;
};

/** A job a worker process runs now. */
export type WorkerActiveJob = {
  __typename?: 'WorkerActiveJob';
  /** The job's id, as `Job.id`. */
  id: Scalars['ID']['output'];
  queue: Scalars['String']['output'];
};

/** A worker process started, stopped cleanly, or stopped heartbeating. */
export type WorkerEvent = {
  __typename?: 'WorkerEvent';
  at: Scalars['DateTime']['output'];
  kind: WorkerEventKind;
  /** OFFLINE: the worker as its last heartbeat described it. */
  worker: WorkerProcess;
};

/** What happened to a worker process. */
export type WorkerEventKind =
  | 'HEARTBEAT'
  | 'LOST'
  | 'OFFLINE'
  | 'ONLINE';

/** A Jobgate worker process, as its heartbeats describe it (viewer or admin). */
export type WorkerProcess = {
  __typename?: 'WorkerProcess';
  /** Ids of the jobs it runs now (with their queue). */
  activeJobs: Array<WorkerActiveJob>;
  /** Jobs it runs at once per queue. */
  concurrency: Scalars['Int']['output'];
  /** CPU used over the last heartbeat interval, percent of one core. */
  cpuPercent: Scalars['Float']['output'];
  /** Attempts that failed (cancelled ones included), of those processed. */
  failed: Scalars['Int']['output'];
  host: Scalars['String']['output'];
  /** `<host>:<pid>`, as Job.worker shows it. */
  id: Scalars['ID']['output'];
  lastHeartbeatAt: Scalars['DateTime']['output'];
  pid: Scalars['Int']['output'];
  /** Attempts it finished since it started, failed ones included. */
  processed: Scalars['Int']['output'];
  queues: Array<Scalars['String']['output']>;
  rssBytes: Scalars['Float']['output'];
  startedAt: Scalars['DateTime']['output'];
  /** LOST once no heartbeat came for 3 heartbeat intervals. */
  status: WorkerStatus;
  uptimeSeconds: Scalars['Int']['output'];
};

/** Whether a worker process still heartbeats. */
export type WorkerStatus =
  | 'LOST'
  | 'ONLINE';

/** One possible value for a given Enum. Enum values are unique values, not a placeholder for a string or numeric value. However an Enum value is returned in a JSON response as a string. */
export type __EnumValue = {
  __typename?: '__EnumValue';
  name: Scalars['String']['output'];
  description: Maybe<Scalars['String']['output']>;
  isDeprecated: Scalars['Boolean']['output'];
  deprecationReason: Maybe<Scalars['String']['output']>;
};

/** Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type. */
export type __Field = {
  __typename?: '__Field';
  name: Scalars['String']['output'];
  description: Maybe<Scalars['String']['output']>;
  args: Array<__InputValue>;
  type: __Type;
  isDeprecated: Scalars['Boolean']['output'];
  deprecationReason: Maybe<Scalars['String']['output']>;
};


/** Object and Interface types are described by a list of Fields, each of which has a name, potentially a list of arguments, and a return type. */
export type __FieldArgsArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};

/** Arguments provided to Fields or Directives and the input fields of an InputObject are represented as Input Values which describe their type and optionally a default value. */
export type __InputValue = {
  __typename?: '__InputValue';
  name: Scalars['String']['output'];
  description: Maybe<Scalars['String']['output']>;
  type: __Type;
  /** A GraphQL-formatted string representing the default value for this input value. */
  defaultValue: Maybe<Scalars['String']['output']>;
  isDeprecated: Scalars['Boolean']['output'];
  deprecationReason: Maybe<Scalars['String']['output']>;
};

/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __Type = {
  __typename?: '__Type';
  kind: __TypeKind;
  name: Maybe<Scalars['String']['output']>;
  description: Maybe<Scalars['String']['output']>;
  specifiedByURL: Maybe<Scalars['String']['output']>;
  fields: Maybe<Array<__Field>>;
  interfaces: Maybe<Array<__Type>>;
  possibleTypes: Maybe<Array<__Type>>;
  enumValues: Maybe<Array<__EnumValue>>;
  inputFields: Maybe<Array<__InputValue>>;
  ofType: Maybe<__Type>;
  isOneOf: Maybe<Scalars['Boolean']['output']>;
};


/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __TypeFieldsArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};


/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __TypeEnumValuesArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};


/**
 * The fundamental unit of any GraphQL Schema is the type. There are many kinds of types in GraphQL as represented by the `__TypeKind` enum.
 *
 * Depending on the kind of a type, certain fields describe information about that type. Scalar types provide no information beyond a name, description and optional `specifiedByURL`, while Enum types provide their values. Object and Interface types provide the fields they describe. Abstract types, Union and Interface, provide the Object types possible at runtime. List and NonNull types compose other types.
 */
export type __TypeInputFieldsArgs = {
  includeDeprecated?: InputMaybe<Scalars['Boolean']['input']>;
};

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


/** Every registered job type and the input its `data` must match (from the typed enqueue mutations). */
export interface JobInputs {
  cleanupFiles: CleanupFilesInput;
  exportReport: ExportReportInput;
  helloWorld: HelloWorldInput;
  importParts: ImportPartsInput;
  importProject: ImportProjectInput;
  processList: ProcessListInput;
  processListBatch: ProcessListBatchInput;
  syncExternal: SyncExternalInput;
}

/** The name of a registered job type. */
export type JobTypeName = keyof JobInputs;
