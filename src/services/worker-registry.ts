import type { Logger } from 'pino';
import { z } from 'zod';
import { requireReadAll, type Caller } from '../auth/caller';
import type { Config } from '../config';
import { AsyncQueue } from '../lib/async-queue';
import type { RedisClient } from '../redis/connections';

/** A worker process is LOST once this many of its heartbeat intervals pass without a heartbeat. */
export const LOST_AFTER_HEARTBEATS = 3;

/** How long a lost worker process stays listed (as LOST) before it is forgotten. */
export const FORGET_LOST_AFTER_MS = 10 * 60_000;

/**
 * The one hash holding every worker process's last heartbeat: field `<host>:<pid>`, value a JSON
 * `WorkerRecord`. A single key lives in one slot of a cluster, and listing the workers is one
 * HGETALL, never a scan of the keyspace.
 */
export const workerRegistryKey = (config: Config): string => `${config.queuePrefix}:jobgate:workers`;

const recordSchema = z.object({
  host: z.string(),
  pid: z.number().int(),
  queues: z.array(z.string()),
  concurrency: z.number().int(),
  startedAt: z.number(),
  lastHeartbeatAt: z.number(),
  heartbeatMs: z.number().positive(),
  activeJobs: z.array(z.object({ id: z.string(), queue: z.string() })),
  processed: z.number().int(),
  failed: z.number().int(),
  cpuPercent: z.number(),
  rssBytes: z.number(),
});

/** What a worker process publishes at each heartbeat; times are ms since the epoch, by the worker's clock. */
export type WorkerRecord = z.infer<typeof recordSchema>;

export type WorkerStatusName = 'ONLINE' | 'LOST';

/** A worker process as `workerProcesses` shows it. */
export interface WorkerProcessView extends Omit<WorkerRecord, 'startedAt' | 'lastHeartbeatAt' | 'heartbeatMs'> {
  id: string;
  startedAt: Date;
  lastHeartbeatAt: Date;
  /** Up to now while ONLINE, up to its last heartbeat once LOST. */
  uptimeSeconds: number;
  status: WorkerStatusName;
}

/** One `workerEvents` message. */
export interface WorkerEventView {
  kind: WorkerStatusName | 'OFFLINE' | 'HEARTBEAT';
  at: Date;
  /** OFFLINE: the worker as its last heartbeat described it. */
  worker: WorkerProcessView;
}

function parseRecord(raw: string): WorkerRecord | undefined {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function toView(id: string, record: WorkerRecord, now: number): WorkerProcessView {
  const { startedAt, lastHeartbeatAt, heartbeatMs: _heartbeatMs, ...rest } = record;
  // The interval is the worker's own: workers and gateways may be configured apart.
  const lost = now - lastHeartbeatAt > LOST_AFTER_HEARTBEATS * record.heartbeatMs;
  return {
    ...rest,
    id,
    startedAt: new Date(startedAt),
    lastHeartbeatAt: new Date(lastHeartbeatAt),
    uptimeSeconds: Math.max(0, Math.floor(((lost ? lastHeartbeatAt : now) - startedAt) / 1000)),
    status: lost ? 'LOST' : 'ONLINE',
  };
}

/** What changed between two reads of the registry, as events. */
function changes(
  before: ReadonlyMap<string, WorkerProcessView>,
  after: ReadonlyMap<string, WorkerProcessView>,
  at: Date,
): WorkerEventView[] {
  const events: WorkerEventView[] = [];
  for (const [id, worker] of after) {
    const previous = before.get(id);
    if (previous?.status !== worker.status) events.push({ kind: worker.status, at, worker });
    // A page shows a worker's figures and last heartbeat as they change, without asking again.
    else if (worker.status === 'ONLINE' && previous.lastHeartbeatAt.getTime() !== worker.lastHeartbeatAt.getTime())
      events.push({ kind: 'HEARTBEAT', at, worker });
  }
  // A LOST worker that leaves the registry was forgotten, not stopped: only an ONLINE one went OFFLINE.
  for (const [id, worker] of before) if (!after.has(id) && worker.status === 'ONLINE') events.push({ kind: 'OFFLINE', at, worker });
  return events;
}

/**
 * Reads the registry every interval while it has subscribers, and pushes the differences from the
 * read before. The first read is the baseline: a subscriber hears of changes after it, not of the
 * workers already there.
 */
class WorkerEventReader {
  readonly subscribers = new Set<AsyncQueue<WorkerEventView>>();
  /** Settles after the first read, whether it succeeded or not. */
  readonly firstRead: Promise<void>;
  private known: Map<string, WorkerProcessView> | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly registry: WorkerRegistry,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {
    this.firstRead = this.tick();
    void this.firstRead.then(() => this.run());
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, this.intervalMs);
      });
      if (!this.stopped) await this.tick();
    }
  }

  private async tick(): Promise<void> {
    try {
      const now = Date.now();
      const current = new Map((await this.registry.list(now)).map((worker) => [worker.id, worker]));
      if (this.failing) this.logger.info('worker registry readable again');
      this.failing = false;
      const events = this.known ? changes(this.known, current, new Date(now)) : [];
      this.known = current;
      for (const event of events) for (const subscriber of this.subscribers) subscriber.push(event);
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error }, 'worker registry unreadable; retrying every interval');
      this.failing = true;
    }
  }
}

/**
 * The gateway's view of worker processes, from their heartbeats: the list, with LOST derived from
 * the age of the last heartbeat, and `workerEvents` from one shared reader per gateway process,
 * started with the first subscriber and stopped after the last.
 */
export class WorkerRegistry {
  private reader: WorkerEventReader | undefined;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly logger: Logger,
  ) {}

  /** Refuses callers that may not see every queue's workers. */
  authorize(caller: Caller): void {
    requireReadAll(caller, 'see worker processes');
  }

  /**
   * Every worker process that heartbeats, lost ones included, by host and pid. Lost ones past
   * FORGET_LOST_AFTER_MS are removed from the registry; a record this version cannot read (a newer
   * worker's) is left alone.
   */
  async list(now = Date.now()): Promise<WorkerProcessView[]> {
    const key = workerRegistryKey(this.config);
    const views: WorkerProcessView[] = [];
    const forgotten: string[] = [];
    for (const [id, raw] of Object.entries(await this.redis.hgetall(key))) {
      const record = parseRecord(raw);
      if (!record) continue;
      if (now - record.lastHeartbeatAt > LOST_AFTER_HEARTBEATS * record.heartbeatMs + FORGET_LOST_AFTER_MS) forgotten.push(id);
      else views.push(toView(id, record, now));
    }
    if (forgotten.length > 0) {
      this.redis
        .hdel(key, ...forgotten)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'lost workers not forgotten; next read retries'));
    }
    return views.sort((a, b) => a.host.localeCompare(b.host) || a.pid - b.pid);
  }

  /**
   * Worker events from now on, until the caller returns the iterator. Resolves once the shared
   * reader has its baseline, so a worker that starts after this resolves is announced.
   */
  async watch(): Promise<AsyncIterableIterator<WorkerEventView>> {
    const reader = this.reader ?? new WorkerEventReader(this, this.config.workerHeartbeatMs, this.logger);
    this.reader = reader;
    const subscriber: AsyncQueue<WorkerEventView> = new AsyncQueue({
      onReturn: () => {
        reader.subscribers.delete(subscriber);
        if (reader.subscribers.size === 0 && this.reader === reader) {
          this.reader = undefined;
          reader.stop();
        }
      },
    });
    reader.subscribers.add(subscriber);
    await reader.firstRead;
    return subscriber;
  }

  close(): void {
    const reader = this.reader;
    this.reader = undefined;
    if (!reader) return;
    for (const subscriber of reader.subscribers) subscriber.end();
    reader.stop();
  }
}
