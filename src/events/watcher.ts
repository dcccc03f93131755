import { ErrorCode, JobgateError, unavailable } from '../errors';
import { toGlobalId } from '../jobs/job-id';
import { JobEvent, JobEventType } from './job-event';
import type { JobView } from '../jobs/job-view';
import { isGoneView, type BuildListener, type PendingEvent } from './event-mapping';
import { compareStreamIds } from './stream-id';

/** How a watcher learns that its client is not keeping up. */
export interface WatcherOptions {
  /** Bytes queued for the client (here and in its socket) above which PROGRESS events are coalesced. */
  slowClientBytes: number;
  /** The client's socket, for the bytes already buffered in it (none when absent). */
  socket?: { readonly bufferedAmount: number };
  /** Events queued at most before the watch fails as too slow (state changes are never dropped). */
  maxQueued?: number;
}

/** A watch that fell too far behind to be served without dropping state changes. */
export class SlowConsumerError extends Error {
  constructor() {
    super('The client is reading events too slowly; resubscribe with `since` to resume');
    this.name = 'SlowConsumerError';
  }
}

/**
 * The error that ends a watch whose job is gone or was replaced by another job with the same id
 * (Redis restarted empty or failed over to a replica without it: BullMQ's ids start again at 1).
 */
export function jobGone(id: string): JobgateError {
  return new JobgateError(
    ErrorCode.NOT_FOUND,
    `Job "${id}" is gone: its queue's data was lost or replaced (Redis restarted or failed over); enqueue again or stop watching`,
  );
}

/** A queued event: built ahead (a snapshot, a replay: put ahead by `prepend`), or live and shared with the other watchers of its entry (no wrapper per watcher). */
type Entry = PendingEvent | JobEvent;

/**
 * Where a watch is registered (its queue's stream reader), told once when the watch ends so
 * that it can drop the watch. An interface, so that a watcher does not know the stream reader's
 * class; and an object the watcher already needs (for its queue), not a closure per watcher.
 */
export interface WatcherHome {
  /** The queue whose events the watch gets. */
  readonly queue: string;
  left(watcher: Watcher): void;
}

/** A consumer waiting for a watch to have work (an event, an end, an error): an object with a method, not a closure per wait. */
export interface WorkWaiter {
  resume(): void;
}

/** After which event a watch ends: none, its first, or its first final one. */
type Ending = 'never' | 'first' | 'final';

/**
 * The queue of events between the EventHub and one subscription. Events arrive in stream
 * order; while the watch is being set up they are held, then released after the snapshot
 * or replay with everything at or before `releaseAfter` dropped. A slow client gets its
 * queued PROGRESS events coalesced (latest wins), never its state changes.
 */
export class Watcher implements AsyncIterableIterator<JobEvent>, BuildListener {
  private readonly queue: Entry[] = [];
  private queuedBytes = 0;
  private held = true;
  private floor: string | undefined;
  private closed = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private waiter: WorkWaiter | undefined;
  /**
   * After which event the watch ends (the event itself is delivered). A flag, not a predicate:
   * an idle watch should not keep a closure (every field of a watcher is paid 20,000 times).
   */
  private endsAfter: Ending = 'never';
  /** Which jobs' events the watch delivers; the others are skipped. */
  private canSee: ((view: JobView) => boolean) | undefined;
  private ending = false;
  /**
   * Who the watched job is (see `remember`): its creation time in ms, NaN until known (and
   * always for a queue watch), and its owner. Two plain fields, no view kept alive.
   */
  private createdAt = Number.NaN;
  private owner: string | undefined;
  /** Number of PROGRESS events dropped because the client was slow. */
  coalesced = 0;

  /**
   * @param home the stream reader the watch is registered with, told once when the watch ends
   * @param jobId the watched job, or undefined for a whole queue
   */
  constructor(
    private readonly options: WatcherOptions,
    private readonly home: WatcherHome,
    readonly jobId: string | undefined,
  ) {}

  /** Called by the hub for every live event the watch is interested in. */
  push(pending: PendingEvent): void {
    if (this.closed) return;
    if (pending.isProgress && this.isSlow()) this.dropQueuedProgress(pending.jobId);
    this.queue.push(pending);
    this.queuedBytes += pending.approxBytes;
    if (this.queue.length > (this.options.maxQueued ?? 10_000)) return this.fail(new SlowConsumerError());
    this.notify();
  }

  /** Puts events (a snapshot, a replay) ahead of the live ones; only while held. */
  prepend(events: JobEvent[]): void {
    this.queue.unshift(...events);
  }

  /** Starts delivering: live events at or before `after` are dropped as already covered. */
  release(after: string | undefined): void {
    this.floor = after;
    this.held = false;
    this.notify();
  }

  /** Ends the watch after its first final event, or after its first event when `firstIsLast`. */
  endAfterFinal(firstIsLast: boolean): this {
    this.endsAfter = firstIsLast ? 'first' : 'final';
    return this;
  }

  /** Remembers who the watched job is: the job the SNAPSHOT showed, or the one the replay was checked against. */
  remember(view: JobView): this {
    this.createdAt = view.createdAt.getTime();
    this.owner = view.owner;
    return this;
  }

  /**
   * Whether `view` (undefined: the job is absent) is the job this watch remembers, told by its
   * creation time and owner: after Redis lost its data, job ids start again at 1 and the next
   * job given this id is someone else's. If not, the watch fails with NOT_FOUND (`jobGone`) and
   * delivers nothing more. A watch that knows no job yet (being set up, or of a whole queue)
   * accepts any.
   */
  verify(view: JobView | undefined): boolean {
    if (Number.isNaN(this.createdAt)) return true;
    if (view && view.createdAt.getTime() === this.createdAt && view.owner === this.owner) return true;
    this.fail(jobGone(toGlobalId({ queue: this.home.queue, jobId: this.jobId ?? '' })));
    return false;
  }

  /** Delivers only the events whose job `canSee` accepts. */
  only(canSee: (view: JobView) => boolean): this {
    this.canSee = canSee;
    return this;
  }

  /**
   * Whether `next()` would have to wait: nothing to deliver, no end, no error (then `onWork` is
   * called back). The first queued event still being built counts as nothing to deliver.
   */
  get idle(): boolean {
    if (this.failure || this.closed || this.ending) return false;
    const head = this.queue[0];
    if (head === undefined) return true;
    if (head instanceof JobEvent) return false;
    return this.held || !head.settled;
  }

  /** Calls `waiter` once, at the next event, end or error: a consumer can wait without a pending `next()`. */
  onWork(waiter: WorkWaiter): void {
    this.waiter = waiter;
    const head = this.queue[0];
    if (head !== undefined && !(head instanceof JobEvent) && !head.settled) head.whenBuilt(this);
    // An empty queue keeps the backing store its snapshot or last burst grew; length 0 gives it back while the watch idles.
    if (this.queue.length === 0) this.queue.length = 0;
  }

  /** The first queued event was built: the waiting consumer goes on. */
  eventBuilt(): void {
    this.notify();
  }

  /**
   * The next event to deliver when it can be had without waiting: built, and its job known when
   * the watch must check it. Undefined otherwise (nothing queued, an end or an error, or a wait),
   * and `next()` then says which. A running job's PROGRESS events are built with its job, so a
   * busy watch delivers them with no promise of its own.
   */
  takeNow(): JobEvent | undefined {
    while (!this.failure && !this.closed && !this.ending) {
      const head = this.queue[0];
      if (head === undefined) return undefined;
      let event: JobEvent | null;
      if (head instanceof JobEvent) event = head;
      else if (this.held || head.value === undefined) return undefined;
      else event = this.covered(head) ? null : head.value;
      const delivers = event && this.deliversNow(event);
      if (delivers === undefined) return undefined;
      this.shift();
      if (event && delivers) return this.delivered(event);
    }
    return undefined;
  }

  fail(error: Error): void {
    this.failure = error;
    this.notify();
  }

  async next(): Promise<IteratorResult<JobEvent>> {
    for (;;) {
      if (this.failure) {
        const failure = this.failure;
        this.close();
        throw failure;
      }
      if (this.closed || this.ending) {
        this.close();
        return { done: true, value: undefined };
      }
      const entry = this.held ? this.firstReady() : this.shift();
      if (!entry) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const event = entry instanceof JobEvent ? entry : await this.settle(entry);
      if (event && (await this.delivers(event))) return { done: false, value: this.delivered(event) };
    }
  }

  async return(): Promise<IteratorResult<JobEvent>> {
    this.close();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<JobEvent>> {
    this.close();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Ends the watch; whatever is still queued is discarded. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.notify();
    this.home.left(this);
  }

  /**
   * The event, or null when the snapshot or replay already covers it. An event that cannot be
   * built (Redis away for longer than the hub waits) ends the watch with UNAVAILABLE rather
   * than being skipped: the client resumes with `since` and loses nothing.
   */
  private settle(pending: PendingEvent): Promise<JobEvent | null> | null {
    if (this.covered(pending)) return null;
    return pending.event.catch(() => {
      throw unavailable();
    });
  }

  /** Whether the snapshot or replay already covers the live event `pending`. */
  private covered(pending: PendingEvent): boolean {
    if (this.floor === undefined) return false;
    if (compareStreamIds(pending.cursor, this.floor) <= 0) return true;
    // Live events come in stream order: once one is past the floor, every later one is.
    this.floor = undefined;
    return false;
  }

  /** Whether the watch delivers `event` (its job is read when a check needs it). */
  private async delivers(event: JobEvent): Promise<boolean> {
    if (this.canSee && !this.canSee(await event.job())) return false;
    if (!this.checksJobOf(event)) return true;
    // A job that cannot be read (Redis away for longer than the read waits) is reported by the payload's own read, as before.
    const view = event.loadedJob ?? (await event.job().catch(() => undefined));
    return !view || this.isWatchedJob(view);
  }

  /** `delivers`, decided without waiting: undefined when a check needs the job and it is not read yet. */
  private deliversNow(event: JobEvent): boolean | undefined {
    const view = event.loadedJob;
    if (this.canSee) {
      if (!view) return undefined;
      if (!this.canSee(view)) return false;
    }
    if (!this.checksJobOf(event)) return true;
    return view ? this.isWatchedJob(view) : undefined;
  }

  /** `event`, which is going out; the watch ends after it when it is the last. */
  private delivered(event: JobEvent): JobEvent {
    if (this.endsAfter === 'first' || (this.endsAfter === 'final' && event.isFinal)) this.ending = true;
    return event;
  }

  /** Takes the first queued entry off the queue. */
  private shift(): Entry | undefined {
    const entry = this.queue.shift();
    if (entry !== undefined && !(entry instanceof JobEvent)) this.queuedBytes -= entry.approxBytes;
    return entry;
  }

  /** Whether `event` is to be checked against the job this watch remembers: every event but a SNAPSHOT, once the job is known. */
  private checksJobOf(event: JobEvent): boolean {
    return !Number.isNaN(this.createdAt) && event.type !== JobEventType.SNAPSHOT;
  }

  /**
   * Whether `view`, the job of `event`, is the job this watch remembers; if not, the watch has
   * failed (`verify`) and the event is not delivered. A job already absent when its event is read
   * (cancelled, expired or trimmed since) carries no one's data: the event goes out as before.
   * A watch whose job vanished with no event to follow is ended by the stream's re-check. Checked
   * on every event, not only after the stream reader saw Redis go away: a reset the reader cannot
   * see (a FLUSHALL, a failover its connection survived) must not hand over another owner's job
   * either, and the check costs no Redis read of its own: it uses the event's job, read once per
   * event for all its watchers, which the payload reads anyway when it selects `job` (PROGRESS and
   * LOG reuse the view read at ACTIVE).
   */
  private isWatchedJob(view: JobView): boolean {
    return isGoneView(view) || this.verify(view);
  }

  /** While held, only events put ahead by `prepend` may go out. */
  private firstReady(): Entry | undefined {
    return this.queue.length > 0 && this.queue[0] instanceof JobEvent ? this.queue.shift() : undefined;
  }

  private isSlow(): boolean {
    return this.queuedBytes + (this.options.socket?.bufferedAmount ?? 0) > this.options.slowClientBytes;
  }

  /** Drops the queued PROGRESS events of `jobId` that follow its last queued state change. */
  private dropQueuedProgress(jobId: string): void {
    for (let index = this.queue.length - 1; index >= 0; index--) {
      const entry = this.queue[index];
      if (entry instanceof JobEvent || entry.jobId !== jobId) continue;
      if (!entry.isProgress) return;
      this.queue.splice(index, 1);
      this.queuedBytes -= entry.approxBytes;
      this.coalesced += 1;
    }
  }

  private notify(): void {
    const wake = this.wake;
    const waiter = this.waiter;
    this.wake = undefined;
    this.waiter = undefined;
    wake?.();
    waiter?.resume();
  }
}
