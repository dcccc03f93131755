import type { Job } from 'bullmq';
import { requireRole, Role, type Caller } from '../auth/caller';
import { badInput, unknownQueue } from '../errors';
import { CANCELLED_REASON_PREFIX, JobState } from '../jobs/job-view';
import type { QueueSet } from './queue-set';
import { LIMIT_BOUNDS, overrideLimits, resetLimits, type RateLimit } from './runtime-limits';

/** States `cleanQueue` may clean, as BullMQ names them. */
const CLEANABLE: Partial<Record<JobState, 'completed' | 'failed' | 'wait' | 'delayed' | 'prioritized'>> = {
  [JobState.COMPLETED]: 'completed',
  [JobState.FAILED]: 'failed',
  [JobState.WAITING]: 'wait',
  [JobState.DELAYED]: 'delayed',
  [JobState.PRIORITIZED]: 'prioritized',
};

/** Failed jobs read at a time by `retryFailed`. */
const RETRY_PAGE = 1000;

/** Queue-wide actions: admin only, like Flower's. */
export class QueueControlService {
  constructor(private readonly queues: QueueSet) {}

  private queue(name: string, caller: Caller, action: string) {
    requireRole(caller, Role.ADMIN, action);
    if (!this.queues.has(name)) throw unknownQueue(name, this.queues.names);
    return this.queues.get(name);
  }

  /** Workers take no new job from the queue until it is resumed; active jobs finish. */
  async pause(name: string, caller: Caller): Promise<void> {
    await this.queue(name, caller, 'pause queues').pause();
  }

  async resume(name: string, caller: Caller): Promise<void> {
    await this.queue(name, caller, 'resume queues').resume();
  }

  /** Deletes the waiting jobs (and the delayed ones with `delayed`). */
  async drain(name: string, delayed: boolean, caller: Caller): Promise<void> {
    await this.queue(name, caller, 'drain queues').drain(delayed);
  }

  /** Deletes up to `limit` jobs in `state` older than `olderThanSeconds`; returns how many. */
  async clean(name: string, state: JobState, olderThanSeconds: number, limit: number, caller: Caller): Promise<number> {
    const queue = this.queue(name, caller, 'clean queues');
    const bullState = CLEANABLE[state];
    if (!bullState) throw badInput('state', `${state} jobs cannot be cleaned; cleanable: ${Object.keys(CLEANABLE).join(', ')}`);
    if (!Number.isInteger(olderThanSeconds) || olderThanSeconds < 0)
      throw badInput('olderThanSeconds', 'olderThanSeconds must be a non-negative integer');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw badInput('limit', 'limit must be an integer from 1 to 100000');
    return (await queue.clean(olderThanSeconds * 1000, limit, bullState)).length;
  }

  /**
   * Sets the queue's rate limit for every worker process, at their next fetch (Flower's
   * `rate_limit`), or removes it (null), until `resetLimits`; workers that start later keep it.
   */
  async setRateLimit(name: string, rateLimit: RateLimit | null, caller: Caller): Promise<void> {
    const queue = this.queue(name, caller, 'change rate limits');
    if (rateLimit) {
      checkRange('rateLimit.max', rateLimit.max, LIMIT_BOUNDS.max);
      checkRange('rateLimit.durationMs', rateLimit.durationMs, LIMIT_BOUNDS.durationMs);
    }
    await overrideLimits(queue, { rateLimit: rateLimit && { max: rateLimit.max, durationMs: rateLimit.durationMs } });
  }

  /** Caps the jobs of the queue active at once across every worker process, or lifts the cap (null), until `resetLimits`. */
  async setGlobalConcurrency(name: string, concurrency: number | null, caller: Caller): Promise<void> {
    const queue = this.queue(name, caller, 'change global concurrency');
    if (concurrency !== null) checkRange('concurrency', concurrency, LIMIT_BOUNDS.concurrency);
    await overrideLimits(queue, { concurrency });
  }

  /** Drops the limits set at runtime: those the workers were configured with apply again. */
  async resetLimits(name: string, caller: Caller): Promise<void> {
    await resetLimits(this.queue(name, caller, 'reset queue limits'));
  }

  /** Moves up to `limit` failed jobs (newest first) back to waiting; returns how many. */
  async retryFailed(name: string, limit: number, caller: Caller): Promise<number> {
    const queue = this.queue(name, caller, 'retry failed jobs');
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw badInput('limit', 'limit must be an integer from 1 to 10000');
    // Jobs their owners cancelled while they ran are in the failed set too: they stay cancelled.
    const retried: Job[] = [];
    for (let start = 0; retried.length < limit; start += RETRY_PAGE) {
      const page = await queue.getJobs(['failed'], start, start + RETRY_PAGE - 1, false);
      retried.push(...page.filter((job) => !job.failedReason?.startsWith(CANCELLED_REASON_PREFIX)).slice(0, limit - retried.length));
      if (page.length < RETRY_PAGE) break;
    }
    await Promise.all(retried.map((job) => job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })));
    return retried.length;
  }
}

/** BAD_USER_INPUT on `field` unless `value` is an integer from 1 to `max`. */
function checkRange(field: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw badInput(field, `${field.split('.').pop()} must be an integer from 1 to ${max}, got ${value}`);
  }
}
