import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Principal } from '../auth/authenticator';
import type { WorkWaiter } from '../events/watcher';

/** Bytes buffered for a response above which its subscriptions wait for it to drain before their next event. */
export const HIGH_WATER_BYTES = 64 * 1024;

const CR = 0x0d;
const LF = 0x0a;

/** Streams holding messages written in this turn of the event loop, sent together at its end. */
let holding = new Set<EventStream>();
function sendHeld(): void {
  // Taken as a whole first: a subscription woken by a send writes again, for the next turn.
  const streams = holding;
  holding = new Set();
  for (const stream of streams) stream.sendHeld();
}

/**
 * `parts` (`bytes` in all) as one HTTP/1.1 chunk (RFC 9112 §7.1): its size in hexadecimal, CRLF,
 * the data, CRLF. `parts` must not be empty in all: a chunk of size 0 ends the body.
 */
function httpChunk(parts: readonly Buffer[], bytes: number): Buffer {
  const size = bytes.toString(16);
  const chunk = Buffer.allocUnsafe(size.length + 2 + bytes + 2);
  let at = chunk.write(size, 0, 'latin1');
  chunk[at++] = CR;
  chunk[at++] = LF;
  for (const part of parts) at += part.copy(chunk, at);
  chunk[at++] = CR;
  chunk[at] = LF;
  return chunk;
}

/**
 * One Server-Sent Events stream of graphql-sse's protocol, and who holds it: a connection of
 * the "distinct connections" mode (one operation), or a stream of the "single connection"
 * mode, reserved by `PUT` under `token` and later connected by a `GET`, which carries every
 * operation the owner `POST`s with that token.
 *
 * Events go out as WebSocket events do (TurnWrites): the messages written to a stream in one
 * turn of the event loop are held, then sent at its end as one HTTP chunk in one write to the
 * socket. `ServerResponse.write` would frame every message as a chunk of its own, in four
 * writes to the socket: under fan-out, most of a delivery's CPU. The chunk is framed here only
 * for a response that is chunked and has its socket; any other goes through
 * `ServerResponse.write`. `bufferedAmount` (what is held, and what the response and its socket
 * hold, unsent) tells the watchers how far behind the client is, so that they coalesce its
 * PROGRESS events (`SLOW_CLIENT_BYTES`). A subscription waits (`whenReady`) rather than write
 * past {@link HIGH_WATER_BYTES}: nothing queues without bound here.
 */
export class EventStream {
  private response: ServerResponse | undefined;
  /** The response's socket while this stream writes chunks to it itself. */
  private socket: Socket | undefined;
  private ended = false;
  /** Messages written in this turn, not yet sent, and their size. */
  private held: Buffer[] = [];
  private heldBytes = 0;
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

  /** Bytes written and not yet sent to the client: held for this turn, and in the response's buffer and its socket's. */
  get bufferedAmount(): number {
    return this.heldBytes + (this.response?.writableLength ?? 0);
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

  /**
   * The response now carries the stream: subscriptions that waited for it go on. Its headers
   * must have been sent (`flushHeaders`): chunks written to its socket follow them.
   */
  attach(response: ServerResponse): void {
    this.response = response;
    this.deadline = undefined;
    if (this.ended) return void response.end();
    response.on('drain', this.onDrain);
    const { socket } = response;
    if (socket && response.chunkedEncoding) {
      this.socket = socket;
      socket.on('drain', this.onDrain);
    }
    this.wakeAll();
  }

  /** Calls `waiter.resume()` once, when the stream is ready or has ended. */
  whenReady(waiter: WorkWaiter): void {
    if (this.ready || this.ended) waiter.resume();
    else this.waiting.add(waiter);
  }

  /** Writes `message` (a whole SSE message) with the turn's others; dropped once the stream has ended. */
  write(message: string | Buffer): void {
    const response = this.response;
    if (!response || this.ended || response.destroyed) return;
    const bytes = typeof message === 'string' ? Buffer.from(message) : message;
    if (bytes.length === 0) return;
    if (this.held.length === 0) {
      if (holding.size === 0) setImmediate(sendHeld);
      holding.add(this);
    }
    this.held.push(bytes);
    this.heldBytes += bytes.length;
  }

  /** Sends the messages held in this turn: one chunk, one write. */
  sendHeld(): void {
    const { held, heldBytes, response } = this;
    if (held.length === 0) return;
    this.held = [];
    this.heldBytes = 0;
    if (!response || response.destroyed) return;
    if (this.socket) this.socket.write(httpChunk(held, heldBytes));
    else response.write(held.length === 1 ? held[0] : Buffer.concat(held, heldBytes));
    // A write the system takes at once emits no `drain`: subscriptions that waited for what was held go on now.
    if (this.waiting.size > 0 && this.ready) this.wakeAll();
  }

  /** Ends the stream (the response, if connected, after what it holds) and wakes whoever waits, so they stop. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    holding.delete(this);
    this.sendHeld();
    const response = this.response;
    if (response) {
      response.off('drain', this.onDrain);
      this.socket?.off('drain', this.onDrain);
      this.socket = undefined;
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
