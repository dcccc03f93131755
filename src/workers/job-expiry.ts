import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { jobgateKey, type RedisClient } from '../redis/connections';
import type { JobgateMeta } from '../jobs/job-view';
import type { QueueSet } from '../services/queue-set';

/** How often due jobs are looked for, ms: an expiry is honoured within about this much. */
const SWEEP_EVERY_MS = 1000;
/** Jobs removed per queue per sweep at most; the rest wait for the next. */
const SWEEP_BATCH = 200;

const expiringKey = (config: Config, queue: string): string => jobgateKey(config, queue, 'expiring');

/**
 * Removes completed jobs whose caller asked for it sooner than their queue's retention
 * (`removeOnCompleteAfterSeconds`). BullMQ cannot: the age on a completing job trims the
 * queue's whole completed set, everyone's jobs included. So each job carries its queue's
 * retention for BullMQ, and its own expiry in `opts.jobgate`; when it completes, the worker
 * notes it in a sorted set per queue (score: when it expires), and every worker process sweeps
 * the sets of its queues once a second. Removing twice is harmless, so workers need no lock.
 */
export class JobExpiry {
  private readonly timer: NodeJS.Timeout;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly config: Config,
    private readonly connection: RedisClient,
    private readonly queues: QueueSet,
    private readonly served: readonly string[],
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => {
      this.sweeping = this.sweeping
        .then(() => this.sweep())
        .catch((error: unknown) => this.logger.warn({ err: error }, 'expired jobs not removed; trying again'));
    }, SWEEP_EVERY_MS);
    this.timer.unref();
  }

  /** Notes a job that just completed, when it asked to expire. */
  async completed(job: Job): Promise<void> {
    const seconds = (job.opts as { jobgate?: JobgateMeta }).jobgate?.expireAfterSeconds;
    if (seconds === undefined || job.id === undefined) return;
    await this.connection.zadd(expiringKey(this.config, job.queueName), (job.finishedOn ?? Date.now()) + seconds * 1000, job.id);
  }

  /** Removes the jobs that are due, in every queue this process serves. */
  async sweep(): Promise<void> {
    const now = Date.now();
    for (const queue of this.served) {
      const key = expiringKey(this.config, queue);
      const due = await this.connection.zrangebyscore(key, '-inf', now, 'LIMIT', 0, SWEEP_BATCH);
      if (due.length === 0) continue;
      await Promise.all(due.map((jobId) => this.queues.get(queue).remove(jobId)));
      await this.connection.zrem(key, ...due);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }
}
