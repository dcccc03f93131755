import { UnrecoverableError, type BackoffStrategy, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import type { JobContext, JobDefinition, RetryContext } from '../jobs/job-definition';
import type { JobRegistry } from '../jobs/registry';
import {
  backoffDelay,
  cappedDelay,
  checkBackoffDefinition,
  isStoredBackoff,
  MAX_BACKOFF_MS,
  type StoredBackoff,
} from '../jobs/retry-policy';
import type { JobLogWriter } from './job-log';

/** `ms` as a person reads it in a log line. */
function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** How the delay of a backoff was reached, for the job's log. */
function describe(backoff: StoredBackoff, retry: number): string {
  const base = backoff.growth === 'exponential' ? `${duration(backoff.delay)} × 2^${retry - 1}` : `fixed ${duration(backoff.delay)}`;
  const cap =
    backoff.maxDelay !== undefined && cappedDelay(backoff, retry) === backoff.maxDelay ? `, capped at ${duration(backoff.maxDelay)}` : '';
  return `${base}${cap}${backoff.jitter ? `, jitter ${backoff.jitter}` : ''}`;
}

/**
 * The `settings.backoffStrategy` of every worker: BullMQ calls it when an attempt of a job whose
 * backoff is Jobgate's (`jobgate`, every job the gateway enqueues with retries) failed and another
 * attempt remains, with the error the processor threw. The job type's countdown for that kind of
 * error wins (Celery's `self.retry(countdown=…)`); else the job's backoff, grown, capped and
 * jittered. The delay is logged in the job (a LOG event: Flower's "next retry in"). A job of another
 * custom backoff type, which no Jobgate gateway writes, fails rather than retry on a guess.
 */
export function createBackoffStrategy(registry: JobRegistry, config: Config, logs: JobLogWriter, logger: Logger): BackoffStrategy {
  for (const definition of registry.definitions) checkBackoffDefinition(definition);
  return async (attemptsMade, type, error, minimal) => {
    // BullMQ passes the Job it is failing (the `MinimalJob` of its types).
    const job = minimal as Job | undefined;
    const stored: unknown = job?.opts.backoff;
    if (!job || !isStoredBackoff(stored)) {
      logger.warn({ jobId: job?.id, type, queue: job?.queueName }, 'unknown backoff type: the job fails without retry');
      return -1;
    }
    const jobId = `${job.queueName}:${job.id}`;
    const context: RetryContext = { retries: attemptsMade - 1, job, config };
    let countdown: number | undefined;
    try {
      countdown = error ? registry.get(job.name)?.retry?.countdown?.(error, context) : undefined;
    } catch (thrown) {
      logger.warn({ err: thrown, jobId }, "the job type's countdown threw: its backoff applies");
    }
    const byCountdown = countdown !== undefined && Number.isFinite(countdown);
    const delay = byCountdown ? Math.min(Math.max(0, Math.round(countdown ?? 0)), MAX_BACKOFF_MS) : backoffDelay(stored, attemptsMade);
    const why = byCountdown ? `countdown of ${job.name} for ${error?.name ?? 'this error'}` : describe(stored, attemptsMade);
    await logs
      .append(job, `attempt ${attemptsMade} failed: next attempt in ${duration(delay)} (${why})`)
      .catch((thrown: unknown) => logger.warn({ err: thrown, jobId }, 'retry delay not logged'));
    return delay;
  };
}

/**
 * Whether the attempt that threw `error` exhausted the job's retries (Celery's
 * `MaxRetriesExceededError`): it was the last of several. An `UnrecoverableError` means "do not
 * retry" (an exception raised outside `self.retry`), and a job of one attempt has no retries to exhaust.
 */
function retriesExhausted(error: Error, job: Job): boolean {
  const attempts = job.opts.attempts ?? 1;
  const unrecoverable = error instanceof UnrecoverableError || error.name === 'UnrecoverableError';
  return !unrecoverable && attempts > 1 && job.attemptsMade + 1 >= attempts;
}

/**
 * The result a job completes with instead of failing, when its retries are exhausted and its type's
 * `retry.fallback` gives one for `thrown` (Celery's `except MaxRetriesExceededError: return {...}`);
 * undefined otherwise. Called by the processor for an error of the processor's own, never for a
 * cancellation, a time limit or an expired job.
 */
export async function fallbackOf(
  definition: JobDefinition,
  thrown: unknown,
  context: JobContext,
): Promise<{ result: unknown } | undefined> {
  const fallback = definition.retry?.fallback;
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  if (!fallback || !retriesExhausted(error, context.job)) return undefined;
  let result: unknown;
  try {
    result = fallback(error, context.job.data as object, { retries: context.job.attemptsMade, job: context.job, config: context.config });
  } catch (thrown) {
    context.logger.warn({ err: thrown }, "the job type's fallback threw: the job fails");
    return undefined;
  }
  if (result === undefined) return undefined;
  context.logger.warn({ err: error }, 'last attempt failed: the job completes with its fallback result');
  await context
    .log(
      `attempt ${context.job.attemptsMade + 1} failed (${error.message.slice(0, 200)}); no attempt left: completed with the fallback result`,
    )
    .catch(() => undefined);
  return { result };
}
