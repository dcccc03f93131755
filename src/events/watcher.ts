import { unavailable } from '../errors';
import { JobEvent } from './job-event';
import type { JobView } from '../services/job-view';
import type { PendingEvent } from './event-mapping';
import type { QueueStream } from './queue-stream';
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

type Entry = { pending: PendingEvent } | { ready: JobEvent };

/** Who is told when a watch ends (the EventHub), so it can leave its stream. */
export interface WatcherHome {
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
export class Watcher implements AsyncIterableIterator<JobEvent> {
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
  /** Which events the watch delivers; the others are skipped. */
  private accepts: ((event: JobEvent) => Promise<boolean>) | undefined;
  private ending = false;
  /** Number of PROGRESS events dropped because the client was slow. */
  coalesced = 0;

  /**
   * @param home told once when the watch ends
   * @param stream the stream reader the watch is registered with, for `home`
   * @param jobId the watched job, or undefined for a whole queue
   */
  constructor(
    private readonly options: WatcherOptions,
    private readonly home: WatcherHome,
    readonly stream: QueueStream,
    readonly jobId: string | undefined,
  ) {}

  /** Called by the hub for every live event the watch is interested in. */
  push(pending: PendingEvent): void {
    if (this.closed) return;
    if (pending.isProgress && this.isSlow()) this.dropQueuedProgress(pending.jobId);
    this.queue.push({ pending });
    this.queuedBytes += pending.approxBytes;
    if (this.queue.length > (this.options.maxQueued ?? 10_000)) return this.fail(new SlowConsumerError());
    this.notify();
  }

  /** Puts events (a snapshot, a replay) ahead of the live ones; only while held. */
  prepend(events: JobEvent[]): void {
    this.queue.unshift(...events.map((event) => ({ ready: event })));
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

  /** Delivers only the events whose job `canSee` accepts. */
  only(canSee: (view: JobView) => boolean): this {
    this.accepts = async (event) => canSee(await event.job());
    return this;
  }

  /** Whether `next()` would have to wait: nothing to deliver, no end, no error (then `onWork` is called back). */
  get idle(): boolean {
    if (this.failure || this.closed || this.ending) return false;
    return this.held ? this.queue.length === 0 || !('ready' in this.queue[0]) : this.queue.length === 0;
  }

  /** Calls `waiter` once, at the next event, end or error: a consumer can wait without a pending `next()`. */
  onWork(waiter: WorkWaiter): void {
    this.waiter = waiter;
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
      const entry = this.held ? this.firstReady() : this.queue.shift();
      if (!entry) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      const event = 'ready' in entry ? entry.ready : await this.settle(entry.pending);
      if (!event || (this.accepts && !(await this.accepts(event)))) continue;
      if (this.endsAfter === 'first' || (this.endsAfter === 'final' && event.isFinal)) this.ending = true;
      return { done: false, value: event };
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
    this.queuedBytes -= pending.approxBytes;
    if (this.floor !== undefined) {
      if (compareStreamIds(pending.cursor, this.floor) <= 0) return null;
      // Live events come in stream order: once one is past the floor, every later one is.
      this.floor = undefined;
    }
    return pending.event.catch(() => {
      throw unavailable();
    });
  }

  /** While held, only events put ahead by `prepend` may go out. */
  private firstReady(): Entry | undefined {
    return this.queue.length > 0 && 'ready' in this.queue[0] ? this.queue.shift() : undefined;
  }

  private isSlow(): boolean {
    return this.queuedBytes + (this.options.socket?.bufferedAmount ?? 0) > this.options.slowClientBytes;
  }

  /** Drops the queued PROGRESS events of `jobId` that follow its last queued state change. */
  private dropQueuedProgress(jobId: string): void {
    for (let index = this.queue.length - 1; index >= 0; index--) {
      const entry = this.queue[index];
      if (!('pending' in entry) || entry.pending.jobId !== jobId) continue;
      if (!entry.pending.isProgress) return;
      this.queue.splice(index, 1);
      this.queuedBytes -= entry.pending.approxBytes;
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
