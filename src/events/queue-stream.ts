import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { eventStreamKey, type RedisClient } from '../redis/connections';
import type { JobStore } from '../services/job-store';
import { toPendingEvent, type PendingEvent, type RunningJobViews } from './event-mapping';
import type { StreamFields } from './job-event';
import type { Watcher } from './watcher';

/** Entries one read returns at most. */
const READ_COUNT = 1000;
/** How long one read waits for new entries, ms (then it reads again). */
const BLOCK_MS = 5000;
/** Pause before reading again after a failed read, ms. */
const RETRY_MS = 500;

/** Counters the metrics endpoint exposes. */
export interface StreamStats {
  entriesRead: number;
  deliveries: number;
}

/**
 * The one reader of a queue's event stream in this process, and the watchers it feeds.
 * Started by the first watcher, closed after the last. Dispatch is in memory: no Redis read
 * per watcher.
 *
 * It reads with its own blocking connection (a blocked XREAD holds its connection: readers
 * of two queues on one connection would wait for each other). While the stream is busy, reads
 * start once every `eventReadPauseMs`, so that it costs a fixed number of reads a second, not one
 * per entry; a read that fills a page is followed at once. An idle stream's first entry is read
 * at once.
 */
export class QueueStream {
  private readonly jobWatchers = new Map<string, Set<Watcher>>();
  private readonly queueWatchers = new Set<Watcher>();
  /** Views of watched running jobs, so their PROGRESS events cost no Redis read. */
  private readonly running: RunningJobViews = new Map();
  private reader: RedisClient | undefined;
  private closing = false;
  /** Id of the last entry handed to watchers; a new watcher gets every event after it live. */
  private position = '0-0';
  readonly ready: Promise<void>;

  constructor(
    readonly queue: string,
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly openReader: () => RedisClient,
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
    this.closing = true;
    await this.ready.catch(() => undefined);
    this.reader?.disconnect();
  }

  /** Reads the stream's last id, then starts reading after it so nothing falls between. */
  private async start(): Promise<void> {
    const key = eventStreamKey(this.config, this.queue);
    const last = await this.redis.xrevrange(key, '+', '-', 'COUNT', 1);
    this.position = last[0]?.[0] ?? '0-0';
    if (this.closing) return;
    const reader = this.openReader();
    reader.on('error', () => undefined);
    this.reader = reader;
    void this.read(reader, key);
  }

  private async read(reader: RedisClient, key: string): Promise<void> {
    const pause = this.config.eventReadPauseMs;
    /** When the next read of a busy stream is due: reads start on a fixed cadence, one per pause. */
    let due = 0;
    while (!this.closing) {
      try {
        const reply = await reader.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', key, this.position);
        if (this.closing) return;
        const entries = reply?.[0]?.[1] ?? [];
        for (const [id, flat] of entries) this.dispatch(id, streamFields(flat));
        if (entries.length === 0 || entries.length === READ_COUNT || pause === 0) continue;
        // Due times advance by the pause from the previous one, not from now: a timer that fires
        // late is made up by the next wait, so a busy stream costs 1000 / pause reads a second
        // whatever the read and dispatch took (within a pause). After a longer gap, start afresh.
        const now = performance.now();
        due = now - due > pause ? now + pause : due + pause;
        await sleep(due - now);
      } catch (error) {
        if (this.closing) return;
        this.logger.warn({ err: error, queue: this.queue }, 'event stream read failed; retrying');
        await sleep(RETRY_MS);
      }
    }
  }

  private dispatch(cursor: string, fields: StreamFields): void {
    this.position = cursor;
    this.stats.entriesRead += 1;
    const jobWatchers = this.jobWatchers.get(fields.jobId);
    if (!jobWatchers && this.queueWatchers.size === 0) return;
    const pending: PendingEvent | null = toPendingEvent(this.queue, fields.event, cursor, fields, this.store, jobWatchers ? this.running : undefined);
    if (!pending) return;
    for (const watcher of jobWatchers ?? []) watcher.push(pending);
    for (const watcher of this.queueWatchers) watcher.push(pending);
    this.stats.deliveries += (jobWatchers?.size ?? 0) + this.queueWatchers.size;
  }
}

/** An entry's fields from XREAD's flat `[name, value, …]` list. */
function streamFields(flat: string[]): StreamFields {
  const fields: StreamFields = {};
  for (let index = 0; index + 1 < flat.length; index += 2) fields[flat[index]] = flat[index + 1];
  return fields;
}
