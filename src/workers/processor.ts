import { UnrecoverableError, WaitingChildrenError, type Job, type Processor } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { addressOfJobKey, toGlobalId } from '../jobs/job-id';
import { CANCELLED_REASON_PREFIX, JobAttemptOutcome, type JobgateMeta } from '../jobs/job-view';
import { queuesOf, type JobContext, type JobDefinition, type ProgressUpdate } from '../jobs/job-definition';
import { fallbackOf } from './backoff';
import { traceAttempt } from '../tracing/job-attempt';
import { scrubbed, scrubError, secretsOf } from './failure-stack';
import type { JobLogWriter } from './job-log';
import type { JobRegistry } from '../jobs/registry';

/** Percent from current/total when the processor gave only those. */
function withPercent(update: ProgressUpdate): ProgressUpdate {
  if (update.percent !== undefined || !update.current || !update.total) return update;
  return { ...update, percent: Math.round((update.current / update.total) * 10000) / 100 };
}

/** `values` keyed by BullMQ job keys (as a parent's dependency keys hold its children), re-keyed by global job id. */
function byGlobalId<T>(values: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of Object.entries(values)) {
    const address = addressOfJobKey(key);
    out[address ? toGlobalId(address) : key] = value;
  }
  return out;
}

/** The longest delay Node's timers take (2^31 - 1 ms, about 24.8 days); a longer one would fire at once. */
export const MAX_TIME_LIMIT_MS = 2_147_483_647;

/** How the failure reason of a job stopped by a time limit starts, and the reason its signal is aborted with. */
export const TIME_LIMIT_REASON_PREFIX = 'time limit';

/** The time limits of one attempt of a job type, ms. */
export interface TimeLimits {
  hardMs: number;
  /** Absent when the type declares none, or one at or past the hard limit in force. */
  softMs?: number;
}

/** `definition`'s time limits: its own, else JOB_TIME_LIMIT_MS; throws on a declaration no timer can honour. */
export function timeLimitsOf(definition: JobDefinition, config: Config): TimeLimits {
  const { timeLimitMs, softTimeLimitMs } = definition;
  for (const [field, value] of [
    ['timeLimitMs', timeLimitMs],
    ['softTimeLimitMs', softTimeLimitMs],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > MAX_TIME_LIMIT_MS)) {
      throw new TypeError(`Job type "${definition.name}": ${field} must be an integer from 1 to ${MAX_TIME_LIMIT_MS} (ms), got ${value}`);
    }
  }
  if (timeLimitMs !== undefined && softTimeLimitMs !== undefined && softTimeLimitMs >= timeLimitMs) {
    throw new TypeError(`Job type "${definition.name}": softTimeLimitMs (${softTimeLimitMs}) must be below timeLimitMs (${timeLimitMs})`);
  }
  const hardMs = timeLimitMs ?? config.jobTimeLimitMs;
  return softTimeLimitMs !== undefined && softTimeLimitMs < hardMs ? { hardMs, softMs: softTimeLimitMs } : { hardMs };
}

/** The deadline of an attempt passed: the processor is no longer awaited. */
class HardTimeLimitReached extends Error {}

/**
 * The BullMQ processor of one queue: dispatches by job name to the registered type, gives it
 * a context (progress, logs that reach watchers, the signal, a logger bound to the request id),
 * turns a cancellation into a failure that is not retried, and enforces the type's time limits.
 *
 * Time limits: at the soft one the signal is aborted with a `time limit: soft …` reason; at the
 * hard one it is aborted too, and the processor is no longer awaited: the attempt fails at once
 * with an `UnrecoverableError` (no retry), so BullMQ removes the job's lock and frees the worker
 * slot even when the processor ignores its signal. Such a processor keeps running in the
 * background until it returns (JavaScript cannot stop it): it still uses CPU and memory, its
 * result is ignored, and its context's `progress` and `log` reject from then on.
 */
export function createProcessor(
  queue: string,
  registry: JobRegistry,
  logs: JobLogWriter,
  config: Config,
  logger: Logger,
  /** Called when a job produced by a schedule starts. */
  onScheduledJob: (job: Job) => Promise<void>,
): Processor {
  const limits = new Map<string, TimeLimits>();
  const secrets = secretsOf(config);
  // The types whose jobs may be here: those of this queue, and those a caller may route to it.
  for (const definition of registry.inQueue(queue)) {
    const typeLimits = timeLimitsOf(definition, config);
    if (definition.softTimeLimitMs !== undefined && typeLimits.softMs === undefined) {
      logger.warn(
        { type: definition.name, softTimeLimitMs: definition.softTimeLimitMs, timeLimitMs: typeLimits.hardMs },
        'soft time limit not below the hard one (JOB_TIME_LIMIT_MS): ignored',
      );
    }
    limits.set(definition.name, typeLimits);
  }
  return async (job: Job, token?: string, signal?: AbortSignal) => {
    const definition = registry.get(job.name);
    const limit = limits.get(job.name);
    if (!definition || !queuesOf(definition).includes(queue) || !limit)
      throw new UnrecoverableError(`No processor for job type "${job.name}" on queue "${queue}"`);
    const meta = (job.opts as { jobgate?: JobgateMeta }).jobgate;
    const attempt = job.attemptsMade + 1;
    const jobLogger = logger.child({ jobId: `${queue}:${job.id}`, type: job.name, requestId: meta?.requestId, attempt });
    // BullMQ's `process` span of this attempt (a no-op while tracing is off).
    const traced = traceAttempt({ id: `${queue}:${job.id}`, type: job.name, attempt, requestId: meta?.requestId });
    // The attempts timeline (`Job.attempts`) is a convenience: failing to record it must not fail the job.
    const recordEnd = (outcome: JobAttemptOutcome, error?: string): Promise<void> =>
      logs
        .attemptEnded(job, attempt, outcome, error)
        .catch((thrown: unknown) => jobLogger.warn({ err: thrown }, 'attempt end not recorded'));
    // Aborted by BullMQ's signal (cancellation, hand-back) or at a time limit, with the reason of the first.
    const timer = new AbortController();
    const abort = signal ? AbortSignal.any([signal, timer.signal]) : timer.signal;
    /** Set when the attempt is over: a processor still running past its hard limit records nothing more. */
    let over: string | undefined;
    const context: JobContext = {
      job,
      signal: abort,
      logger: jobLogger,
      config,
      progress: async (update) => {
        if (over !== undefined) throw new Error(over);
        const reported = withPercent(update);
        await job.updateProgress(reported as object);
        traced.progress(reported);
      },
      log: async (line) => {
        if (over !== undefined) throw new Error(over);
        await logs.append(job, line);
      },
      childrenResults: async () => byGlobalId((await job.getChildrenValues()) ?? {}),
      childrenFailures: async () => byGlobalId((await job.getIgnoredChildrenFailures()) ?? {}),
    };
    // BullMQ starts a parent as soon as a CONTINUE child fails (`continueParentOnFailure`), other
    // children still pending, and refuses to complete it while they are: it waits for them instead,
    // and runs once, with every result and failure. Only flow jobs (ids `<uuid>.<n>`) are checked.
    if (token !== undefined && job.id?.includes('.') && (await job.moveToWaitingChildren(token))) {
      jobLogger.info('a child failed under CONTINUE: waiting for the other children');
      throw new WaitingChildrenError();
    }
    jobLogger.info('job started');
    await logs.attemptStarted(job, attempt).catch((thrown: unknown) => jobLogger.warn({ err: thrown }, 'attempt start not recorded'));
    // A run starts from no progress; after a stall, a hand-back or a retry the job still holds its last
    // run's, which `job(id)` would show until this run reports (watchers' ACTIVE event says 0 already).
    if (job.progress !== 0) {
      await job.updateProgress(0).catch((error: unknown) => jobLogger.warn({ err: error }, 'progress of the last run not reset'));
    }
    if (job.repeatJobKey) await onScheduledJob(job);
    const startedAt = Date.now();
    const hardReason = `${TIME_LIMIT_REASON_PREFIX}: hard limit of ${limit.hardMs} ms reached`;
    let hardTimer: NodeJS.Timeout | undefined;
    let softTimer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      hardTimer = setTimeout(() => {
        // Rejected before the signal aborts, so the race below ends on the deadline whatever the processor does.
        reject(new HardTimeLimitReached(hardReason));
        timer.abort(hardReason);
      }, limit.hardMs);
    });
    if (limit.softMs !== undefined) {
      const softReason = `${TIME_LIMIT_REASON_PREFIX}: soft limit of ${limit.softMs} ms reached; stop before the hard limit of ${limit.hardMs} ms`;
      softTimer = setTimeout(() => {
        jobLogger.info({ softTimeLimitMs: limit.softMs }, 'soft time limit reached: signal aborted');
        timer.abort(softReason);
      }, limit.softMs);
    }
    const running = (async () => definition.process(job.data as object, context))();
    try {
      const result = await Promise.race([running, deadline]);
      jobLogger.info('job completed');
      await recordEnd(JobAttemptOutcome.COMPLETED);
      traced.ended('completed');
      return result;
    } catch (error) {
      if (error instanceof HardTimeLimitReached) {
        jobLogger.warn(
          { timeLimitMs: limit.hardMs },
          'hard time limit reached: job failed and its slot freed; the processor is no longer awaited',
        );
        void running.then(
          () => jobLogger.warn({ afterMs: Date.now() - startedAt }, 'processor returned after its hard time limit: result ignored'),
          () => jobLogger.info({ afterMs: Date.now() - startedAt }, 'processor stopped after its hard time limit'),
        );
        await recordEnd(JobAttemptOutcome.FAILED, hardReason);
        traced.ended('time limit', error);
        throw new UnrecoverableError(hardReason);
      }
      if (abort.aborted) {
        const reason = typeof abort.reason === 'string' ? abort.reason : 'cancelled';
        if (timer.signal.aborted && abort.reason === timer.signal.reason) {
          jobLogger.info({ reason }, 'job stopped at its time limit');
          await recordEnd(JobAttemptOutcome.FAILED, reason);
          traced.ended('time limit', reason);
          throw new UnrecoverableError(reason);
        }
        jobLogger.info({ reason }, 'job cancelled');
        await recordEnd(JobAttemptOutcome.CANCELLED, reason);
        traced.ended('cancelled', reason);
        throw new UnrecoverableError(`${CANCELLED_REASON_PREFIX}${reason}`);
      }
      jobLogger.warn({ err: error }, 'job attempt failed');
      // Its message and stack are stored in the job and shown to its readers (failedReason, stacktrace).
      scrubError(error, secrets);
      await recordEnd(JobAttemptOutcome.FAILED, error instanceof Error ? error.message : scrubbed(String(error), secrets));
      traced.ended('failed', error);
      // The type's fallback result after the last attempt (Celery's `except MaxRetriesExceededError: return …`).
      const fallback = await fallbackOf(definition, error, context);
      if (fallback) return fallback.result;
      throw error;
    } finally {
      clearTimeout(hardTimer);
      clearTimeout(softTimer);
      over = `job ${queue}:${job.id}: this attempt is over; progress and logs are no longer recorded`;
    }
  };
}
