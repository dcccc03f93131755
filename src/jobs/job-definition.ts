import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Role } from '../auth/caller';
import type { Config } from '../config';
import type { FlowChildRequest } from './flow-child';

/** Progress a processor reports; `percent` is derived from `current/total` when omitted. */
export interface ProgressUpdate {
  percent?: number;
  current?: number;
  total?: number;
  message?: string;
  data?: unknown;
}

/** What a processor gets besides its validated input. */
export interface JobContext {
  /** The BullMQ job (id, attemptsMade, opts…). */
  job: Job;
  /**
   * Aborted when the job is cancelled or reaches a time limit (the reason says which); built-in
   * processors check it between items of work.
   */
  signal: AbortSignal;
  /** Logger bound to the job id and the request id that enqueued it. */
  logger: Logger;
  config: Config;
  /** Reports progress to every watcher. */
  progress(update: ProgressUpdate): Promise<void>;
  /** Appends a line to the job's logs and sends a LOG event to its watchers. */
  log(line: string): Promise<void>;
  /**
   * The results of the job's children that completed, keyed by each child's global job id
   * (`<queue>:<id>`, as `Job.id`); empty for a job without children. Children that failed under
   * `IGNORE` or `CONTINUE` are not in it: see `childrenFailures`.
   */
  childrenResults(): Promise<Record<string, unknown>>;
  /** Why each child that failed under `IGNORE` or `CONTINUE` failed, keyed by its global job id. */
  childrenFailures(): Promise<Record<string, string>>;
}

/**
 * Backoff between attempts (Celery's `default_retry_delay`, `retry_backoff`, `retry_backoff_max`,
 * `retry_jitter`). The n-th retry waits `delayMs` (`fixed`) or `delayMs × 2^(n-1)` (`exponential`),
 * at most `maxDelayMs`, then less a random part of up to `jitter` of it: with `jitter` 0.5 a delay
 * of 10 s becomes one from 5 to 10 s; 1 is Celery's `retry_jitter=True` (0 to 10 s).
 */
export interface BackoffDefinition {
  type: 'fixed' | 'exponential';
  delayMs: number;
  /** The longest delay, ms (Celery's `retry_backoff_max`); 2^31 - 1 (about 24.8 days) at most and when absent. */
  maxDelayMs?: number;
  /** 0 (none, the default) to 1: the fraction of each delay that is random (BullMQ's `jitter`). */
  jitter?: number;
}

/** What a retry policy gets besides the error: Celery's `self.request`. */
export interface RetryContext {
  /** Retries so far, before the one being planned: 0 when the first attempt failed (Celery's `self.request.retries`). */
  retries: number;
  /** The BullMQ job (id, data, options). */
  job: Job;
  config: Config;
}

/**
 * What a job type does when an attempt fails, beyond its `defaults.backoff`: code, so declared per
 * type only (a caller's `options.backoff` does not change it).
 */
export interface RetryPolicy<Input extends object = object, Result = unknown> {
  /**
   * The delay before the next attempt after `error`, ms, per kind of error (Celery's
   * `self.retry(countdown=…)` in an `except` branch); `undefined` leaves it to the job's backoff.
   * Called on the worker when an attempt failed and another one remains. Used as returned (no cap,
   * no jitter), within 0 to 2^31 - 1 ms. Throw `UnrecoverableError` in `process` instead to stop retrying.
   */
  countdown?(error: Error, context: RetryContext): number | undefined;
  /**
   * The job's result when its retries are exhausted, the last of its attempts having failed with
   * `error`, as Celery's `except MaxRetriesExceededError: return {...}`: the job then ends COMPLETED
   * with it. `undefined`: the job fails. Not called for a job of one attempt (no retries to exhaust),
   * an `UnrecoverableError` (no retry was meant), a cancellation, a time limit or an expired job.
   */
  fallback?(error: Error, input: Input, context: RetryContext): Result | undefined;
}

/** Options applied to every job of a type unless the caller overrides them. */
export interface JobDefaults {
  attempts?: number;
  backoff?: BackoffDefinition;
  priority?: number;
  /** Completed jobs of this type are kept at least this long (s). */
  keepCompletedSeconds?: number;
}

/** A repeating job declared beside its type, upserted at start (Celery beat). */
export interface ScheduleDefinition {
  /** Stable id: upserting the same id twice keeps one schedule. */
  id: string;
  cron?: string;
  everyMs?: number;
  timeZone?: string;
  data?: Record<string, unknown>;
}

/**
 * One job type: everything the gateway and the workers need to know about it.
 * `input` is a type-graphql `@InputType` class with class-validator rules; its property
 * initializers are the defaults. The gateway never calls `process`, so heavy libraries
 * belong in a dynamic `import()` inside it.
 */
export interface JobDefinition<Input extends object = object, Result = unknown> {
  /** Name of the job type; also the BullMQ job name and the typed mutation's name. */
  name: string;
  /** BullMQ queue the jobs go to unless the caller routes them elsewhere (`options.queue`). */
  queue: string;
  /**
   * Other queues a caller may route a job of this type to (`options.queue`, Celery's
   * `apply_async(queue=…)`), kebab-case. Workers serving one of them run this type's jobs there too.
   */
  queues?: readonly string[];
  description: string;
  input: new () => Input;
  defaults: JobDefaults;
  /** Roles allowed to enqueue this type (besides admin); every submitter when absent. */
  roles?: readonly Role[];
  /**
   * Countdown per kind of error and fallback result after the last attempt (Celery's
   * `self.retry(countdown=…)` and `except MaxRetriesExceededError`).
   */
  retry?: RetryPolicy<Input, Result>;
  /** At most `max` jobs of this queue start per `durationMs`, across every worker (`QUEUE_RATE_LIMITS` overrides it). */
  rateLimit?: { max: number; durationMs: number };
  /**
   * Hard time limit of one attempt, ms (`JOB_TIME_LIMIT_MS` when absent). When it is reached the
   * signal is aborted, the job fails with a reason starting `time limit`, is not retried, and its
   * worker slot is freed at once: a processor that ignores its signal is no longer awaited, but
   * keeps running (and using CPU) in the background until it returns; its result is ignored and
   * its progress and logs are refused. Not in `defaults`: a caller must not be able to raise it.
   */
  timeLimitMs?: number;
  /**
   * Soft time limit of one attempt, ms, below the hard one: the signal is aborted with a reason
   * starting `time limit: soft`, so the processor can stop cleanly. If it then throws, the job
   * fails with that reason and is not retried; if it returns, the job completes with what it returned.
   */
  softTimeLimitMs?: number;
  schedules?: (config: Config) => ScheduleDefinition[];
  /**
   * Children added under every job of this type, whichever way it is enqueued (`enqueue`, the
   * typed mutation, a node of `enqueueFlow`), in the same atomic add: the job then runs once they
   * are done and reads their results with `context.childrenResults()`. Called on the gateway with
   * the validated input; each child is validated like an `enqueueFlow` node and counts towards
   * `MAX_FLOW_JOBS`. Types with children cannot be scheduled.
   */
  children?(input: Input, config: Config): FlowChildRequest[];
  /** Extra checks that need configuration; throw a `badInput` error to refuse. */
  check?(input: Input, config: Config): void;
  process(input: Input, context: JobContext): Promise<Result>;
}

/** The queues a job of `definition` may go to: its own first, then those a caller may route it to. */
export function queuesOf(definition: Pick<JobDefinition, 'queue' | 'queues'>): readonly string[] {
  return [definition.queue, ...(definition.queues ?? [])];
}

/** Declares a job type; keeps the input and result types tied together. */
export function defineJob<Input extends object, Result>(definition: JobDefinition<Input, Result>): JobDefinition<Input, Result> {
  return definition;
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
