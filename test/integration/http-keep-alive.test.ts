import assert from 'node:assert/strict';
import http from 'node:http';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Stack } from '../support/stack';

interface KeptConnection {
  keepAlive: string | undefined;
  /** How long the gateway kept the connection open once the answer had arrived, ms. */
  closedAfter: Promise<number>;
}

/** POSTs `{ __typename }` on a keep-alive connection the client never closes itself (an agent without a timeout ignores the hint). */
function ask(url: string): Promise<KeptConnection> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (response) => {
        const socket: Socket = response.socket;
        response.resume();
        response.on('end', () => {
          const answered = performance.now();
          const closedAfter = new Promise<number>((closed) => socket.once('close', () => closed(performance.now() - answered)));
          resolve({ keepAlive: response.headers['keep-alive']?.toString(), closedAfter });
        });
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ query: '{ __typename }' }));
  });
}

describe('idle keep-alive HTTP connections', () => {
  let defaults: Stack;
  let short: Stack;
  before(async () => {
    [defaults, short] = await Promise.all([Stack.start({ workers: 0 }), Stack.start({ workers: 0, env: { HTTP_KEEP_ALIVE_MS: '2500' } })]);
  });
  after(async () => {
    await Promise.all([defaults?.close(), short?.close()]);
  });

  it('are kept 65 s by default, longer than a balancer keeps its own, and clients are told so', async () => {
    const connection = await ask(defaults.url);
    assert.equal(connection.keepAlive, 'timeout=65');
  });

  it('are kept HTTP_KEEP_ALIVE_MS, then closed by the gateway', async () => {
    const connection = await ask(short.url);
    assert.equal(connection.keepAlive, 'timeout=2');
    const closedAfter = await connection.closedAfter;
    assert.ok(closedAfter >= 2000 && closedAfter < 10_000, `closed ${closedAfter.toFixed(0)} ms after the answer`);
  });
});
