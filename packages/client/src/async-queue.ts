/** How an {@link AsyncQueue} holds what its consumer has not taken yet. */
export interface AsyncQueueOptions {
  /** Keep only the newest value (a slow consumer then sees the latest, not a backlog). */
  latestOnly?: boolean;
  /** Called once when the consumer ends the iteration (`return()`), not when the producer ends it. */
  onReturn?: () => void;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A producer-fed async iterator: the producer calls `push`, then `end` (with an error to fail
 * the iteration after the values already pushed); the consumer iterates. Unlike an async
 * generator, `return()` ends the iteration at once, even while a `next()` waits: a consumer
 * that unsubscribes does not wait for one more value.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T, undefined> {
  private readonly values: T[] = [];
  private ended = false;
  private failure: { error: unknown } | undefined;
  private waiting: { resolve: (result: IteratorResult<T, undefined>) => void; reject: (error: unknown) => void } | undefined;
  /** Whether a value was ever pushed. */
  received = false;

  constructor(private readonly options: AsyncQueueOptions = {}) {}

  /** Whether the iteration is over for the producer: pushing does nothing any more. */
  get isEnded(): boolean {
    return this.ended;
  }

  push(value: T): void {
    if (this.ended) return;
    this.received = true;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting.resolve({ done: false, value });
      return;
    }
    if (this.options.latestOnly) this.values.length = 0;
    this.values.push(value);
  }

  /** Ends the iteration after the values already pushed; with `error`, the consumer's next `next()` after them throws it. */
  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (error !== undefined) this.failure = { error };
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting) this.settle(waiting);
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.values.length > 0) return Promise.resolve({ done: false, value: this.values.shift() as T });
    if (this.ended) return new Promise((resolve, reject) => this.settle({ resolve, reject }));
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorReturnResult<undefined>> {
    const alreadyEnded = this.ended;
    this.values.length = 0;
    this.failure = undefined;
    this.end();
    if (!alreadyEnded) this.options.onReturn?.();
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Answers a `next()` once the queue is empty and ended: the failure once, then done. */
  private settle(waiting: { resolve: (result: IteratorResult<T, undefined>) => void; reject: (error: unknown) => void }): void {
    const failure = this.failure;
    this.failure = undefined;
    if (failure) waiting.reject(failure.error);
    else waiting.resolve(DONE);
  }
}
