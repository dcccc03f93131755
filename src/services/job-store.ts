import { Job } from 'bullmq';
import type { Config } from '../config';
import { jobgateKey, type RedisClient } from '../redis/connections';
import type { CancelledJobs } from './cancelled-jobs';
import type { JobAddress } from '../jobs/job-id';
import type { JobReader } from '../jobs/job-reader';
import { JobState, stateOf, viewOf, type JobView } from '../jobs/job-view';
import type { QueueSet } from './queue-set';

/** How many times `load` reads a job again when its fields and its state disagree on whether it finished. */
const TORN_READ_RETRIES = 2;

/**
 * Reads jobs from Redis and keeps the tombstones of cancelled jobs. Every read goes through
 * here so request-scoped loaders (DataLoader) and the EventHub share one way of building a
 * `JobView`.
 */
export class JobStore implements JobReader {
  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    readonly queues: QueueSet,
    /** The count of cancelled jobs per queue, tombstones included. */
    readonly cancelled: CancelledJobs,
  ) {}

  /** The BullMQ job, or undefined when absent. One HGETALL. */
  async fetch({ queue, jobId }: JobAddress): Promise<Job | undefined> {
    if (!this.queues.has(queue)) return undefined;
    const job = await Job.fromId(this.queues.get(queue), jobId);
    return job ?? undefined;
  }

  /**
   * The job with its current state, or its tombstone when it was cancelled before it ran. The
   * job's fields and its state are two reads, which a worker finishing the job can fall between
   * (a COMPLETED state with no result yet): when one says finished and the other not, both are
   * read again, up to TORN_READ_RETRIES times.
   */
  async load(address: JobAddress): Promise<JobView | undefined> {
    if (!this.queues.has(address.queue)) return undefined;
    const queue = this.queues.get(address.queue);
    for (let retry = 0; ; retry += 1) {
      const [job, bullState] = await Promise.all([this.fetch(address), queue.getJobState(address.jobId)]);
      if (!job) return this.tombstone(address);
      const finished = bullState === 'completed' || bullState === 'failed';
      if (finished === Boolean(job.finishedOn) || retry === TORN_READ_RETRIES) return viewOf(job, stateOf(bullState, job.failedReason));
    }
  }

  /** The view kept for a job cancelled (and removed) before it ran. */
  async tombstone(address: JobAddress): Promise<JobView | undefined> {
    const raw = await this.redis.get(this.tombstoneKey(address));
    if (!raw) return undefined;
    const stored = JSON.parse(raw) as JobView;
    return {
      ...stored,
      // Tombstones written before `attempt` existed: a finished job's attempt is its last.
      attempt: (stored as Partial<JobView>).attempt ?? stored.attemptsMade,
      createdAt: new Date(stored.createdAt),
      startedAt: stored.startedAt ? new Date(stored.startedAt) : null,
      finishedAt: stored.finishedAt ? new Date(stored.finishedAt) : null,
    };
  }

  /** Records that `view` was cancelled before it ran, for as long as failed jobs are kept. */
  async writeTombstone(view: JobView, reason: string): Promise<JobView> {
    const cancelled: JobView = {
      ...view,
      state: JobState.CANCELLED,
      failedReason: reason,
      attempt: view.attemptsMade,
      finishedAt: new Date(),
    };
    await this.redis.set(this.tombstoneKey(view), JSON.stringify(cancelled), 'EX', this.tombstoneSeconds);
    return cancelled;
  }

  /** Counts `tombstone` among its queue's cancelled jobs, once its BullMQ job is removed. */
  async countTombstone(tombstone: JobView): Promise<void> {
    const at = tombstone.finishedAt?.getTime() ?? Date.now();
    await this.cancelled.recordRemoved(tombstone.queue, tombstone.jobId, at, at + this.tombstoneSeconds * 1000);
  }

  async removeTombstone(address: JobAddress): Promise<void> {
    await Promise.all([this.redis.del(this.tombstoneKey(address)), this.cancelled.forgetTombstone(address.queue, address.jobId)]);
  }

  /**
   * The last `count` log lines of a job, oldest first: one LRANGE (BullMQ's `getJobLogs` wraps
   * it in a MULTI with an LLEN, four commands where listings need one).
   */
  async logs({ queue, jobId }: JobAddress, count: number): Promise<string[]> {
    if (!this.queues.has(queue) || count <= 0) return [];
    return this.redis.lrange(this.queues.get(queue).toKey(`${jobId}:logs`), -count, -1);
  }

  private get tombstoneSeconds(): number {
    return Math.max(60, this.config.keepFailedSeconds);
  }

  private tombstoneKey({ queue, jobId }: JobAddress): string {
    return jobgateKey(this.config, queue, 'cancelled', jobId);
  }
}
