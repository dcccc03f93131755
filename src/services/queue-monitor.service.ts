import type { JobType as BullJobState } from 'bullmq';
import { Cluster } from 'ioredis';
import { requireRole, Role, type Caller } from '../auth/caller';
import { badInput } from '../errors';
import type { RedisClient } from '../redis/connections';
import type { QueueSet } from './queue-set';
import { throughputOf, type ThroughputView } from './throughput';
import { parseClientList, workersOf, type WorkerView } from './worker-clients';

/** Jobs of a queue by BullMQ state. */
export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  prioritized: number;
  completed: number;
  failed: number;
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
  workerCount: number;
  completed: ThroughputView;
  failed: ThroughputView;
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
  ) {}

  get names(): readonly string[] {
    return this.queues.names;
  }

  /** Refuses callers that may not see every queue (monitoring shows everyone's jobs in aggregate). */
  authorize(caller: Caller): void {
    if (!caller.roles.includes(Role.ADMIN)) requireRole(caller, Role.VIEWER, 'see queues and workers');
  }

  /** BAD_USER_INPUT on `field` unless `name` is a registered queue. */
  check(name: string, field = 'queue'): void {
    if (!this.queues.has(name)) throw badInput(field, `Unknown queue "${name.slice(0, 100)}"; known queues: ${this.names.join(', ')}`);
  }

  /** Counts and paused flag of each queue: one counting script and one flag read per queue. */
  counts(names: readonly string[]): Promise<QueueCountsView[]> {
    return Promise.all(
      names.map(async (name) => {
        const queue = this.queues.get(name);
        const [raw, paused] = await Promise.all([queue.getJobCounts(...COUNTED), queue.isPaused()]);
        return { queue: name, counts: countsOf(raw, paused), paused };
      }),
    );
  }

  /** Counts, paused, rate limit, workers and the last `minutes` of throughput of each queue. */
  async overview(names: readonly string[], minutes: number): Promise<QueueOverview[]> {
    const end = Math.max(minutes, 1) - 1;
    const [clients, ...reads] = await Promise.all([
      this.clientLists(),
      ...names.map(async (name) => {
        const queue = this.queues.get(name);
        const [raw, meta, completed, failed] = await Promise.all([
          queue.getJobCounts(...COUNTED),
          queue.getMeta(),
          queue.getMetrics('completed', 0, end),
          queue.getMetrics('failed', 0, end),
        ]);
        return { name, raw, meta, completed, failed };
      }),
    ]);
    const now = Date.now();
    return reads.map(({ name, raw, meta, completed, failed }) => {
      // Workers write the limit in force into the queue's meta before they start (workers/queue-limits).
      const rateLimit = meta.max && meta.duration ? { max: meta.max, durationMs: meta.duration } : null;
      const paused = meta.paused === true;
      return {
        queue: name,
        counts: countsOf(raw, paused),
        paused,
        rateLimit,
        workerCount: this.workersIn(clients, name).length,
        completed: throughputOf(completed, now, minutes),
        failed: throughputOf(failed, now, minutes),
      };
    });
  }

  /** The workers connected to `name` now. */
  async workers(name: string): Promise<WorkerView[]> {
    return this.workersIn(await this.clientLists(), name);
  }

  /** Distinct worker processes serving any queue (one process serving 5 queues counts once). */
  async workerProcessCount(): Promise<number> {
    const clients = await this.clientLists();
    return new Set(this.names.flatMap((name) => this.workersIn(clients, name).map((worker) => worker.process))).size;
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

function countsOf(raw: Record<string, number>, paused: boolean): QueueCounts {
  return {
    waiting: raw.waiting ?? 0,
    active: raw.active ?? 0,
    delayed: raw.delayed ?? 0,
    prioritized: raw.prioritized ?? 0,
    completed: raw.completed ?? 0,
    failed: raw.failed ?? 0,
    paused: paused ? (raw.waiting ?? 0) + (raw.prioritized ?? 0) : 0,
    waitingChildren: raw['waiting-children'] ?? 0,
  };
}
