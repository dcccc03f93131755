import type { Logger } from 'pino';
import type { Config } from '../config';
import { badInput, notFound } from '../errors';
import { eventStreamKey, jobKey, type RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import type { FlowNode, FlowReader } from '../jobs/flow-reader';
import { FlowTally } from '../jobs/flow-tally';
import { toGlobalId, type JobAddress } from '../jobs/job-id';
import type { JobReader } from '../jobs/job-reader';
import { MAX_LOG_LINES, type JobView } from '../jobs/job-view';
import { toPendingEvent } from './event-mapping';
import { decodeFlowCursor, type FlowPositions } from './flow-cursor';
import { FlowWatch, type FlowPart } from './flow-watch';
import { JobEvent } from './job-event';
import { parseStreamEntry } from './stream-entry';
import { QueueStream, type Snapshot, type StreamOwner, type StreamStats } from './queue-stream';
import { compareStreamIds, isStreamId, nextStreamId } from './stream-id';
import { Watcher, type WatcherOptions } from './watcher';

/** What a subscription needs from its transport to pace delivery. */
export type WatchPacing = Pick<WatcherOptions, 'socket'>;

const REPLAY_PAGE = 1000;

/**
 * The stream's last id (or `0-0`) and the last ARGV[1] lines of the job's log, read in one
 * atomic step. A script rather than MULTI: an ioredis `multi()` builds a Pipeline that copies
 * every script command of the connection (BullMQ defines dozens), about 12 KiB per call, and
 * a burst of subscriptions promotes most of it to the old generation.
 */
const CURSOR_AND_LOGS_SCRIPT = `
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local cursor = '0-0'
if last[1] then cursor = last[1][1] end
return {cursor, redis.call('LRANGE', KEYS[2], -tonumber(ARGV[1]), -1)}`;

/** Continues a chain whatever the outcome of the promise it follows. */
const settled = (): void => undefined;

/** Refuses a `since` that is not a stream id (BAD_USER_INPUT on `since`). */
function checkCursor(since: string | undefined): void {
  if (since !== undefined && !isStreamId(since)) throw badInput('since', `"${since.slice(0, 50)}" is not an event cursor`);
}

/**
 * Fans a queue's event stream out to every subscription of this process. At most one
 * stream reader per queue that has watchers; no Redis read per watcher. Implements the
 * contract's snapshot/resume semantics (see DESIGN.md "Semantics the tests hold").
 */
export class EventHub implements StreamOwner {
  private readonly streams = new Map<string, QueueStream>();
  /** SNAPSHOT reads about to start, per job (`sharedSnapshot`). */
  private readonly pendingSnapshots = new Map<string, Promise<Snapshot | undefined>>();
  /** SNAPSHOT reads under way, per job: watches that start meanwhile wait for it, then share it if it still holds. */
  private readonly snapshotReads = new Map<string, Promise<unknown>>();
  readonly stats: StreamStats = { entriesRead: 0, deliveries: 0 };
  /** PROGRESS events dropped for slow clients since start. */
  coalesced = 0;
  private readonly readCursorAndLogs: (streamKey: string, logsKey: string, lines: number) => Promise<[string, string[]]>;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    /** Opens a blocking connection for one queue's stream reader. */
    private readonly openReader: () => RedisClient,
    private readonly store: JobReader,
    private readonly logger: Logger,
  ) {
    this.readCursorAndLogs = defineScript(redis, 'jobgateCursorAndLogs', 2, CURSOR_AND_LOGS_SCRIPT);
  }

  /** Number of stream readers open now (one per watched queue). */
  get readers(): number {
    return this.streams.size;
  }

  /**
   * Events of one job: a SNAPSHOT (or the replay after `since`), then every event live,
   * ending after a final one. `canSee` decides ownership: a job the caller may not see
   * answers like an absent one. The watch remembers who the job is (created when, by whom),
   * so that it ends with NOT_FOUND rather than go on with another job given the same id once
   * Redis has lost its data (`Watcher.verify`, `QueueStream` re-checks after a reconnect).
   */
  async watchJob(
    address: JobAddress,
    since: string | undefined,
    canSee: (view: JobView) => boolean,
    pacing: WatchPacing = {},
  ): Promise<AsyncIterableIterator<JobEvent>> {
    checkCursor(since);
    const stream = this.stream(address.queue);
    const watcher = this.watcher(pacing, stream, address.jobId);
    try {
      await stream.ready;
      stream.addJobWatcher(address.jobId, watcher);
      const livePosition = stream.livePosition;
      const key = eventStreamKey(this.config, address.queue);
      if (since === undefined || (await this.missingAfter(key, since))) {
        const snapshot = await (since === undefined ? this.sharedSnapshot(stream, key, address) : this.snapshot(key, address, true));
        if (!snapshot || !canSee(snapshot.view)) throw notFound('Job', `${address.queue}:${address.jobId}`);
        watcher.remember(snapshot.view);
        watcher.prepend([snapshot.event]);
        watcher.release(snapshot.cursor);
        return watcher.endAfterFinal(JobEvent.isFinalView(snapshot.view));
      }
      const view = await this.store.load(address);
      if (!view || !canSee(view)) throw notFound('Job', `${address.queue}:${address.jobId}`);
      watcher.remember(view);
      const replayed = await this.replay(key, { queue: address.queue, jobs: new Set([address.jobId]) }, since, livePosition);
      if (replayed.length === 0 && JobEvent.isFinalView(view)) {
        watcher.prepend([JobEvent.snapshot(view, since)]);
        watcher.release(undefined);
        return watcher.endAfterFinal(true);
      }
      watcher.prepend(replayed);
      watcher.release(livePosition);
      return watcher.endAfterFinal(false);
    } catch (error) {
      watcher.close();
      throw error;
    }
  }

  /**
   * Every job event of a queue, live; with `since`, replayed from there first. With `canSee`,
   * only events of jobs it accepts (each event's job is read once, shared by all watchers).
   */
  async watchQueue(
    queue: string,
    since: string | undefined,
    canSee: ((view: JobView) => boolean) | undefined,
    pacing: WatchPacing = {},
  ): Promise<AsyncIterableIterator<JobEvent>> {
    checkCursor(since);
    const stream = this.stream(queue);
    const watcher = this.watcher(pacing, stream, undefined);
    try {
      await stream.ready;
      stream.addQueueWatcher(watcher);
      const livePosition = stream.livePosition;
      if (since !== undefined) watcher.prepend(await this.replay(eventStreamKey(this.config, queue), { queue }, since, livePosition));
      watcher.release(livePosition);
      return canSee ? watcher.only(canSee) : watcher;
    } catch (error) {
      watcher.close();
      throw error;
    }
  }

  /**
   * Events of a whole flow: a SNAPSHOT of the root carrying the flow's aggregate (or the events
   * after `since`, a cursor of an earlier `watchFlow` event), then every event of every job of the
   * tree, in stream order per queue, each with the aggregate as of it; ends after the root's final
   * event. The tree is read once, when the watch starts: jobs added to it later are not watched.
   * `canSee` decides as for `watchJob`, for the root and for each event's job. A replayed event
   * carries the aggregate as read at the resume (the past states of the tree are not kept), so
   * the aggregate a watch shows never goes back.
   */
  async watchFlow(
    root: JobAddress,
    since: string | undefined,
    canSee: (view: JobView) => boolean,
    flows: FlowReader,
    pacing: WatchPacing = {},
  ): Promise<AsyncIterableIterator<JobEvent>> {
    const resumeFrom = since === undefined ? undefined : decodeFlowCursor(since);
    const rootView = await this.store.load(root);
    if (!rootView || !canSee(rootView)) throw notFound('Job', toGlobalId(root));
    const tree = await flows.flowTree(root);
    const jobsByQueue = new Map<string, string[]>([[root.queue, [root.jobId]]]);
    for (const { address } of tree) {
      const jobs = jobsByQueue.get(address.queue);
      if (jobs) jobs.push(address.jobId);
      else jobsByQueue.set(address.queue, [address.jobId]);
    }
    const parts: FlowPart[] = [];
    try {
      const live = new Map<string, string>();
      for (const [queue, jobIds] of jobsByQueue) {
        const stream = this.stream(queue);
        const watcher = this.watcher(pacing, stream, undefined).only(canSee);
        parts.push({ queue, watcher, replayedUntil: '0-0', settledUntil: '0-0' });
        await stream.ready;
        stream.addFlowWatcher(jobIds, watcher);
        live.set(queue, stream.livePosition);
      }
      if (resumeFrom === undefined || !(await this.canResumeFlow(resumeFrom, jobsByQueue))) {
        const cursors = new Map(await Promise.all(parts.map(async ({ queue }) => [queue, await this.lastId(queue)] as const)));
        const [now, tally] = await Promise.all([this.store.load(root), this.tally(tree)]);
        await this.settle(parts);
        const watch = new FlowWatch(root, parts, tally, cursors);
        for (const { queue, watcher } of parts) watcher.release(cursors.get(queue));
        const snapshot = JobEvent.snapshot(now ?? rootView, watch.cursor, since !== undefined).inFlow(watch.cursor, tally.view());
        return JobEvent.isFinalView(now ?? rootView) ? watch.endWith(snapshot) : watch.start(snapshot);
      }
      const tally = await this.tally(tree);
      await this.settle(parts);
      let replayed = 0;
      for (const part of parts) {
        const until = live.get(part.queue) ?? '0-0';
        const jobs = new Set(jobsByQueue.get(part.queue));
        const events = await this.replay(
          eventStreamKey(this.config, part.queue),
          { queue: part.queue, jobs },
          resumeFrom.get(part.queue) ?? '0-0',
          until,
        );
        replayed += events.length;
        part.watcher.prepend(events);
        part.watcher.release(until);
        part.replayedUntil = until;
      }
      const watch = new FlowWatch(root, parts, tally, resumeFrom);
      if (replayed === 0 && JobEvent.isFinalView(rootView))
        return watch.endWith(JobEvent.snapshot(rootView, since ?? '').inFlow(since ?? '', tally.view()));
      return watch.start();
    } catch (error) {
      for (const { watcher } of parts) watcher.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const streams = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(streams.map((stream) => stream.close()));
  }

  /** A watch's end, once it has left `stream`: the stream closes after its last watcher. */
  watcherLeft(stream: QueueStream, watcher: Watcher): void {
    this.coalesced += watcher.coalesced;
    if (stream.watcherCount === 0 && this.streams.get(stream.queue) === stream) {
      this.streams.delete(stream.queue);
      stream.close().catch((error: unknown) => this.logger.warn({ err: error }, 'closing event stream reader failed'));
    }
  }

  /** A watcher that tells its stream when it ends (a reference to the stream, not a closure per watch). */
  private watcher(pacing: WatchPacing, stream: QueueStream, jobId: string | undefined): Watcher {
    return new Watcher({ slowClientBytes: this.config.slowClientBytes, ...pacing }, stream, jobId);
  }

  private stream(queue: string): QueueStream {
    let stream = this.streams.get(queue);
    if (!stream) {
      stream = new QueueStream(queue, this.config, this.redis, this.openReader, this.store, this.stats, this.logger, this);
      this.streams.set(queue, stream);
    }
    return stream;
  }

  /**
   * A job's SNAPSHOT for watches already registered with its stream, undefined when the job is
   * absent: the stream's last id and the job's logs, then the job (in that order: an event after
   * the cursor reaches the watches live, one before it is in the job).
   */
  private async snapshot(key: string, address: JobAddress, gap: boolean): Promise<Snapshot | undefined> {
    const { cursor, logs } = await this.cursorAndLogs(key, address);
    const view = await this.store.load(address);
    return view && { cursor, view, event: JobEvent.snapshot({ ...view, logs }, cursor, gap) };
  }

  /**
   * The SNAPSHOT shared by the watches of a job that start together or one after another (browsers
   * opening a job's page, a pool of watchers handed a new job): one read, and one SNAPSHOT event,
   * so one render per selection. The last one read holds while the job has no newer event
   * (`QueueStream.currentSnapshot`). Otherwise a read starts once the turn's I/O is handled
   * (`setImmediate`), or once the job's read under way has ended, and the watches that start until
   * then share it. A watch never shares a read whose cursor was read before it was registered: it
   * joins one not yet started, or takes a finished one the stream says still holds.
   */
  private sharedSnapshot(stream: QueueStream, key: string, address: JobAddress): Snapshot | Promise<Snapshot | undefined> {
    const kept = stream.currentSnapshot(address.jobId);
    if (kept) return kept;
    const id = `${address.queue}\n${address.jobId}`;
    const pending = this.pendingSnapshots.get(id);
    if (pending) return pending;
    const reading = this.snapshotReads.get(id);
    const start = reading ? reading.then(settled, settled) : new Promise<void>((resolve) => setImmediate(resolve));
    const read = start.then(() => {
      this.pendingSnapshots.delete(id);
      const shared = stream.currentSnapshot(address.jobId);
      if (shared) return shared;
      const keep = stream.snapshotKeeper(address.jobId);
      const current = this.snapshot(key, address, false).then((snapshot) => {
        if (snapshot) keep(snapshot);
        return snapshot;
      });
      this.snapshotReads.set(id, current);
      const done = (): void => {
        if (this.snapshotReads.get(id) === current) this.snapshotReads.delete(id);
      };
      current.then(done, done);
      return current;
    });
    this.pendingSnapshots.set(id, read);
    return read;
  }

  /**
   * The stream's last id and the job's log as of that id, read in one script (same hash slot):
   * a SNAPSHOT's log never holds a line whose LOG event comes after its cursor.
   */
  private async cursorAndLogs(key: string, address: JobAddress): Promise<{ cursor: string; logs: string[] }> {
    const [cursor, logs] = await this.readCursorAndLogs(key, `${jobKey(this.config, address.queue, address.jobId)}:logs`, MAX_LOG_LINES);
    return { cursor, logs };
  }

  /**
   * Whether events after `since` may be missing from the stream (then a gap SNAPSHOT replaces
   * them). A cursor is the id of an entry the stream held, or `0-0` (a snapshot of an empty
   * stream). When that entry is not in the stream any more, the events after it cannot be
   * trusted to be complete: trimmed away (MAXLEN), or lost with a failover (a replica promoted
   * before it had received them; its stream goes on with other entries). For `0-0` the test is
   * whether the stream ever lost an entry: trimming does not move `max-deleted-entry-id`, so
   * `entries-added` is compared with `length`.
   */
  private async missingAfter(key: string, since: string): Promise<boolean> {
    if (compareStreamIds(since, '0-0') === 0) {
      const info = await streamInfo(this.redis, key);
      return info !== null && info.added !== info.length && info.length > 0;
    }
    if ((await this.redis.xrange(key, since, since)).length > 0) return false;
    const info = await streamInfo(this.redis, key);
    this.logger.info(
      { key, since, firstEntry: info?.first, lastGeneratedId: info?.lastId, entriesAdded: info?.added, length: info?.length },
      'resume cursor no longer in the stream: gap SNAPSHOT',
    );
    return true;
  }

  /** Whether a flow watch can resume after `positions`: one for each queue of the tree, none of them lost from its stream. */
  private async canResumeFlow(positions: FlowPositions, jobsByQueue: ReadonlyMap<string, unknown>): Promise<boolean> {
    if (positions.size !== jobsByQueue.size || [...jobsByQueue.keys()].some((queue) => !positions.has(queue))) return false;
    const missing = await Promise.all([...positions].map(([queue, since]) => this.missingAfter(eventStreamKey(this.config, queue), since)));
    return !missing.includes(true);
  }

  /** The aggregate of `tree` as its jobs are now. */
  private async tally(tree: readonly FlowNode[]): Promise<FlowTally> {
    return new FlowTally(tree, await Promise.all(tree.map((node) => this.store.load(node.address))));
  }

  /** Notes in each part the stream's last id now, once the tree was read (see `FlowPart.settledUntil`). */
  private async settle(parts: FlowPart[]): Promise<void> {
    await Promise.all(parts.map(async (part) => (part.settledUntil = await this.lastId(part.queue))));
  }

  /** The id of the last entry of `queue`'s stream, or `0-0`. */
  private async lastId(queue: string): Promise<string> {
    const last = await this.redis.xrevrange(eventStreamKey(this.config, queue), '+', '-', 'COUNT', 1);
    return last[0]?.[0] ?? '0-0';
  }

  /** The events after `since` up to `until` (inclusive) of some jobs (`jobs`), or of a whole queue. */
  private async replay(
    key: string,
    scope: { queue: string; jobs?: ReadonlySet<string> },
    since: string,
    until: string,
  ): Promise<JobEvent[]> {
    const events: Promise<JobEvent>[] = [];
    let from = nextStreamId(since);
    while (compareStreamIds(from, until) <= 0) {
      const page = await this.redis.xrange(key, from, until, 'COUNT', REPLAY_PAGE);
      for (const [id, flat] of page) {
        const entry = parseStreamEntry(id, flat);
        if (entry && (scope.jobs === undefined || scope.jobs.has(entry.jobId)))
          events.push(toPendingEvent(scope.queue, entry, this.store).event);
      }
      if (page.length < REPLAY_PAGE) break;
      from = nextStreamId(page[page.length - 1][0]);
    }
    return Promise.all(events);
  }
}

/** The fields of `XINFO STREAM` the gap check reads. */
interface StreamInfo {
  added: number;
  length: number;
  first: string | undefined;
  lastId: string | undefined;
}

/** What `XINFO STREAM` says of the stream at `key`, or null when there is none. */
async function streamInfo(redis: RedisClient, key: string): Promise<StreamInfo | null> {
  let info: unknown[];
  try {
    info = (await redis.xinfo('STREAM', key)) as unknown[];
  } catch (error) {
    if (error instanceof Error && /no such key/i.test(error.message)) return null;
    throw error;
  }
  const field = (name: string): unknown => {
    const index = info.indexOf(name);
    return index < 0 ? undefined : info[index + 1];
  };
  const first = field('first-entry') as [string] | null | undefined;
  const lastId = field('last-generated-id');
  return {
    added: Number(field('entries-added')),
    length: Number(field('length')),
    first: first?.[0],
    lastId: typeof lastId === 'string' ? lastId : undefined,
  };
}
