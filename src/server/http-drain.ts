import type { Server, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';

/** How often, while draining, connections that have become idle are closed. */
const IDLE_CHECK_MS = 50;

/**
 * Apollo's drain step for the HTTP server: no new connections, keep-alive connections closed
 * once idle (each after its request in flight; a request arriving meanwhile is answered with
 * `Connection: close`), the rest cut after `graceMs`. Node's server tracks its HTTP connections
 * itself, upgraded ones excluded; Apollo's own drain plugin tracks every socket as well, each
 * idle WebSocket included, with a map entry and a `close` listener of its own.
 */
export function drainHttpServer(server: Server, graceMs: number): ApolloServerPlugin {
  let draining = false;
  server.on('request', (_request, response: ServerResponse) => {
    if (draining) response.shouldKeepAlive = false;
  });
  return {
    async serverWillStart() {
      return {
        async drainServer() {
          draining = true;
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          const idle = setInterval(() => server.closeIdleConnections(), IDLE_CHECK_MS);
          const cut = setTimeout(() => server.closeAllConnections(), graceMs);
          await closed;
          clearInterval(idle);
          clearTimeout(cut);
        },
      };
    },
  };
}
