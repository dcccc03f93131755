import type { ServerResponse } from 'node:http';
import type { Principal } from '../auth/authenticator';
import type { WorkWaiter } from '../events/watcher';

/** Bytes buffered for a response above which its subscriptions wait for it to drain before their next event. */
export const HIGH_WATER_BYTES = 64 * 1024;

/** Responses corked in this turn of the event loop, flushed together at its end. */
const corked = new Set<ServerResponse>();
function flushCorked(): void {
  for (const response of corked) response.uncork();
  corked.clear();
}

/**
 * One Server-Sent Events stream of graphql-sse's protocol, and who holds it: a connection of
 * the "distinct connections" mode (one operation), or a stream of the "single connection"
 * mode, reserved by `PUT` under `token` and later connected by a `GET`, which carries every
 * operation the owner `POST`s with that token.
 *
 * Events are written straight to the response, as WebSocket events are to the socket: writes of
 * one turn are corked together (one system call per response per turn, as TurnWrites does for
 * sockets), and `bufferedAmount` (what the response and its socket hold, unsent) tells the
 * watchers how far behind the client is, so that they coalesce its PROGRESS events
 * (`SLOW_CLIENT_BYTES`). A subscription waits (`whenReady`) rather than write past
 * {@link HIGH_WATER_BYTES}: nothing queues without bound here.
 */
export class EventStream {
  private response: ServerResponse | undefined;
  private ended = false;
  /** Subscriptions waiting for the response: to be connected, or to drain. */
  private readonly waiting = new Set<WorkWaiter>();
  private readonly onDrain = (): void => this.wakeAll();
  /** Subscriptions open on the stream (refused beyond MAX_SUBSCRIPTIONS_PER_SOCKET), counted by the subscriptions themselves. */
  subscriptions = 0;
  /** Until the stream is connected (single connection mode): when its reservation lapses, ms. */
  deadline: number | undefined;

  /**
   * @param owner who opened it (authenticated); the stream ends when its credentials expire
   * @param token the stream's token in single connection mode; undefined for a distinct connection
   */
  constructor(
    readonly owner: Principal,
    readonly token: string | undefined,
  ) {}

  /** Bytes written and not yet sent to the client: the response's buffer and its socket's. */
  get bufferedAmount(): number {
    return this.response?.writableLength ?? 0;
  }

  /** Whether an event may be written now: connected, not ended, not backed up. */
  get ready(): boolean {
    return this.response !== undefined && !this.ended && this.bufferedAmount < HIGH_WATER_BYTES;
  }

  /** Whether the stream has ended: nothing more is written. */
  get closed(): boolean {
    return this.ended;
  }

  /** Whether a response carries the stream now. */
  get connected(): boolean {
    return this.response !== undefined;
  }

  /** The response now carries the stream: subscriptions that waited for it go on. */
  attach(response: ServerResponse): void {
    this.response = response;
    this.deadline = undefined;
    if (this.ended) return void response.end();
    response.on('drain', this.onDrain);
    this.wakeAll();
  }

  /** Calls `waiter.resume()` once, when the stream is ready or has ended. */
  whenReady(waiter: WorkWaiter): void {
    if (this.ready || this.ended) waiter.resume();
    else this.waiting.add(waiter);
  }

  /** Writes `chunk` (a whole SSE message) to the response; dropped once the stream has ended. */
  write(chunk: string | Buffer): void {
    const response = this.response;
    if (!response || this.ended || response.destroyed) return;
    if (!corked.has(response)) {
      if (corked.size === 0) setImmediate(flushCorked);
      response.cork();
      corked.add(response);
    }
    response.write(chunk);
  }

  /** Ends the stream (the response, if connected) and wakes whoever waits, so they stop. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const response = this.response;
    if (response) {
      response.off('drain', this.onDrain);
      if (corked.delete(response)) response.uncork();
      if (!response.writableEnded) response.end();
    }
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiting = [...this.waiting];
    this.waiting.clear();
    for (const waiter of waiting) waiter.resume();
  }
}
