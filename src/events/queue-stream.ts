import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { eventStreamKey, queuePrefix, type RedisClient } from '../redis/connections';
import type { JobStore } from '../services/job-store';
import { JOB_STREAM_EVENTS, toPendingEvent, type PendingEvent, type RunningJobViews } from './event-mapping';
import type { StreamFields } from './job-event';
import type { Watcher } from './watcher';

/** Counters the metrics endpoint exposes. */
export interface StreamStats {
  entriesRead: number;
  deliveries: number;
}

/**
 * The one reader of a queue's event stream in this process, and the watchers it feeds.
 * Started by the first watcher, closed after the last. Dispatch is in memory: no Redis read
 * per watcher.
 */
export class QueueStream {
  private readonly jobWatchers = new Map<string, Set<Watcher>>();
  private readonly queueWatchers = new Set<Watcher>();
  /** Views of watched running jobs, so their PROGRESS events cost no Redis read. */
  private readonly running: RunningJobViews = new Map();
  private reader: QueueEvents | undefined;
  /** Id of the last entry handed to watchers; a new watcher gets every event after it live. */
  private position = '0-0';
  readonly ready: Promise<void>;

  constructor(
    readonly queue: string,
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly blocking: RedisClient,
    private readonly store: JobStore,
    private readonly stats: StreamStats,
    private readonly logger: Logger,
  ) {
    this.ready = this.start();
  }

  /** Live position: events after it reach watchers added now. */
  get livePosition(): string {
    return this.position;
  }

  get watcherCount(): number {
    let count = this.queueWatchers.size;
    for (const watchers of this.jobWatchers.values()) count += watchers.size;
    return count;
  }

  addJobWatcher(jobId: string, watcher: Watcher): void {
    let watchers = this.jobWatchers.get(jobId);
    if (!watchers) this.jobWatchers.set(jobId, (watchers = new Set()));
    watchers.add(watcher);
  }

  addQueueWatcher(watcher: Watcher): void {
    this.queueWatchers.add(watcher);
  }

  remove(watcher: Watcher, jobId?: string): void {
    if (jobId === undefined) {
      this.queueWatchers.delete(watcher);
      return;
    }
    const watchers = this.jobWatchers.get(jobId);
    watchers?.delete(watcher);
    if (watchers?.size === 0) {
      this.jobWatchers.delete(jobId);
      this.running.delete(jobId);
    }
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.reader?.close();
  }

  /** Reads the stream's last id, then starts reading after it so nothing falls between. */
  private async start(): Promise<void> {
    const key = eventStreamKey(this.config, this.queue);
    const last = await this.redis.xrevrange(key, '+', '-', 'COUNT', 1);
    this.position = last[0]?.[0] ?? '0-0';
    const reader = new QueueEvents(this.queue, {
      connection: this.blocking,
      prefix: queuePrefix(this.config, this.queue),
      lastEventId: this.position,
      blockingTimeout: 5000,
    });
    reader.on('error', (error) => this.logger.warn({ err: error, queue: this.queue }, 'event stream read failed; retrying'));
    for (const name of JOB_STREAM_EVENTS) {
      reader.on(name as 'waiting', (fields: unknown, id: string) => this.dispatch(name, id, fields as Record<string, unknown>));
    }
    this.reader = reader;
  }

  private dispatch(name: string, cursor: string, parsed: Record<string, unknown>): void {
    this.position = cursor;
    this.stats.entriesRead += 1;
    const jobWatchers = this.jobWatchers.get(String(parsed.jobId));
    if (!jobWatchers && this.queueWatchers.size === 0) return;
    const pending: PendingEvent | null = toPendingEvent(this.queue, name, cursor, asStreamFields(parsed), this.store, jobWatchers ? this.running : undefined);
    if (!pending) return;
    for (const watcher of jobWatchers ?? []) watcher.push(pending);
    for (const watcher of this.queueWatchers) watcher.push(pending);
    this.stats.deliveries += (jobWatchers?.size ?? 0) + this.queueWatchers.size;
  }
}

/**
 * The entry's fields as the stream holds them (strings), as a replay with XRANGE reads them.
 * QueueEvents hands some of them parsed (a progress event's `data`, `returnvalue`, `delay`);
 * left as objects they made the slow-client byte count NaN, and coalescing never started.
 */
function asStreamFields(parsed: Record<string, unknown>): StreamFields {
  const fields: StreamFields = {};
  for (const [name, value] of Object.entries(parsed)) fields[name] = typeof value === 'string' ? value : JSON.stringify(value);
  return fields;
}
