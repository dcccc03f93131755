import type { Server, ServerResponse } from 'node:http';

/** How often, while draining, connections that have become idle are closed. */
const IDLE_CHECK_MS = 50;

/**
 * The drain step of the HTTP server, for shutdown: no new connections, keep-alive connections
 * closed once idle (each after its request in flight; a request arriving meanwhile is answered
 * with `Connection: close`), the rest cut after `graceMs`. Node's server tracks its HTTP
 * connections itself, upgraded ones excluded: WebSockets are closed by their own transport.
 * Returns the function that drains.
 */
export function drainHttpServer(server: Server, graceMs: number): () => Promise<void> {
  let draining = false;
  server.on('request', (_request, response: ServerResponse) => {
    if (draining) response.shouldKeepAlive = false;
  });
  return async () => {
    draining = true;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const idle = setInterval(() => server.closeIdleConnections(), IDLE_CHECK_MS);
    const cut = setTimeout(() => server.closeAllConnections(), graceMs);
    await closed;
    clearInterval(idle);
    clearTimeout(cut);
  };
}
