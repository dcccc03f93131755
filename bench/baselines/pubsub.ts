/**
 * A tiny in-memory pub/sub for the plain graphql-ws baseline: one async
 * iterator per subscriber, as graphql-subscriptions' PubSub does, so graphql-js
 * executes and serializes every event once per subscriber.
 */
import type { WebSocket } from 'ws';

/** Subscribers whose queue holds more than this many events count as congested. */
const CONGESTED_QUEUE = 8;

class Subscription<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private waiter: ((result: IteratorResult<T>) => void) | null = null;

  constructor(
    readonly socket: WebSocket,
    private readonly unsubscribe: () => void,
  ) {}

  push(value: T): void {
    if (this.waiter) {
      this.waiter({ value, done: false });
      this.waiter = null;
    } else this.queue.push(value);
  }

  get backlog(): number {
    return this.queue.length;
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.queue.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    return new Promise((resolve) => (this.waiter = resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.unsubscribe();
    this.waiter?.({ value: undefined, done: true });
    this.waiter = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

/** Topic-keyed pub/sub whose subscribers are async iterators. */
export class PubSub<T> {
  private readonly topics = new Map<string, Set<Subscription<T>>>();
  private total = 0;

  /** A new iterator of `topic`'s events for a subscriber on `socket`. */
  subscribe(topic: string, socket: WebSocket): AsyncIterableIterator<T> {
    const set = this.topics.get(topic) ?? new Set<Subscription<T>>();
    this.topics.set(topic, set);
    const subscription: Subscription<T> = new Subscription<T>(socket, () => {
      if (set.delete(subscription)) this.total -= 1;
    });
    set.add(subscription);
    this.total += 1;
    return subscription;
  }

  /** Hands `value` to every subscriber of `topic`; congested when one of them is behind. */
  publish(topic: string, value: T, maxBufferedBytes: number): { sends: number; congested: boolean } {
    const set = this.topics.get(topic);
    if (!set) return { sends: 0, congested: false };
    let congested = false;
    for (const subscription of set) {
      subscription.push(value);
      if (subscription.backlog > CONGESTED_QUEUE || subscription.socket.bufferedAmount > maxBufferedBytes) congested = true;
    }
    return { sends: set.size, congested };
  }

  /** Number of live subscriptions. */
  get count(): number {
    return this.total;
  }
}
