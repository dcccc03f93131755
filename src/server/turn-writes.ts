import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/** How long a flush runs before the rest waits for the next turn (`TurnWrites`). */
const FLUSH_SLICE_MS = 4;

/**
 * Coalesces the writes made to a socket in one turn of the event loop. One read of a queue's
 * event stream hands many events to the same sockets, and `ws` writes each message with a
 * `writev` of its own: under fan-out those system calls took about half of the gateway's CPU
 * (bench figure 4). A socket written to is corked until the turn ends (`setImmediate`), then
 * flushed with one `writev` for all of its messages. Order is kept: a corked stream queues every
 * write in order, graphql-ws' own messages included.
 *
 * A flush stops after `sliceMs` and goes on in the next turn: a turn that wrote to thousands of
 * sockets would otherwise hold the event loop for as long as their system calls take, and the
 * Redis replies that arrived meanwhile (the job read a COMPLETED event waits for, the next stream
 * read) would wait for all of them. Sockets are flushed in the order they were first written to.
 */
export class TurnWrites {
  private readonly transports = new WeakMap<WebSocket, Duplex>();
  private readonly corked = new Set<Duplex>();
  private readonly flush = (): void => {
    const until = performance.now() + this.sliceMs;
    for (const transport of this.corked) {
      this.corked.delete(transport);
      transport.uncork();
      if (this.corked.size > 0 && performance.now() >= until) {
        setImmediate(this.flush);
        return;
      }
    }
  };

  /** @param sliceMs how long one turn's flush may run before it yields to the event loop */
  constructor(private readonly sliceMs = FLUSH_SLICE_MS) {}

  /** Records the transport (the upgraded TCP socket) of a WebSocket. */
  attach(socket: WebSocket, transport: Duplex): void {
    this.transports.set(socket, transport);
  }

  /**
   * The socket's transport (its TCP stream), held until the end of this turn, for writing whole
   * WebSocket frames with this turn's other writes. Pushed messages bypass `ws`: no frame header of
   * its own, and parts shared by many sockets are written as they are. Frames written here and by
   * `ws` interleave whole and in call order, since the server compresses nothing
   * (`perMessageDeflate` off): `ws` then writes each of its messages at once.
   */
  held(socket: WebSocket): Duplex {
    const transport = this.transports.get(socket);
    if (!transport) throw new TypeError('A WebSocket without a transport known to TurnWrites');
    this.hold(transport);
    return transport;
  }

  /** Holds the transport's writes until the end of this turn of the event loop. */
  private hold(transport: Duplex): void {
    if (this.corked.has(transport)) return;
    if (this.corked.size === 0) setImmediate(this.flush);
    transport.cork();
    this.corked.add(transport);
  }
}
