import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { eventStreamKey, type RedisClient } from '../redis/connections';
import type { JobReader } from '../jobs/job-reader';
import type { JobView } from '../jobs/job-view';
import { patiently, toPendingEvent, type RunningJobViews } from './event-mapping';
import type { JobEvent } from './job-event';
import { parseStreamEntry, type StreamEntry } from './stream-entry';
import { compareStreamIds } from './stream-id';
import type { Watcher, WatcherHome } from './watcher';
import { ReadTrace } from '../tracing/delivery';
import { tracingOn } from '../tracing/tracing';

/** Entries one read returns at most. */
const READ_COUNT = 1000;
/** How long one read waits for new entries, ms (then it reads again). */
const BLOCK_MS = 5000;
/** Pause before reading again after a failed read, ms. */
const RETRY_MS = 500;
/** Watched jobs read at once when they are checked again after a reconnect. */
const RECHECK_BATCH = 100;
/**
 * How long a watched job's SNAPSHOT is handed to the watches that start after it, at most, ms:
 * a bound on what a change that writes no event (a script outside Jobgate editing the job) may
 * take to show in a new watch's SNAPSHOT.
 */
const SNAPSHOT_REUSE_MS = 1000;

/** A job's SNAPSHOT as read for its watches: the job, its SNAPSHOT event and the cursor it is as of. */
export interface Snapshot {
  cursor: string;
  view: JobView;
  event: JobEvent;
}

/** Who is told when a watch leaves a stream (the EventHub), so it can close the stream after its last watcher. */
export interface StreamOwner {
  watcherLeft(stream: QueueStream, watcher: Watcher): void;
}

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
 * of two queues on one connection would wait for each other). Each read follows the last at
 * once: at most one read per entry, and the entries that arrive while a read's events go out
 * come with the next. With `eventReadPauseMs`, reads of a busy stream start once per pause
 * instead, a fixed number a second; a read that fills a page is followed at once, and an idle
 * stream's first entry is read at once either way.
 *
 * Its connection reconnects by itself and sends the pending read again, so the loop does not
 * see Redis go away. But Redis may come back without the data (restarted empty, or failed over
 * to a replica that lacked the last writes): a watched job may be gone, its events never to come,
 * or its id given to the next job enqueued. So after the reader reconnects, a read fails, or an idle
 * read finds the last entry read gone from the stream, every watched job is read once again and the
 * watches whose job is gone or replaced end (`recheck`).
 */
export class QueueStream implements WatcherHome {
  private readonly jobWatchers = new Map<string, Set<Watcher>>();
  private readonly queueWatchers = new Set<Watcher>();
  private registrations = 0;
  /** Watchers registered under several jobs of this queue (a flow's), with those jobs. */
  private readonly flowWatchers = new Map<Watcher, readonly string[]>();
  /** Views of watched running jobs, so their PROGRESS events cost no Redis read. */
  private readonly running: RunningJobViews = new Map();
  /** The last SNAPSHOT read of each watched job, handed to the watches that start while it holds (`currentSnapshot`). */
  private readonly snapshots = new Map<string, { snapshot: Snapshot; until: number }>();
  /** Id of the last entry of each watched job handed to its watchers. */
  private readonly lastEntries = new Map<string, string>();
  private reader: RedisClient | undefined;
  private closing = false;
  /** Whether a check of the watched jobs is queued (one queued check covers every trigger until it starts). */
  private recheckQueued = false;
  private rechecks: Promise<void> = Promise.resolve();
  /** The last read entry's id once it was found missing from the stream (looked for once, not at every idle read). */
  private missingPosition: string | undefined;
  /** Id of the last entry handed to watchers; a new watcher gets every event after it live. */
  private position = '0-0';
  readonly ready: Promise<void>;

  constructor(
    readonly queue: string,
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly openReader: () => RedisClient,
    private readonly store: JobReader,
    private readonly stats: StreamStats,
    private readonly logger: Logger,
    private readonly owner: StreamOwner,
  ) {
    this.ready = this.start();
  }

  /** Live position: events after it reach watchers added now. */
  get livePosition(): string {
    return this.position;
  }

  /** Registrations of watchers (a flow's watcher counts once per job): kept, not counted, since every watch's end asks. */
  get watcherCount(): number {
    return this.registrations;
  }

  addJobWatcher(jobId: string, watcher: Watcher): void {
    let watchers = this.jobWatchers.get(jobId);
    if (!watchers) this.jobWatchers.set(jobId, (watchers = new Set()));
    if (watchers.has(watcher)) return;
    watchers.add(watcher);
    this.registrations += 1;
  }

  /** Registers one watcher for the events of several jobs (those of a flow in this queue). */
  addFlowWatcher(jobIds: readonly string[], watcher: Watcher): void {
    for (const jobId of jobIds) this.addJobWatcher(jobId, watcher);
    this.flowWatchers.set(watcher, jobIds);
  }

  addQueueWatcher(watcher: Watcher): void {
    if (this.queueWatchers.has(watcher)) return;
    this.queueWatchers.add(watcher);
    this.registrations += 1;
  }

  /**
   * The SNAPSHOT last read of `jobId` if it still holds for a watch registered now: no event of
   * the job came after its cursor (a watch registered now gets every later one live), and it is
   * at most SNAPSHOT_REUSE_MS old. Browsers opening a popular job's page then cost no Redis read
   * and no render each, however they spread over time.
   */
  currentSnapshot(jobId: string): Snapshot | undefined {
    const kept = this.snapshots.get(jobId);
    if (!kept) return undefined;
    if (performance.now() <= kept.until && !this.hasEntryAfter(jobId, kept.snapshot.cursor)) return kept.snapshot;
    this.snapshots.delete(jobId);
    return undefined;
  }

  /**
   * Called before a SNAPSHOT of `jobId` is read: what keeps it for `currentSnapshot` once read,
   * unless an event of the job came after its cursor meanwhile, or the job stopped being watched
   * (its entries then went untracked, and a watch registered since may have missed one).
   */
  snapshotKeeper(jobId: string): (snapshot: Snapshot) => void {
    const watchers = this.jobWatchers.get(jobId);
    return (snapshot) => {
      if (watchers === undefined || this.jobWatchers.get(jobId) !== watchers || this.hasEntryAfter(jobId, snapshot.cursor)) return;
      this.snapshots.set(jobId, { snapshot, until: performance.now() + SNAPSHOT_REUSE_MS });
    };
  }

  private hasEntryAfter(jobId: string, cursor: string): boolean {
    const last = this.lastEntries.get(jobId);
    return last !== undefined && compareStreamIds(last, cursor) > 0;
  }

  /** A watch's end: it leaves this stream, then the owner is told (it closes the stream after its last watcher). */
  left(watcher: Watcher): void {
    const flowJobs = this.flowWatchers.get(watcher);
    if (flowJobs) {
      this.flowWatchers.delete(watcher);
      for (const jobId of flowJobs) this.remove(watcher, jobId);
    } else this.remove(watcher, watcher.jobId);
    this.owner.watcherLeft(this, watcher);
  }

  remove(watcher: Watcher, jobId?: string): void {
    if (jobId === undefined) {
      if (this.queueWatchers.delete(watcher)) this.registrations -= 1;
      return;
    }
    const watchers = this.jobWatchers.get(jobId);
    if (watchers?.delete(watcher)) this.registrations -= 1;
    if (watchers?.size === 0) {
      this.jobWatchers.delete(jobId);
      this.running.delete(jobId);
      this.snapshots.delete(jobId);
      this.lastEntries.delete(jobId);
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
    // `ready` after the first means the reader reconnected: Redis restarted, failed over or was out of reach.
    let connected = false;
    reader.on('ready', () => {
      if (connected) this.recheck();
      connected = true;
    });
    this.reader = reader;
    void this.read(reader, key);
  }

  private async read(reader: RedisClient, key: string): Promise<void> {
    const pause = this.config.eventReadPauseMs;
    /** When the next read of a busy stream is due: reads start on a fixed cadence, one per pause. */
    let due = 0;
    /** A read failed since the last good one (on a cluster, a failover shows as failed reads, not as a reconnect). */
    let failed = false;
    while (!this.closing) {
      try {
        const reply = await reader.xread('COUNT', READ_COUNT, 'BLOCK', BLOCK_MS, 'STREAMS', key, this.position);
        if (this.closing) return;
        if (failed) this.recheck();
        failed = false;
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0 && (await this.lostPosition(reader, key))) this.recheck();
        // Tracing: one span per read that delivered something, not per event, watcher or socket.
        const traced = tracingOn() && entries.length > 0 ? new ReadTrace(this.queue, entries.length) : undefined;
        for (const [id, flat] of entries) this.dispatch(id, parseStreamEntry(id, flat), traced);
        traced?.end(entries[0][0], this.position);
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
        failed = true;
        await sleep(RETRY_MS);
      }
    }
  }

  /**
   * Whether the last entry read is gone from the stream, asked after a read that found nothing
   * new: that entry is then the stream's last, which trimming never removes, so the stream was
   * deleted or replaced without the reader reconnecting (a FLUSHALL, say). One XRANGE per idle
   * read (one per BLOCK_MS) of a queue with job watches, none while the stream is busy.
   */
  private async lostPosition(reader: RedisClient, key: string): Promise<boolean> {
    if (this.jobWatchers.size === 0 || this.position === '0-0' || this.position === this.missingPosition) return false;
    if ((await reader.xrange(key, this.position, this.position)).length > 0) return false;
    this.missingPosition = this.position;
    return true;
  }

  /**
   * Checks, soon, that every watched job is still the one its watches remember (see the class
   * comment). A check asked for while one is queued is merged into it.
   */
  private recheck(): void {
    // What was read before may be gone with the data; the next watches read afresh.
    this.snapshots.clear();
    if (this.recheckQueued || this.closing) return;
    this.recheckQueued = true;
    this.rechecks = this.rechecks
      .then(() => {
        this.recheckQueued = false;
        return this.recheckJobs();
      })
      .catch((error: unknown) => this.logger.warn({ err: error, queue: this.queue }, 'watched jobs not checked again after a reconnect'));
  }

  /**
   * Reads each watched job once (not once per watcher), in batches, and ends with NOT_FOUND the
   * watches whose job is absent or another one now (`Watcher.verify`). Waits for Redis like an
   * event's job read does; a job that cannot be read then is left alone.
   */
  private async recheckJobs(): Promise<void> {
    // Views of running jobs were read before the reconnect: the next event of each reads afresh.
    this.running.clear();
    const jobIds = [...this.jobWatchers.keys()];
    let gone = 0;
    let unread = 0;
    const check = async (jobId: string): Promise<void> => {
      let view: JobView | undefined;
      try {
        view = await patiently(() => this.store.load({ queue: this.queue, jobId }));
      } catch {
        unread += 1;
        return;
      }
      for (const watcher of [...(this.jobWatchers.get(jobId) ?? [])]) if (!watcher.verify(view)) gone += 1;
    };
    for (let start = 0; start < jobIds.length && !this.closing; start += RECHECK_BATCH) {
      await Promise.all(jobIds.slice(start, start + RECHECK_BATCH).map(check));
    }
    this.logger.info(
      { queue: this.queue, jobs: jobIds.length, endedWatches: gone, unreadJobs: unread },
      'watched jobs checked again after a reconnect',
    );
  }

  /** Hands an entry to its watchers; `entry` is null for one that concerns no job. */
  private dispatch(cursor: string, entry: StreamEntry | null, traced?: ReadTrace): void {
    this.position = cursor;
    this.stats.entriesRead += 1;
    if (!entry) return;
    const jobWatchers = this.jobWatchers.get(entry.jobId);
    if (!jobWatchers && this.queueWatchers.size === 0) return;
    if (jobWatchers) this.lastEntries.set(entry.jobId, cursor);
    const pending = toPendingEvent(this.queue, entry, this.store, jobWatchers ? this.running : undefined);
    for (const watcher of jobWatchers ?? []) watcher.push(pending);
    for (const watcher of this.queueWatchers) watcher.push(pending);
    const watchers = (jobWatchers?.size ?? 0) + this.queueWatchers.size;
    this.stats.deliveries += watchers;
    traced?.delivered(entry.jobId, watchers);
  }
}
