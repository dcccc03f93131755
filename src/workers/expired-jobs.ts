import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { Logger } from 'pino';
import { EXPIRED_REASON_PREFIX, type JobgateMeta } from '../jobs/job-view';

/** The instant (epoch ms) past which no attempt of `job` starts, when its caller gave one. */
export const expiresAtOf = (job: Job): number | undefined => (job.opts as { jobgate?: JobgateMeta }).jobgate?.expiresAt;

/**
 * `processor`, run only while the job's `expiresAt` (Celery's `expires`) has not passed. A worker
 * that picks the job up later fails it at once, before the processor or anything else runs (the
 * owner cap, progress reset, schedule bookkeeping), with an `UnrecoverableError` whose reason
 * starts `expired`: FAILED, visible, and not retried. Checked where every worker takes every
 * attempt, so it holds however long the job waited (no worker running, a paused queue, a backlog),
 * and a retry due after `expiresAt` is not run either, as Celery's retries keep `expires`.
 */
export function refusingExpired(processor: Processor, queue: string, logger: Logger): Processor {
  return async (job: Job, token: string | undefined, signal: AbortSignal | undefined) => {
    const expiresAt = expiresAtOf(job);
    if (expiresAt !== undefined && Date.now() >= expiresAt) {
      const at = new Date(expiresAt).toISOString();
      logger.info({ jobId: `${queue}:${job.id}`, type: job.name, expiresAt: at }, 'job expired before it started: not run');
      throw new UnrecoverableError(`${EXPIRED_REASON_PREFIX}: not started by ${at} (expiresAt)`);
    }
    return processor(job, token, signal);
  };
}
