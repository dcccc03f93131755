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
  /**
   * Sockets a sweep pings or closes per turn of the event loop, the rest in the turns after: each costs
   * a write, and sockets that connected together (every client reconnecting after a deploy) fall due
   * together, every keep-alive interval, for as long as they stay.
   */
  socketsPerTurn: number;
}

/**
 * The timers of every open socket in one: keep-alive pings, the `connection_init` deadline
 * (`CloseCode.ConnectionInitialisationTimeout`) and credential expiry (`CloseCode.Unauthorized`).
 * One interval for all sockets instead of two or three timers and their closures per socket:
 * an idle subscription costs a small record here.
 * Deadlines are kept to within `tickMs` and the turns a sweep takes.
 */
export class SocketKeeper {
  private readonly sockets = new Map<WebSocket, Kept>();
  private readonly timer: NodeJS.Timeout;
  /** The sweep in progress, when its due sockets took more than one turn. */
  private pass: MapIterator<[WebSocket, Kept]> | undefined;
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
    this.pass = undefined;
  }

  private sweep(): void {
    // A pass still going out (a loop too busy to finish it within a tick) goes on as it is.
    if (this.pass) return;
    const pass = (this.pass = this.sockets.entries());
    this.continuePass(pass);
  }

  /** Acts on the pass's next due sockets, up to `socketsPerTurn`, then yields the turn if more are left. */
  private continuePass(pass: MapIterator<[WebSocket, Kept]>): void {
    const now = Date.now();
    let acted = 0;
    for (let next = pass.next(); !next.done; next = pass.next()) {
      const [socket, kept] = next.value;
      if (this.actOn(socket, kept, now) && ++acted === this.options.socketsPerTurn) {
        setImmediate(() => this.pass === pass && this.continuePass(pass));
        return;
      }
    }
    this.pass = undefined;
  }

  /** Closes, drops or pings `socket` when one of its deadlines passed; whether it did. */
  private actOn(socket: WebSocket, kept: Kept, now: number): boolean {
    if (kept.initDeadline !== undefined && now >= kept.initDeadline) {
      kept.initDeadline = undefined;
      socket.close(CloseCode.ConnectionInitialisationTimeout, CloseReason.ConnectionInitialisationTimeout);
    } else if (kept.expiresAt !== undefined && now >= kept.expiresAt) {
      kept.expiresAt = undefined;
      socket.close(CloseCode.Unauthorized, CloseReason.TokenExpired);
    } else if (now - kept.pingedAt >= this.options.keepAliveMs) {
      if (kept.answered) {
        kept.answered = false;
        kept.pingedAt = now;
        socket.ping();
      } else socket.terminate();
    } else return false;
    return true;
  }
}
