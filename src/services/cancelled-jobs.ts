import type { Config } from '../config';
import { jobgateKey, type RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import type { QueueSet } from './queue-set';
import type { ThroughputView } from './throughput';

const MINUTE_MS = 60_000;
/** How long each cancellation stays in the per-minute log: longer than the longest throughput shown (60 minutes). */
const LOG_KEEP_MS = 2 * 60 * MINUTE_MS;
/** Oldest members of the cancelled-and-failed set checked against BullMQ's failed set per record. */
const PRUNE_BATCH = 100;

/** How a cancelled job ended: failed by its worker (BullMQ counted it as failed), or removed before it started. */
export type CancelKind = 'failed' | 'removed';

/** A queue's cancelled jobs: how many are kept, and how many were cancelled per minute. */
export interface CancelledCounts {
  /** Cancelled while active: BullMQ keeps these among its failed jobs (and counts them there). */
  inFailed: number;
  /** Cancelled before they started: removed from BullMQ, kept as Jobgate tombstones. */
  tombstones: number;
}

/** A queue's cancellations by minute, newest first, and since counting began. */
export interface CancelledThroughput {
  /** Every cancellation. */
  all: ThroughputView;
  /** Only those of active jobs, which BullMQ's metrics count as failed. */
  failed: ThroughputView;
}

/**
 * Records a cancellation. KEYS: 1 the set of its kind (jobs cancelled while active that BullMQ
 * keeps as failed, or tombstones), 2 the per-minute log, 3 the totals, 4 BullMQ's failed set.
 * ARGV: 1 job id, 2 its score in KEYS[1] (when it failed; when its tombstone expires), 3 when it
 * was cancelled (ms), 4 its log entry, 5 the oldest log entry kept (ms), 6 the kind, 7 prune batch.
 */
const RECORD_SCRIPT = `
local rcall = redis.call
rcall('ZADD', KEYS[1], ARGV[2], ARGV[1])
if ARGV[6] == 'failed' then
  -- Forget the oldest jobs that BullMQ no longer keeps as failed (trimmed by its retention, removed):
  -- they no longer count anyway (the count is an intersection), this only bounds the set.
  for _, id in ipairs(rcall('ZRANGE', KEYS[1], 0, tonumber(ARGV[7]) - 1)) do
    if not rcall('ZSCORE', KEYS[4], id) then rcall('ZREM', KEYS[1], id) end
  end
  rcall('HINCRBY', KEYS[3], 'failed', 1)
else
  rcall('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
end
rcall('HINCRBY', KEYS[3], 'all', 1)
rcall('ZADD', KEYS[2], ARGV[3], ARGV[4])
rcall('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[5])
return 1`;

/**
 * Jobgate's count of cancelled jobs per queue, beside BullMQ's. BullMQ knows no cancellation: a
 * job cancelled while active fails (its reason starts with `jobgate.cancelled: `), so BullMQ keeps
 * it among its failed jobs and counts it in its failed metrics; a job cancelled before it started
 * is removed, and Jobgate keeps its tombstone. So each cancellation is recorded here, in the
 * queue's hash slot: by the worker once BullMQ has failed the job, by the gateway once it has
 * removed one that had not started. Readers take from BullMQ's failed figures only what was
 * recorded here:
 * - counts: the jobs cancelled while active are a set intersected with BullMQ's failed set when
 *   counted (`ZINTERCARD`), so whatever BullMQ's retention trims (by age or count), or a removal,
 *   leaves the count at once; tombstones are a set scored by expiry, counted from now on;
 * - rates: a log of cancellations by the time they ended (for a failed job, its `finishedOn`, the
 *   time BullMQ's metrics count it under), kept two hours, and totals since counting began.
 */
export class CancelledJobs {
  private readonly record: (...args: (string | number)[]) => Promise<number>;
  /** False once Redis answered that it has no ZINTERCARD (before 7.0). */
  private intercard = true;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly queues: QueueSet,
  ) {
    this.record = defineScript(redis, 'jobgateRecordCancel', 4, RECORD_SCRIPT);
  }

  /** Records a job that its worker failed as cancelled (after BullMQ moved it to failed, at `finishedOn`). */
  async recordFailed(queue: string, jobId: string, finishedOn: number): Promise<void> {
    await this.recordCancel(queue, jobId, 'failed', finishedOn, finishedOn);
  }

  /** Records a job removed before it started, whose tombstone expires at `expiresAt` (ms). */
  async recordRemoved(queue: string, jobId: string, at: number, expiresAt: number): Promise<void> {
    await this.recordCancel(queue, jobId, 'removed', at, expiresAt);
  }

  /**
   * A job that leaves BullMQ's failed set to run again (retried by Jobgate): were it to fail
   * later for another reason, it would be in the failed set again and must not count as cancelled.
   */
  async forgetFailed(queue: string, jobId: string): Promise<void> {
    await this.redis.zrem(this.key(queue, 'in-failed'), jobId);
  }

  /** A tombstone removed before it expired. */
  async forgetTombstone(queue: string, jobId: string): Promise<void> {
    await this.redis.zrem(this.key(queue, 'tombstones'), jobId);
  }

  /** The cancelled jobs of `queue` kept now: two commands, no script. */
  async counts(queue: string): Promise<CancelledCounts> {
    const [inFailed, tombstones] = await Promise.all([
      this.inFailed(queue),
      this.redis.zcount(this.key(queue, 'tombstones'), `(${Date.now()}`, '+inf'),
    ]);
    return { inFailed, tombstones };
  }

  /** The last `minutes` of cancellations of `queue` as of `now`, newest minute first (like `throughputOf`). */
  async throughput(queue: string, now: number, minutes: number): Promise<CancelledThroughput> {
    const nowMinute = Math.floor(now / MINUTE_MS);
    const [entries, [all, failed]] = await Promise.all([
      this.redis.zrangebyscore(this.key(queue, 'log'), (nowMinute - minutes + 1) * MINUTE_MS, '+inf', 'WITHSCORES'),
      this.redis.hmget(this.key(queue, 'totals'), 'all', 'failed'),
    ]);
    const perMinute = { all: new Array<number>(minutes).fill(0), failed: new Array<number>(minutes).fill(0) };
    for (let index = 0; index < entries.length; index += 2) {
      const minute = nowMinute - Math.floor(Number(entries[index + 1]) / MINUTE_MS);
      if (minute < 0 || minute >= minutes) continue;
      perMinute.all[minute] += 1;
      if (entries[index].startsWith('failed:')) perMinute.failed[minute] += 1;
    }
    return {
      all: { total: Number(all ?? 0), perMinute: perMinute.all },
      failed: { total: Number(failed ?? 0), perMinute: perMinute.failed },
    };
  }

  private async recordCancel(queue: string, jobId: string, kind: CancelKind, at: number, score: number): Promise<void> {
    await this.record(
      this.key(queue, kind === 'failed' ? 'in-failed' : 'tombstones'),
      this.key(queue, 'log'),
      this.key(queue, 'totals'),
      this.queues.get(queue).keys.failed,
      jobId,
      score,
      at,
      // A job may be cancelled again after a retry: one entry per cancellation.
      `${kind}:${jobId}:${at}`,
      at - LOG_KEEP_MS,
      kind,
      PRUNE_BATCH,
    );
  }

  /** How many jobs cancelled while active BullMQ still keeps as failed. */
  private async inFailed(queue: string): Promise<number> {
    const keys = [this.key(queue, 'in-failed'), this.queues.get(queue).keys.failed];
    if (this.intercard) {
      try {
        return await this.redis.zintercard(2, ...keys);
      } catch (error) {
        if (!(error instanceof Error && /unknown command/i.test(error.message))) throw error;
        this.intercard = false;
      }
    }
    // Redis before 7.0: the same intersection, stored and dropped (its reply is the count).
    const scratch = this.key(queue, 'scratch');
    const count = await this.redis.zinterstore(scratch, 2, ...keys);
    await this.redis.del(scratch);
    return count;
  }

  /** Keys beside the queue's own, in its hash slot (apart from tombstones' `…:jobgate:cancelled:<job id>`). */
  private key(queue: string, name: string): string {
    return jobgateKey(this.config, queue, 'cancels', name);
  }
}
