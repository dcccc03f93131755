import type { JobType as BullJobState } from 'bullmq';
import { Cluster } from 'ioredis';
import { requireReadAll, type Caller } from '../auth/caller';
import { unknownQueue } from '../errors';
import type { RedisClient } from '../redis/connections';
import type { CancelledCounts, CancelledJobs } from './cancelled-jobs';
import type { QueueSet } from './queue-set';
import { runtimeLimitsOf } from './runtime-limits';
import { throughputOf, type ThroughputView } from './throughput';
import { parseClientList, workersOf, type WorkerView } from './worker-clients';

/** Jobs of a queue by BullMQ state, and those cancelled. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  completed: number;
  /** BullMQ's failed jobs less those cancelled while active, which BullMQ keeps among them. */
  failed: number;
  /** Cancelled jobs kept: failed on their worker as cancelled, or tombstones of jobs cancelled before they started. */
  cancelled: number;
  /**
   * Jobs held by a pause: the waiting and prioritized jobs of a paused queue, also counted
   * there (BullMQ 5+ keeps a paused queue's jobs in place and only flags the queue); 0 otherwise.
   */
  paused: number;
  waitingChildren: number;
}

/** A queue's counts and whether it is paused. */
export interface QueueCountsView {
  queue: string;
  counts: QueueCounts;
  paused: boolean;
}

/** At most `max` jobs start per `durationMs`, across every worker. */
export interface RateLimitView {
  max: number;
  durationMs: number;
}

/** Everything the `queues` query shows of one queue. */
export interface QueueOverview extends QueueCountsView {
  /** Declared on a job type of the queue, else BullMQ's global rate limit of the queue, else null. */
  rateLimit: RateLimitView | null;
  /** BullMQ's global concurrency of the queue (jobs active at once across every worker), else null. */
  globalConcurrency: number | null;
  /** Whether an admin set the rate limit or the global concurrency at runtime (not reset since). */
  limitsOverridden: boolean;
  workerCount: number;
  completed: ThroughputView;
  /** BullMQ's failed metrics less the jobs cancelled while active, which they count as failed. */
  failed: ThroughputView;
  /** Jobs cancelled, active or not started, from Jobgate's own record (BullMQ has none). */
  cancelled: ThroughputView;
  /** BullMQ's own failed total, cancelled jobs included: tells a reset of BullMQ's metrics from a late cancellation record. */
  bullFailedTotal: number;
}

const COUNTED: BullJobState[] = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'waiting-children'];

type Clients = ReturnType<typeof parseClientList>;

/**
 * Reads queue and worker state for monitoring. Every read of a pass is issued at once (one
 * round trip's latency, however many queues and fields), and the connection list that tells
 * workers apart is read once per pass rather than once per queue as `Queue.getWorkers` would.
 */
export class QueueMonitor {
  constructor(
    private readonly queues: QueueSet,
    private readonly redis: RedisClient,
    private readonly cancelled: CancelledJobs,
  ) {}

  get names(): readonly string[] {
    return this.queues.names;
  }

  /** Refuses callers that may not see every queue (monitoring shows everyone's jobs in aggregate). */
  authorize(caller: Caller): void {
    requireReadAll(caller, 'see queues and workers');
  }

  /** BAD_USER_INPUT on `field` unless `name` is a registered queue. */
  check(name: string, field = 'queue'): void {
    if (!this.queues.has(name)) throw unknownQueue(name, this.names, field);
  }

  /** Counts and paused flag of each queue: one counting script, one flag read and two cancelled counts per queue. */
  counts(names: readonly string[]): Promise<QueueCountsView[]> {
    return Promise.all(
      names.map(async (name) => {
        const queue = this.queues.get(name);
        const [raw, paused, cancelled] = await Promise.all([queue.getJobCounts(...COUNTED), queue.isPaused(), this.cancelled.counts(name)]);
        return { queue: name, counts: countsOf(raw, paused, cancelled), paused };
      }),
    );
  }

  /** Counts, paused, rate limit, workers and the last `minutes` of throughput of each queue. */
  async overview(names: readonly string[], minutes: number): Promise<QueueOverview[]> {
    const end = Math.max(minutes, 1) - 1;
    // One `now` for BullMQ's metrics and Jobgate's cancellations, so that their minutes line up.
    const now = Date.now();
    const [clients, ...reads] = await Promise.all([
      this.clientLists(),
      ...names.map(async (name) => {
        const queue = this.queues.get(name);
        const [raw, meta, runtime, completed, failed, cancelledCounts, cancelled] = await Promise.all([
          queue.getJobCounts(...COUNTED),
          queue.getMeta(),
          runtimeLimitsOf(queue),
          queue.getMetrics('completed', 0, end),
          queue.getMetrics('failed', 0, end),
          this.cancelled.counts(name),
          this.cancelled.throughput(name, now, minutes),
        ]);
        return { name, raw, meta, runtime, completed, failed, cancelledCounts, cancelled };
      }),
    ]);
    return reads.map(({ name, raw, meta, runtime, completed, failed, cancelledCounts, cancelled }) => {
      // Workers write the limits in force into the queue's meta before they start (workers/queue-limits),
      // an admin's runtime change at once (services/runtime-limits): every worker's fetch reads them there.
      const rateLimit = meta.max && meta.duration ? { max: meta.max, durationMs: meta.duration } : null;
      const paused = meta.paused === true;
      return {
        queue: name,
        counts: countsOf(raw, paused, cancelledCounts),
        paused,
        rateLimit,
        globalConcurrency: typeof meta.concurrency === 'number' ? meta.concurrency : null,
        limitsOverridden: Object.keys(runtime).length > 0,
        workerCount: this.workersIn(clients, name).length,
        completed: throughputOf(completed, now, minutes),
        failed: withoutCancelled(throughputOf(failed, now, minutes), cancelled.failed),
        cancelled: cancelled.all,
        bullFailedTotal: failed.meta.count,
      };
    });
  }

  /** The workers connected to `name` now. */
  async workers(name: string): Promise<WorkerView[]> {
    return this.workersIn(await this.clientLists(), name);
  }

  /**
   * Workers connected to each queue, and distinct worker processes (one serving 5 queues counts
   * once), from one read of the connection list.
   */
  async workerCounts(): Promise<{ processes: number; perQueue: Map<string, number> }> {
    const clients = await this.clientLists();
    const workers = new Map(this.names.map((name) => [name, this.workersIn(clients, name)]));
    const processes = new Set([...workers.values()].flatMap((list) => list.map((worker) => worker.process)));
    return { processes: processes.size, perQueue: new Map([...workers].map(([name, list]) => [name, list.length])) };
  }

  /**
   * A queue's workers hold connections to the node of its hash slot: on a cluster, like
   * BullMQ, take the node where the most of them are.
   */
  private workersIn(clients: Clients[], name: string): WorkerView[] {
    const clientName = this.queues.get(name).getBackend().clientName();
    return clients.map((list) => workersOf(list, clientName)).reduce((best, next) => (next.length > best.length ? next : best), []);
  }

  /** `CLIENT LIST` of the server, or of every master of a cluster. */
  private async clientLists(): Promise<Clients[]> {
    const nodes = this.redis instanceof Cluster ? this.redis.nodes('master') : [this.redis];
    return Promise.all(nodes.map(async (node) => parseClientList(String(await node.client('LIST')))));
  }
}

/**
 * BullMQ's failed jobs per minute less those cancelled while active. Both count a job under the
 * minute of its `finishedOn`, so they subtract minute by minute; never below 0 (a cancellation
 * is recorded a moment after BullMQ counts the failure, never before).
 */
function withoutCancelled(failed: ThroughputView, cancelled: ThroughputView): ThroughputView {
  return {
    total: Math.max(0, failed.total - cancelled.total),
    perMinute: failed.perMinute.map((count, index) => Math.max(0, count - (cancelled.perMinute[index] ?? 0))),
  };
}

function countsOf(raw: Record<string, number>, paused: boolean, cancelled: CancelledCounts): QueueCounts {
  return {
    waiting: raw.waiting ?? 0,
    active: raw.active ?? 0,
    delayed: raw.delayed ?? 0,
    prioritized: raw.prioritized ?? 0,
    completed: raw.completed ?? 0,
    // Not read together with BullMQ's count: never below 0 if a cancelled job is counted here first.
    failed: Math.max(0, (raw.failed ?? 0) - cancelled.inFailed),
    cancelled: cancelled.inFailed + cancelled.tombstones,
    paused: paused ? (raw.waiting ?? 0) + (raw.prioritized ?? 0) : 0,
    waitingChildren: raw['waiting-children'] ?? 0,
  };
}
