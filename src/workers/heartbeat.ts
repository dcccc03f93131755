import { hostname } from 'node:os';
import type { Job, Processor, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { toGlobalId } from '../jobs/job-id';
import type { RedisClient } from '../redis/connections';
import { workerRegistryKey, type WorkerRecord } from '../services/worker-registry';

/** A job a worker process runs now. */
export interface ActiveJob {
  /** Its global id, `<queue>:<id>`. */
  id: string;
  queue: string;
}

/**
 * What a worker process has done, as its heartbeats report it: the jobs its processors run now,
 * and the attempts its BullMQ workers finished (`processed`) and, of those, failed.
 */
export class WorkerActivity {
  private readonly running = new Map<string, ActiveJob>();
  processed = 0;
  failed = 0;

  /** `processor`, with each job in the running set while the processor runs it. */
  tracking(processor: Processor, queue: string): Processor {
    return async (job: Job, token: string | undefined, signal: AbortSignal | undefined) => {
      const active = { id: toGlobalId({ queue, jobId: job.id ?? '' }), queue };
      this.running.set(active.id, active);
      try {
        return await processor(job, token, signal);
      } finally {
        this.running.delete(active.id);
      }
    };
  }

  /** Counts `worker`'s finished attempts. A job handed back or put off (owner cap) is neither. */
  count(worker: Worker): void {
    worker.on('completed', () => this.processed++);
    worker.on('failed', () => {
      this.processed++;
      this.failed++;
    });
  }

  get activeJobs(): ActiveJob[] {
    return [...this.running.values()];
  }
}

/** Who a worker process is, as its heartbeats say. */
export interface WorkerIdentity {
  /** `<host>:<pid>`, the name its BullMQ workers carry. */
  id: string;
  queues: string[];
  concurrency: number;
}

/**
 * Publishes this worker process's record into the worker registry every WORKER_HEARTBEAT_MS, and
 * removes it on a clean stop (gateways then report the process OFFLINE; one whose heartbeats stop
 * without that is LOST).
 */
export class Heartbeat {
  private readonly key: string;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private cpu = process.cpuUsage();
  private cpuAt = performance.now();
  private failing = false;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly identity: WorkerIdentity,
    private readonly activity: WorkerActivity,
    private readonly logger: Logger,
  ) {
    this.key = workerRegistryKey(config);
  }

  /** Publishes the first heartbeat (gateways see the process ONLINE), then one every interval. */
  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.config.workerHeartbeatMs);
  }

  /** Stops the heartbeats and leaves the registry. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beating;
    await this.redis.hdel(this.key, this.identity.id);
  }

  /** One write at a time: while Redis is away a beat waits, and later ones are skipped rather than queued. */
  private beat(): Promise<void> {
    this.beating ??= this.write().finally(() => (this.beating = undefined));
    return this.beating;
  }

  private async write(): Promise<void> {
    try {
      await this.redis.hset(this.key, this.identity.id, JSON.stringify(this.record()));
      if (this.failing) this.logger.info('heartbeat published again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error }, 'heartbeat not published; gateways may show this worker LOST');
      this.failing = true;
    }
  }

  private record(): WorkerRecord {
    const now = performance.now();
    const used = process.cpuUsage(this.cpu);
    // CPU time (µs) over wall time (ms) since the last heartbeat: 100 is one core busy throughout.
    const cpuPercent = (used.user + used.system) / 10 / Math.max(now - this.cpuAt, 1);
    this.cpu = process.cpuUsage();
    this.cpuAt = now;
    return {
      host: hostname(),
      pid: process.pid,
      queues: this.identity.queues,
      concurrency: this.identity.concurrency,
      startedAt: Math.round(performance.timeOrigin),
      lastHeartbeatAt: Date.now(),
      heartbeatMs: this.config.workerHeartbeatMs,
      activeJobs: this.activity.activeJobs,
      processed: this.activity.processed,
      failed: this.activity.failed,
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      rssBytes: process.memoryUsage.rss(),
    };
  }
}
