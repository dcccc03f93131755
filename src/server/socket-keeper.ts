import { CloseCode, CloseReason } from './close-codes';
import type { WebSocket } from 'ws';

/** What the keeper knows of one socket. */
interface Kept {
  pingedAt: number;
  /** Whether a pong came since the last ping. */
  answered: boolean;
  /** Until `connection_init` is accepted: when the socket is closed for not sending one. */
  initDeadline: number | undefined;
  /** When the caller's credentials expire. */
  expiresAt: number | undefined;
}

/** Timings of the keeper. */
export interface SocketKeeperOptions {
  /** A socket is pinged this often; one that has not answered the previous ping by then is dropped. */
  keepAliveMs: number;
  /** Time a socket has to send an accepted `connection_init` (then `CloseCode.ConnectionInitialisationTimeout`). */
  initTimeoutMs: number;
  /** How often deadlines are checked. */
  tickMs: number;
}

/**
 * The timers of every open socket in one: keep-alive pings, the `connection_init` deadline
 * (`CloseCode.ConnectionInitialisationTimeout`) and credential expiry (`CloseCode.Unauthorized`).
 * One interval for all sockets instead of two or three timers and their closures per socket:
 * an idle subscription costs a small record here.
 * Deadlines are kept to within `tickMs`.
 */
export class SocketKeeper {
  private readonly sockets = new Map<WebSocket, Kept>();
  private readonly timer: NodeJS.Timeout;
  /** The one `pong` listener of every socket (`this` is the socket), rather than a closure per socket. */
  private readonly onPong: (this: WebSocket) => void;

  constructor(private readonly options: SocketKeeperOptions) {
    this.timer = setInterval(() => this.sweep(), options.tickMs);
    this.timer.unref();
    const sockets = this.sockets;
    this.onPong = function (this: WebSocket) {
      const kept = sockets.get(this);
      if (kept) kept.answered = true;
    };
  }

  /** Starts keeping a new socket, until `remove`. */
  add(socket: WebSocket): void {
    const now = Date.now();
    const kept: Kept = { pingedAt: now, answered: true, initDeadline: now + this.options.initTimeoutMs, expiresAt: undefined };
    this.sockets.set(socket, kept);
    socket.on('pong', this.onPong);
  }

  /** Stops keeping a closed socket. */
  remove(socket: WebSocket): void {
    this.sockets.delete(socket);
  }

  /** The socket's `connection_init` was accepted, for credentials valid until `expiresAt`. */
  initialised(socket: WebSocket, expiresAt: number | undefined): void {
    const kept = this.sockets.get(socket);
    if (!kept) return;
    kept.initDeadline = undefined;
    kept.expiresAt = expiresAt;
  }

  close(): void {
    clearInterval(this.timer);
    this.sockets.clear();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [socket, kept] of this.sockets) {
      if (kept.initDeadline !== undefined && now >= kept.initDeadline) {
        kept.initDeadline = undefined;
        socket.close(CloseCode.ConnectionInitialisationTimeout, CloseReason.ConnectionInitialisationTimeout);
      } else if (kept.expiresAt !== undefined && now >= kept.expiresAt) {
        kept.expiresAt = undefined;
        socket.close(CloseCode.Unauthorized, CloseReason.TokenExpired);
      } else if (now - kept.pingedAt >= this.options.keepAliveMs) {
        if (!kept.answered) {
          socket.terminate();
          continue;
        }
        kept.answered = false;
        kept.pingedAt = now;
        socket.ping();
      }
    }
  }
}
