import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../auth/authenticator';
import type { JobgateError } from '../errors';
import { subscriptionRefusal, type ConnectionLimits, type OwnerConnections } from './connection-limits';
import { EventStream } from './sse-stream';

/** Time a stream reserved with PUT (single connection mode) has to be connected by its GET. */
export const RESERVATION_MS = 10_000;

/** Authenticates an HTTP request as every HTTP request is; rejects with UNAUTHENTICATED (a JobgateError) on bad credentials. */
export type RequestAuthenticator = (request: IncomingMessage) => Promise<Principal>;

/**
 * Who may hold an SSE event stream and how much, the counterpart of the WebSocket admission:
 * every request is authenticated like any HTTP request; each owner holds at most
 * MAX_SOCKETS_PER_OWNER connections at once, its streams (distinct connections and
 * single-connection streams, reserved or connected) and its WebSockets together, counted by the
 * `OwnerConnections` the gateway shares between both admissions; each stream holds at most
 * MAX_SUBSCRIPTIONS_PER_SOCKET subscriptions; a
 * stream's token is random (192 bits) and only its owner may use it; a reservation not connected
 * within {@link RESERVATION_MS} lapses, and a stream whose credentials expire is ended (`sweep`).
 * Knows streams and owners, not the protocol's messages.
 */
export class SseAdmission {
  private readonly streams = new Set<EventStream>();
  private readonly byToken = new Map<string, EventStream>();

  /** @param owners the count of connections per owner, shared with the WebSocket admission (one budget for both transports) */
  constructor(
    private readonly authenticate: RequestAuthenticator,
    readonly limits: ConnectionLimits,
    private readonly owners: OwnerConnections,
  ) {}

  /** Streams open or reserved now. */
  get size(): number {
    return this.streams.size;
  }

  /** The caller of a request; rejects with UNAUTHENTICATED on bad credentials. */
  caller(request: IncomingMessage): Promise<Principal> {
    return this.authenticate(request);
  }

  /**
   * A new stream of `owner`, counted until `release`: reserved under a fresh token (single
   * connection mode, `reserve`) or a distinct connection. Undefined when the owner holds
   * MAX_SOCKETS_PER_OWNER connections already (streams and WebSockets together).
   */
  open(owner: Principal, reserve: boolean): EventStream | undefined {
    if (!this.owners.take(owner.id)) return undefined;
    const stream = new EventStream(owner, reserve ? randomBytes(24).toString('base64url') : undefined);
    if (stream.token !== undefined) {
      stream.deadline = Date.now() + RESERVATION_MS;
      this.byToken.set(stream.token, stream);
    }
    this.streams.add(stream);
    return stream;
  }

  /** The stream `token` names, when `caller` is its owner: another owner's token is no one's. */
  find(token: string, caller: Principal): EventStream | undefined {
    const stream = this.byToken.get(token);
    return stream?.owner.id === caller.id ? stream : undefined;
  }

  /** The refusal of one more subscription on `stream`, else undefined. */
  subscriptionRefusal(stream: EventStream): JobgateError | undefined {
    return subscriptionRefusal(this.limits, stream.subscriptions + 1, 'event stream');
  }

  /** The stream is over: ended, no longer found by its token nor counted against its owner. */
  release(stream: EventStream): void {
    stream.end();
    if (!this.streams.delete(stream)) return;
    if (stream.token !== undefined && this.byToken.get(stream.token) === stream) this.byToken.delete(stream.token);
    this.owners.release(stream.owner.id);
  }

  /**
   * Ends the streams whose credentials have expired (the client reconnects with fresh ones) and
   * returns the reservations that lapsed, which are no longer found by their token: the caller
   * makes graphql-sse forget them, then releases them.
   */
  sweep(now: number): EventStream[] {
    const lapsed: EventStream[] = [];
    for (const stream of this.streams) {
      if (stream.deadline !== undefined && now >= stream.deadline) {
        stream.deadline = undefined;
        if (stream.token !== undefined) this.byToken.delete(stream.token);
        lapsed.push(stream);
      } else if (stream.owner.expiresAt !== undefined && now >= stream.owner.expiresAt && !stream.closed) stream.end();
    }
    return lapsed;
  }

  /** Ends every stream (on shutdown). */
  close(): void {
    for (const stream of this.streams) stream.end();
  }
}
