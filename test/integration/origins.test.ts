import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { Stack } from '../support/stack';

/** How a WebSocket upgrade ends: `open`, or the HTTP status that refused it. */
function upgrade(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('error', (error) => reject(error));
  });
}

/** A POST of an enqueue with raw headers (fetch cannot set Host); resolves with the status. */
function post(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({ query: 'mutation { enqueue(type: "helloWorld", data: { name: "origin" }) { id } }' });
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${url}/graphql`,
      { method: 'POST', headers: { 'content-type': 'application/json', ...headers } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function helloCount(url: string): Promise<number> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ jobs(queue: "default") { totalCount } }' }),
  });
  return ((await response.json()) as { data: { jobs: { totalCount: number } } }).data.jobs.totalCount;
}

describe('dev mode answers pages on loopback only', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 0 });
  });
  after(async () => {
    await stack?.close();
  });

  it('refuses a WebSocket from another site with 403, and opens one from a loopback page or a client sending no Origin', async () => {
    assert.equal(await upgrade(stack.wsUrl, { origin: 'http://evil.example' }), 403);
    assert.equal(await upgrade(stack.wsUrl, { origin: 'null' }), 403);
    assert.equal(await upgrade(stack.wsUrl, { origin: 'http://localhost:5173' }), 'open');
    assert.equal(await upgrade(stack.wsUrl, { origin: 'http://127.0.0.1:4000' }), 'open');
    assert.equal(await upgrade(stack.wsUrl, {}), 'open');
  });

  it('refuses a rebound name (Host not loopback) on WebSocket and HTTP, and runs nothing', async () => {
    const rebound = { host: `evil.example:${new URL(stack.url).port}` };
    assert.equal(await upgrade(stack.wsUrl, rebound), 403);
    const before = await helloCount(stack.url);
    const answer = await post(stack.url, { ...rebound, origin: `http://${rebound.host}` });
    assert.equal(answer.status, 403);
    assert.equal((JSON.parse(answer.body) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code, 'FORBIDDEN');
    assert.equal((await post(stack.url, { origin: 'http://evil.example' })).status, 403);
    assert.equal(await helloCount(stack.url), before, 'no refused request enqueued a job');
    assert.equal((await post(stack.url, { origin: 'http://localhost:3000' })).status, 200);
  });
});

describe('with authentication, ALLOWED_ORIGINS decides', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: 'x'.repeat(40), ALLOWED_ORIGINS: 'https://app.example.com' } });
  });
  after(async () => {
    await stack?.close();
  });

  it('opens a WebSocket for a listed origin, the gateway’s own pages and clients without Origin; refuses others with 403', async () => {
    assert.equal(await upgrade(stack.wsUrl, { origin: 'https://app.example.com' }), 'open');
    assert.equal(await upgrade(stack.wsUrl, { origin: stack.url }), 'open');
    assert.equal(await upgrade(stack.wsUrl, {}), 'open');
    assert.equal(await upgrade(stack.wsUrl, { origin: 'https://other.example.com' }), 403);
    assert.equal(await upgrade(stack.wsUrl, { origin: 'http://app.example.com' }), 403, 'another scheme is another origin');
  });
});
