import { createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * An HTTP/1.1 proxy in front of a gateway that passes every request, event streams included,
 * and refuses every WebSocket upgrade, as a corporate proxy that blocks them does.
 */
export interface NoUpgradeProxy {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** WebSocket upgrades refused so far. */
  readonly refusedUpgrades: number;
  /** Cuts every open connection, as a network failure would; returns how many. */
  dropConnections(): number;
  close(): Promise<void>;
}

export async function startNoUpgradeProxy(target: string): Promise<NoUpgradeProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  let refused = 0;
  const server: Server = createServer((incoming, outgoing) => {
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: { ...incoming.headers, host: upstream.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    outgoing.on('close', () => forwarded.destroy());
    incoming.pipe(forwarded);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (_request, socket: Socket) => {
    refused++;
    socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get refusedUpgrades() {
      return refused;
    },
    dropConnections() {
      const count = sockets.size;
      sockets.forEach((socket) => socket.destroy());
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}
