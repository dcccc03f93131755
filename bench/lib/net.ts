/** Small network helpers for the runner and its load processes: free ports, waiting for a listener, HTTP agents. */
import http from 'node:http';
import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sleeps for `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `probe` every 100 ms until it returns true, at most `timeoutMs`.
 * Returns whether it succeeded.
 */
export async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return true;
    await sleep(100);
  }
  return false;
}

/**
 * A keep-alive agent of `maxSockets` that closes an idle socket a second before the server would.
 * Node's agent follows the server's `Keep-Alive: timeout=` hint only below a timeout of its own:
 * without one it keeps idle sockets until the server closes them, and a request sent as it does
 * is reset (ECONNRESET).
 */
export function keepAliveAgent(maxSockets: number): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets, timeout: 10 * 60_000 });
}
