import { createSourceEventStream, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import type { WorkWaiter } from '../events/watcher';
import { nextFrame, nextOpening } from './next-frames';
import type { ServedSubscription, SubscriptionOwner } from './served-subscriptions';
import type { SharedRenderer } from './shared-renderer';
import type { TurnWrites } from './turn-writes';

/** Bytes buffered for a socket above which a subscription waits for the socket to drain before its next event. */
const HIGH_WATER_BYTES = 64 * 1024;

/** Where one subscription's messages go: the socket, the graphql-ws operation id, and the coalescer of the socket's writes. */
export interface PushTarget {
  socket: WebSocket;
  id: string;
  writes: TurnWrites;
}

/**
 * A source that can say it has nothing to hand over now, and resume a waiter when it has: a
 * subscription then waits without a pending `next()` (an idle subscription keeps no
 * suspended function frames, only a reference to itself in its source). It hands over what it
 * has without a promise (`takeNow`), so a busy subscription delivers without one per event.
 */
export interface IdleAwareSource {
  readonly idle: boolean;
  /** Calls `waiter.resume()` once, when the source has something (an event, an end, an error). */
  onWork(waiter: WorkWaiter): void;
  /** The next value when it can be had at once; undefined when `next()` must be asked (a wait, an end, an error). */
  takeNow(): unknown;
}

function isIdleAware(source: object): source is IdleAwareSource {
  return 'idle' in source && 'onWork' in source && 'takeNow' in source;
}

/** What `nextFrom` gives when the source has nothing now and will resume the waiter. */
export const IDLE = Symbol('idle');

/**
 * What a subscription's delivery loop takes next from `source`: a value it has at once; IDLE
 * once `waiter` is left to be resumed when it has work; else its `next()`, to await (an end, an
 * error, or an event still being checked). Sources yield objects (events), never promises.
 */
export function nextFrom(source: AsyncIterator<unknown>, waiter: WorkWaiter): unknown {
  if (!isIdleAware(source)) return source.next();
  const value = source.takeNow();
  if (value !== undefined) return value;
  if (!source.idle) return source.next();
  source.onWork(waiter);
  return IDLE;
}

/**
 * A subscription whose events are written straight to its socket as graphql-ws `next`
 * messages, their payloads shared through the renderer. graphql-ws starts it and hands it to
 * the socket's ServedSubscriptions, which `serve` it and are told when it ends. One the client
 * completed while it started stays graphql-ws', which returns it; as an iterator it yields
 * nothing and ends when the source ends, and throws when the source fails.
 */
export class PushedSubscription implements AsyncGenerator<ExecutionResult, undefined>, WorkWaiter, ServedSubscription {
  private readonly key: string;
  private closed = false;
  private pumping = false;
  /** The start of this subscription's `next` messages (`nextFrame`), made at its first. */
  private opening: Buffer | undefined = undefined;
  private ended: (() => void) | undefined;
  /** Who serves it, told when it ends (`serve`). */
  private owner: SubscriptionOwner | undefined = undefined;
  private finished: Promise<IteratorResult<ExecutionResult, undefined>> | undefined;
  /**
   * The promise's own resolve function, kept as it is: a settling closure around it would cost
   * every idle subscription a closure and a context. No reject function: a failure resolves it
   * with a rejected promise, which rejects it alike, and an idle subscription keeps one closure less.
   */
  private resolveFinished: ((result: IteratorResult<ExecutionResult, undefined> | Promise<never>) => void) | undefined;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly target: PushTarget,
    private readonly renderer: SharedRenderer,
  ) {
    this.key = renderer.selectionKey(args);
  }

  get id(): string {
    return this.target.id;
  }

  /** Calls `callback` once when the subscription ends, however it ends. */
  whenEnded(callback: () => void): void {
    this.ended = callback;
  }

  /** Sends every event of the source until it ends or the subscription is closed; `owner` is told then. */
  serve(owner: SubscriptionOwner): void {
    this.owner = owner;
    this.resume();
  }

  /** As `serve`, for graphql-ws' iteration: yields nothing, and settles when the subscription ends. */
  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (!this.finished) {
      this.finished = new Promise((resolve) => {
        this.resolveFinished = resolve;
      });
      this.resume();
    }
    return this.finished;
  }

  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.closed = true;
    this.finish();
    await this.source.return?.();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Called by an idle source when it has work again: delivery goes on. */
  resume(): void {
    if (this.pumping) return;
    this.pumping = true;
    let rest: typeof IDLE | Promise<Buffer> | undefined;
    try {
      rest = this.sendAtHand();
    } catch (error) {
      this.finish(error);
      rest = IDLE;
    }
    if (rest === IDLE) this.pumping = false;
    else void this.pump(rest);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /**
   * Sends what the source has at hand, rendered, while the socket takes it: a busy subscription
   * delivers synchronously, without a promise per event. IDLE once the source is idle (it resumes
   * this subscription when it has work); otherwise `pump` goes on: from the start (an event still
   * being checked, the source's end or error, a socket closed or backed up), or with the payload
   * still being rendered that it returns.
   */
  private sendAtHand(): typeof IDLE | Promise<Buffer> | undefined {
    const { source } = this;
    if (!isIdleAware(source)) return undefined;
    const { socket } = this.target;
    while (!this.closed && socket.readyState === socket.OPEN && socket.bufferedAmount < HIGH_WATER_BYTES) {
      const value = source.takeNow();
      if (value === undefined) {
        if (!source.idle) return undefined;
        source.onWork(this);
        return IDLE;
      }
      const rendered = this.renderer.payload(value, this.key, this.args);
      if (!Buffer.isBuffer(rendered)) return rendered;
      this.send(rendered);
    }
    return undefined;
  }

  /**
   * Delivers what the source has, waiting where `sendAtHand` cannot; `first` is a payload it left
   * rendering. When the source is idle it returns, leaving itself as the source's waiter
   * (`resume` starts it again), rather than waiting inside the source's `next()`. Runs with
   * `pumping` set, and clears it.
   */
  private async pump(first: Promise<Buffer> | undefined): Promise<void> {
    const { socket } = this.target;
    let rendered: Buffer | Promise<Buffer> | undefined = first;
    try {
      while (!this.closed) {
        if (rendered === undefined) {
          let value = nextFrom(this.source, this);
          if (value === IDLE) return;
          if (value instanceof Promise) {
            const step = (await value) as IteratorResult<unknown>;
            if (step.done) break;
            value = step.value;
          }
          rendered = this.renderer.payload(value, this.key, this.args);
        }
        const payload = Buffer.isBuffer(rendered) ? rendered : await rendered;
        rendered = undefined;
        if (this.closed || socket.readyState !== socket.OPEN) break;
        if (socket.bufferedAmount < HIGH_WATER_BYTES) this.send(payload);
        else await new Promise<void>((resolve) => this.send(payload, resolve));
      }
      this.finish();
    } catch (error) {
      this.finish(error);
    } finally {
      this.pumping = false;
    }
  }

  /** Writes `payload` as this subscription's next frame; `written` once the socket has taken it. */
  private send(payload: Buffer, written?: () => void): void {
    this.opening ??= nextOpening(this.target.id);
    const { header, tail } = nextFrame(this.opening, payload);
    const transport = this.target.writes.held(this.target.socket);
    transport.write(header);
    transport.write(this.opening);
    transport.write(tail, written);
  }

  private finish(error?: unknown): void {
    this.end();
    const owner = this.owner;
    this.owner = undefined;
    owner?.ended(this, error);
    const resolve = this.resolveFinished;
    this.resolveFinished = undefined;
    if (error === undefined) resolve?.({ done: true, value: undefined });
    else if (resolve) resolve(Promise.reject(error));
  }

  private end(): void {
    const ended = this.ended;
    this.ended = undefined;
    ended?.();
  }
}

/**
 * Starts a subscription the pushed way: the root field's `subscribe` runs as usual (its errors
 * come back as an ExecutionResult), then events go to the socket through the renderer.
 */
export async function pushSubscription(
  args: ExecutionArgs,
  target: PushTarget,
  renderer: SharedRenderer,
): Promise<PushedSubscription | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  return new PushedSubscription(source[Symbol.asyncIterator](), args, target, renderer);
}
