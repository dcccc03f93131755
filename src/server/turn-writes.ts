import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

/**
 * Coalesces the writes made to a socket in one turn of the event loop. One read of a queue's
 * event stream hands many events to the same sockets, and `ws` writes each message with a
 * `writev` of its own: under fan-out those system calls took about half of the gateway's CPU
 * (bench figure 4). A socket written to is corked until the turn ends (`setImmediate`), then
 * flushed with one `writev` for all of its messages. Order is kept: a corked stream queues every
 * write in order, graphql-ws' own messages included; nothing waits longer than the current turn.
 */
export class TurnWrites {
  private readonly transports = new WeakMap<WebSocket, Duplex>();
  private readonly corked = new Set<Duplex>();
  private readonly flush = (): void => {
    for (const transport of this.corked) transport.uncork();
    this.corked.clear();
  };

  /** Records the transport (the upgraded TCP socket) of a WebSocket. */
  attach(socket: WebSocket, transport: Duplex): void {
    this.transports.set(socket, transport);
  }

  /** Holds the socket's writes until the end of this turn of the event loop. */
  hold(socket: WebSocket): void {
    const transport = this.transports.get(socket);
    if (!transport || this.corked.has(transport)) return;
    if (this.corked.size === 0) setImmediate(this.flush);
    transport.cork();
    this.corked.add(transport);
  }
}
