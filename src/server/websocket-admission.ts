import type { WebSocket } from 'ws';
import type { Authenticator, Principal } from '../auth/authenticator';
import type { Caller } from '../auth/caller';
import { JobgateError } from '../errors';
import { CloseCode, CloseReason } from './close-codes';
import { subscriptionRefusal, type ConnectionLimits, type OwnerConnections } from './connection-limits';
import { SocketKeeper } from './socket-keeper';
import type { SocketLifecycle } from './websocket-transport';

/** How often every socket is pinged; one that has not answered the previous ping is dropped. */
const KEEP_ALIVE_MS = 12_000;
/** Time a socket has to send an accepted `connection_init`. */
const INIT_TIMEOUT_MS = 3_000;
/** Pings or closes a keep-alive sweep sends per turn of the event loop (a few milliseconds of writes). */
const SWEEP_SOCKETS_PER_TURN = 200;

/** The limits admission enforces (read when used). */
export type AdmissionLimits = ConnectionLimits;

/**
 * Who may use a socket and how much: authentication at `connection_init`, connections per owner
 * (sockets and SSE event streams together), subscriptions per socket, and (through one
 * SocketKeeper) the init deadline, credential expiry and keep-alive of every socket. Knows sockets, not the protocol's messages.
 */
export class Admission implements SocketLifecycle {
  private readonly keeper = new SocketKeeper({
    keepAliveMs: KEEP_ALIVE_MS,
    initTimeoutMs: INIT_TIMEOUT_MS,
    tickMs: 500,
    socketsPerTurn: SWEEP_SOCKETS_PER_TURN,
  });
  private readonly callers = new WeakMap<WebSocket, Caller>();

  /**
   * @param socketsPerOwner the count of connections per owner, shared with the SSE admission (an
   * owner's sockets and event streams come out of one budget)
   */
  constructor(
    private readonly authenticator: Authenticator,
    private readonly limits: AdmissionLimits,
    private readonly socketsPerOwner: OwnerConnections,
  ) {}

  /** A socket opened: its `connection_init` deadline and keep-alive start. */
  opened(socket: WebSocket): void {
    this.keeper.add(socket);
  }

  /** A socket closed: no longer kept, nor counted against its owner. */
  closed(socket: WebSocket): void {
    this.keeper.remove(socket);
    this.release(socket);
  }

  /**
   * Authenticates the socket's `connection_init`. Accepted: counted against its owner, true.
   * Refused: the socket is closed (Unauthorized, TooManySockets, or InternalError when
   * authentication itself failed) and false.
   */
  async connect(socket: WebSocket, authorization: string | undefined): Promise<boolean> {
    try {
      const principal = await this.authenticator.authenticate(authorization);
      if (this.admit(socket, principal)) return true;
      socket.close(CloseCode.TooManySockets, CloseReason.TooManySockets);
      return false;
    } catch (error) {
      if (error instanceof JobgateError) socket.close(CloseCode.Unauthorized, CloseReason.Unauthorized);
      else socket.close(CloseCode.InternalError, CloseReason.InternalError);
      return false;
    }
  }

  /** The caller the socket was admitted for; undefined before `connection_init` is accepted. */
  callerOf(socket: WebSocket): Caller | undefined {
    return this.callers.get(socket);
  }

  /** The refusal of a new subscription when the socket has `open` of them (the new one included), else undefined. */
  subscriptionRefusal(open: number): JobgateError | undefined {
    return subscriptionRefusal(this.limits, open, 'socket');
  }

  /** Stops the keeper's timer (on shutdown). */
  close(): void {
    this.keeper.close();
  }

  /** Counts the socket against its owner until `release`; false when the owner has too many. */
  private admit(socket: WebSocket, principal: Principal): boolean {
    if (!this.socketsPerOwner.take(principal.id)) return false;
    this.callers.set(socket, principal);
    this.keeper.initialised(socket, principal.expiresAt);
    return true;
  }

  private release(socket: WebSocket): void {
    const caller = this.callers.get(socket);
    if (!caller) return;
    this.callers.delete(socket);
    this.socketsPerOwner.release(caller.id);
  }
}
