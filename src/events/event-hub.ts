import type { Logger } from 'pino';
import type { Config } from '../config';
import { badInput, notFound } from '../errors';
import { eventStreamKey, jobKey, type RedisClient } from '../redis/connections';
import type { JobAddress } from '../services/job-id';
import type { JobStore } from '../services/job-store';
import { MAX_LOG_LINES, type JobView } from '../services/job-view';
import { toPendingEvent } from './event-mapping';
import { JobEvent } from './job-event';
import { QueueStream, type StreamStats } from './queue-stream';
import { compareStreamIds, isStreamId, nextStreamId } from './stream-id';
import { Watcher, type WatcherOptions } from './watcher';

/** What a subscription needs from its transport to pace delivery. */
export type WatchPacing = Pick<WatcherOptions, 'socketBacklog'>;

const REPLAY_PAGE = 1000;

/** Refuses a `since` that is not a stream id (BAD_USER_INPUT on `since`). */
function checkCursor(since: string | undefined): void {
  if (since !== undefined && !isStreamId(since)) throw badInput('since', `"${since.slice(0, 50)}" is not an event cursor`);
}

/**
 * Fans a queue's event stream out to every subscription of this process. At most one
 * stream reader per queue that has watchers; no Redis read per watcher. Implements the
 * contract's snapshot/resume semantics (see DESIGN.md "Semantics the tests hold").
 */
export class EventHub {
  private readonly streams = new Map<string, QueueStream>();
  readonly stats: StreamStats = { entriesRead: 0, deliveries: 0 };
  /** PROGRESS events dropped for slow clients since start. */
  coalesced = 0;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly blocking: RedisClient,
    private readonly store: JobStore,
    private readonly logger: Logger,
  ) {}

  /** Number of stream readers open now (one per watched queue). */
  get readers(): number {
    return this.streams.size;
  }

  /**
   * Events of one job: a SNAPSHOT (or the replay after `since`), then every event live,
   * ending after a final one. `canSee` decides ownership: a job the caller may not see
   * answers like an absent one.
   */
  async watchJob(address: JobAddress, since: string | undefined, canSee: (view: JobView) => boolean, pacing: WatchPacing = {}): Promise<AsyncIterableIterator<JobEvent>> {
    checkCursor(since);
    const stream = this.stream(address.queue);
    const watcher = this.watcher(pacing, () => this.leave(stream, watcher, address.jobId));
    try {
      await stream.ready;
      stream.addJobWatcher(address.jobId, watcher);
      const livePosition = stream.livePosition;
      const key = eventStreamKey(this.config, address.queue);
      if (since === undefined || (await this.trimmedAfter(key, since))) {
        const { cursor, logs } = await this.cursorAndLogs(key, address);
        const view = await this.store.load(address);
        if (!view || !canSee(view)) throw notFound('Job', `${address.queue}:${address.jobId}`);
        watcher.prepend([JobEvent.snapshot({ ...view, logs }, cursor, since !== undefined)]);
        watcher.release(cursor);
        return endAfterFinal(watcher, JobEvent.isFinalView(view));
      }
      const view = await this.store.load(address);
      if (!view || !canSee(view)) throw notFound('Job', `${address.queue}:${address.jobId}`);
      const replayed = await this.replay(key, address, since, livePosition);
      if (replayed.length === 0 && JobEvent.isFinalView(view)) {
        watcher.prepend([JobEvent.snapshot(view, since)]);
        watcher.release(undefined);
        return endAfterFinal(watcher, true);
      }
      watcher.prepend(replayed);
      watcher.release(livePosition);
      return endAfterFinal(watcher, false);
    } catch (error) {
      watcher.close();
      throw error;
    }
  }

  /**
   * Every job event of a queue, live; with `since`, replayed from there first. With `canSee`,
   * only events of jobs it accepts (each event's job is read once, shared by all watchers).
   */
  async watchQueue(queue: string, since: string | undefined, canSee: ((view: JobView) => boolean) | undefined, pacing: WatchPacing = {}): Promise<AsyncIterableIterator<JobEvent>> {
    checkCursor(since);
    const stream = this.stream(queue);
    const watcher = this.watcher(pacing, () => this.leave(stream, watcher));
    try {
      await stream.ready;
      stream.addQueueWatcher(watcher);
      const livePosition = stream.livePosition;
      if (since !== undefined) watcher.prepend(await this.replay(eventStreamKey(this.config, queue), { queue }, since, livePosition));
      watcher.release(livePosition);
      return canSee ? onlyVisible(watcher, canSee) : watcher;
    } catch (error) {
      watcher.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    const streams = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(streams.map((stream) => stream.close()));
  }

  private watcher(pacing: WatchPacing, onClose: () => void): Watcher {
    return new Watcher({ slowClientBytes: this.config.slowClientBytes, ...pacing }, onClose);
  }

  private stream(queue: string): QueueStream {
    let stream = this.streams.get(queue);
    if (!stream) {
      stream = new QueueStream(queue, this.config, this.redis, this.blocking, this.store, this.stats, this.logger);
      this.streams.set(queue, stream);
    }
    return stream;
  }

  private leave(stream: QueueStream, watcher: Watcher, jobId?: string): void {
    this.coalesced += watcher.coalesced;
    stream.remove(watcher, jobId);
    if (stream.watcherCount === 0 && this.streams.get(stream.queue) === stream) {
      this.streams.delete(stream.queue);
      stream.close().catch((error: unknown) => this.logger.warn({ err: error }, 'closing event stream reader failed'));
    }
  }

  /**
   * The stream's last id and the job's log as of that id, read in one MULTI (same hash slot):
   * a SNAPSHOT's log never holds a line whose LOG event comes after its cursor.
   */
  private async cursorAndLogs(key: string, address: JobAddress): Promise<{ cursor: string; logs: string[] }> {
    const results = await this.redis
      .multi()
      .xrevrange(key, '+', '-', 'COUNT', 1)
      .lrange(`${jobKey(this.config, address.queue, address.jobId)}:logs`, -MAX_LOG_LINES, -1)
      .exec();
    const last = (results?.[0]?.[1] ?? []) as [string, string[]][];
    return { cursor: last[0]?.[0] ?? '0-0', logs: (results?.[1]?.[1] ?? []) as string[] };
  }

  /**
   * Whether entries after `since` may have been trimmed away (then a gap SNAPSHOT replaces
   * them). Trimming does not move `max-deleted-entry-id`, so the test is against the first
   * entry still kept, and only when the stream ever lost an entry.
   */
  private async trimmedAfter(key: string, since: string): Promise<boolean> {
    const info = (await this.redis.xinfo('STREAM', key).catch(() => null)) as unknown[] | null;
    if (!info) return false;
    const field = (name: string): unknown => {
      const index = info.indexOf(name);
      return index < 0 ? undefined : info[index + 1];
    };
    const added = field('entries-added');
    if (typeof added === 'number' && added === field('length')) return false;
    const first = field('first-entry') as [string] | null | undefined;
    return Boolean(first) && compareStreamIds(since, first![0]) < 0;
  }

  /** The events after `since` up to `until` (inclusive) of one job, or of a whole queue. */
  private async replay(key: string, scope: { queue: string; jobId?: string }, since: string, until: string): Promise<JobEvent[]> {
    const events: Promise<JobEvent | null>[] = [];
    let from = nextStreamId(since);
    while (compareStreamIds(from, until) <= 0) {
      const page = await this.redis.xrange(key, from, until, 'COUNT', REPLAY_PAGE);
      for (const [id, flat] of page) {
        const fields: Record<string, string> = {};
        for (let index = 0; index < flat.length; index += 2) fields[flat[index]] = flat[index + 1];
        if (scope.jobId !== undefined && fields.jobId !== scope.jobId) continue;
        const pending = toPendingEvent(scope.queue, fields.event, id, fields, this.store);
        if (pending) events.push(pending.event);
      }
      if (page.length < REPLAY_PAGE) break;
      from = nextStreamId(page[page.length - 1][0]);
    }
    return (await Promise.all(events)).filter((event): event is JobEvent => event !== null);
  }
}

/** Ends the iteration after the first final event (or at once after a final snapshot). */
async function* endAfterFinal(watcher: Watcher, finalSnapshot: boolean): AsyncGenerator<JobEvent> {
  try {
    for await (const event of watcher) {
      yield event;
      if (finalSnapshot || event.isFinal) return;
    }
  } finally {
    watcher.close();
  }
}

/** The events of `watcher` whose job `canSee` accepts. */
async function* onlyVisible(watcher: Watcher, canSee: (view: JobView) => boolean): AsyncGenerator<JobEvent> {
  try {
    for await (const event of watcher) {
      if (canSee(await event.job())) yield event;
    }
  } finally {
    watcher.close();
  }
}
