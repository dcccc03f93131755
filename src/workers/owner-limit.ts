import { DelayedError, Job, type Processor, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { jobgateKey, jobKey, type RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import type { JobgateMeta } from '../jobs/job-view';
import { timeLimitsOf } from './processor';
import type { JobRegistry } from '../jobs/registry';

/** First delay of a job put back because its owner is at the cap, ms: doubled at each deferral of the job, up to DEFER_MAX_MS. */
const DEFER_FIRST_MS = 1000;
/** Longest delay of a deferred job, ms (±25% jitter): how late it may start when no promotion reaches it. */
const DEFER_MAX_MS = 30_000;
/** How long the set of an owner's deferred jobs outlives the last deferral, ms. */
const DEFERRED_TTL_MS = 2 * DEFER_MAX_MS + 60_000;
/** Entries of an owner's deferred set tried at most, when one of its jobs ends, to find one still delayed. */
const PROMOTE_TRIES = 5;

/**
 * Takes a slot for a job of an owner, or records it as deferred. Each entry of the owner's slots
 * (job id → lock token) counts while BullMQ's lock of that job still holds that token: BullMQ
 * removes the lock in the same script that moves the job out of active (completed, failed,
 * retried, delayed, handed back), and a killed worker's lock expires after WORKER_LOCK_DURATION_MS.
 * So the count is exact without any release, entries that no longer count are dropped here, and
 * a job taken over after a stall re-takes its own entry. The slots key expires after the longest
 * time an admitted job may run (hard time limit + lock duration), so an owner who never comes
 * back leaves nothing behind.
 *
 * KEYS: 1 the owner's slots (hash), 2 the owner's deferred jobs (sorted set, by creation time).
 * ARGV: 1 job id, 2 lock token, 3 limit, 4 job key prefix, 5 slots TTL (ms), 6 job timestamp,
 *   7 deferred set TTL (ms).
 * Returns 1 when the job may run, 0 when its owner is at the cap.
 */
const ADMIT_SCRIPT = `
local slots, deferred = KEYS[1], KEYS[2]
local jobId, token, limit, prefix = ARGV[1], ARGV[2], tonumber(ARGV[3]), ARGV[4]
local held = redis.call('HGETALL', slots)
local count = 0
for i = 1, #held, 2 do
  local id = held[i]
  if id ~= jobId then
    if redis.call('GET', prefix .. id .. ':lock') == held[i + 1] then
      count = count + 1
    else
      redis.call('HDEL', slots, id)
    end
  end
end
if count >= limit then
  redis.call('ZADD', deferred, ARGV[6], jobId)
  if redis.call('PTTL', deferred) < tonumber(ARGV[7]) then redis.call('PEXPIRE', deferred, ARGV[7]) end
  return 0
end
redis.call('HSET', slots, jobId, token)
redis.call('ZREM', deferred, jobId)
if redis.call('PTTL', slots) < tonumber(ARGV[5]) then redis.call('PEXPIRE', slots, ARGV[5]) end
return 1
`;

/** Drops a job's slot entry when it still holds `token` (KEYS: 1 slots; ARGV: 1 job id, 2 token). */
const RELEASE_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0
`;

const ownerOf = (job: Job): string | undefined => (job.opts as { jobgate?: JobgateMeta }).jobgate?.owner;

/**
 * `OWNER_ACTIVE_LIMIT`: at most that many jobs of one owner active at once in a queue, across every
 * worker process, counted in Redis beside the queue's keys (same hash slot on a cluster).
 *
 * BullMQ has no per-group concurrency (groups are BullMQ Pro), so a worker that takes a job whose
 * owner is at the cap puts it back: `Job.moveToDelayed` with `skipAttempt` (no attempt used, no
 * FAILED or retry, a `delayed` stream event) and a `DelayedError`, on which BullMQ neither fails nor
 * retries the job and fetches the next one. The delay doubles at each deferral of the job (1 s to
 * 30 s, jittered), so an owner's backlog is not re-read in a loop; and when one of an owner's jobs
 * ends on this worker, the owner's oldest deferred job is moved to wait at once (to the back of
 * the queue, behind other owners' jobs), so the owner's freed slot does not sit idle for the delay.
 * Jobs without an owner (none are, as Jobgate enqueues them) are not capped.
 */
export class OwnerActiveLimit {
  private readonly admit: (...args: (string | number)[]) => Promise<number>;
  private readonly release: (...args: string[]) => Promise<number>;
  /** Slots TTL: the longest an admitted job of the queue may hold its slot. */
  private readonly slotsTtlMs: number;

  constructor(
    private readonly config: Config,
    private readonly connection: RedisClient,
    private readonly queue: string,
    registry: JobRegistry,
    private readonly logger: Logger,
  ) {
    this.admit = defineScript(connection, 'jobgateOwnerAdmit', 2, ADMIT_SCRIPT);
    this.release = defineScript(connection, 'jobgateOwnerRelease', 1, RELEASE_SCRIPT);
    const longest = Math.max(
      config.jobTimeLimitMs,
      ...registry.inQueue(queue).map((definition) => timeLimitsOf(definition, config).hardMs),
    );
    this.slotsTtlMs = longest + config.workerLockDurationMs + 60_000;
  }

  get enabled(): boolean {
    return this.config.ownerActiveLimit > 0;
  }

  private slotsKey(owner: string): string {
    return jobgateKey(this.config, this.queue, 'owner-slots', encodeURIComponent(owner));
  }

  private deferredKey(owner: string): string {
    return jobgateKey(this.config, this.queue, 'owner-deferred', encodeURIComponent(owner));
  }

  /** `processor`, run only when the job's owner is below the cap; else the job goes back to the queue, delayed. */
  wrap(processor: Processor): Processor {
    if (!this.enabled) return processor;
    return async (job: Job, token: string | undefined, signal: AbortSignal | undefined) => {
      const owner = ownerOf(job);
      if (owner === undefined || token === undefined || job.id === undefined) return processor(job, token, signal);
      let admitted = true;
      try {
        const args = [
          job.id,
          token,
          this.config.ownerActiveLimit,
          jobKey(this.config, this.queue, ''),
          this.slotsTtlMs,
          job.timestamp,
          DEFERRED_TTL_MS,
        ];
        admitted = (await this.admit(this.slotsKey(owner), this.deferredKey(owner), ...args)) === 1;
      } catch (error) {
        // The cap is about fairness: rather run the job than fail an attempt over it.
        this.logger.warn({ err: error, jobId: `${this.queue}:${job.id}` }, 'owner cap not checked; running the job');
      }
      if (admitted) return processor(job, token, signal);
      const delayMs = this.deferral(job);
      try {
        await job.moveToDelayed(Date.now() + delayMs, token);
        this.logger.debug({ jobId: `${this.queue}:${job.id}`, owner, delayMs }, 'owner at its cap of active jobs: job deferred');
      } catch (error) {
        // Its lock lost, or Redis away: the job stays active without a lock, and stall detection returns it.
        this.logger.warn(
          { err: error, jobId: `${this.queue}:${job.id}` },
          'job of an owner at its cap not deferred; stall detection will return it',
        );
      }
      throw new DelayedError();
    };
  }

  /**
   * How long `job` waits before it is tried again: DEFER_FIRST_MS doubled per earlier deferral,
   * at most DEFER_MAX_MS, ±25%. Earlier deferrals are the starts that ended neither in an attempt
   * nor in a stall (hand-backs on shutdown count too: a longer wait, nothing worse).
   */
  private deferral(job: Job): number {
    const earlier = Math.max(0, job.attemptsStarted - job.attemptsMade - job.stalledCounter - 1);
    const base = Math.min(DEFER_MAX_MS, DEFER_FIRST_MS * 2 ** Math.min(earlier, 16));
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  /** Follows `worker`'s jobs to their end (completed, failed or retried: out of active) to free their owner's slot. */
  watch(worker: Worker): void {
    if (!this.enabled) return;
    const ended = (job: Job | undefined): void => {
      if (!job) return;
      this.ended(worker, job).catch((error: unknown) =>
        this.logger.warn({ err: error, jobId: `${this.queue}:${job.id}` }, 'owner slot not released; it is dropped when its lock is gone'),
      );
    };
    worker.on('completed', ended);
    worker.on('failed', ended);
  }

  /** Drops the job's slot entry, and moves its owner's oldest deferred job that is still delayed to wait. */
  private async ended(worker: Worker, job: Job): Promise<void> {
    const owner = ownerOf(job);
    if (owner === undefined || job.id === undefined) return;
    if (job.token) await this.release(this.slotsKey(owner), job.id, job.token);
    for (let tries = 0; tries < PROMOTE_TRIES; tries++) {
      const [next] = await this.connection.zpopmin(this.deferredKey(owner));
      if (next === undefined) return;
      const deferred = await Job.fromId(worker, next);
      if (!deferred) continue;
      try {
        await deferred.promote();
        return;
      } catch {
        // No longer delayed: waiting or running already, so it takes the slot without help.
        return;
      }
    }
  }
}
