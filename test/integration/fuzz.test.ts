import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { gqlOk, within } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

/** A small seeded PRNG (mulberry32): the same seed sends the same requests. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const next = random(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
const junk = (length: number): string => Array.from({ length }, () => String.fromCharCode(Math.floor(next() * 0xffff))).join('');

/** Bodies for POST /graphql: each malformed in one way. */
const httpBodies: (() => string)[] = [
  () => '{"query": "{ jobTypes { name } }"'.slice(0, Math.floor(next() * 30)),
  () => junk(Math.floor(next() * 200)),
  () => JSON.stringify({ query: 42 }),
  () => JSON.stringify({ query: '{ job(id: ' + JSON.stringify(junk(20)) + ') { id } }' }),
  () => JSON.stringify({ query: '{ ' + 'job(id: "imports:1") { '.repeat(1 + Math.floor(next() * 60)) + 'id' + ' }'.repeat(60) + ' }' }),
  () => JSON.stringify({ query: '{ __schema { types { ' + 'ofType { '.repeat(40) + 'name' + ' }'.repeat(40) + ' } } }' }),
  () => JSON.stringify({ query: '{ ' + Array.from({ length: 200 }, (_, i) => `a${i}: jobTypes { name }`).join(' ') + ' }' }),
  () =>
    JSON.stringify({
      query: ENQUEUE,
      variables: {
        type: pick(['importParts', 'exportReport', '', 'x'.repeat(1000)]),
        data: pick([null, 1, 'x', [], { items: -1 }, { project: junk(500) }]),
      },
    }),
  () => JSON.stringify({ query: ENQUEUE, variables: { type: 'helloWorld', data: { name: 'x'.repeat(300_000) } } }),
  () =>
    JSON.stringify({
      query: ENQUEUE,
      variables: {
        type: 'helloWorld',
        data: {},
        options: { attempts: pick([-1, 0, 1e9, 'x']), priority: pick([-5, 2 ** 31]), delayMs: pick([-1, 1.5]) },
      },
    }),
  () =>
    JSON.stringify({
      query: `{ jobs(queue: ${JSON.stringify(pick(['imports', 'nope', junk(10)]))}, first: ${pick([-1, 1e6, 0])}, after: ${JSON.stringify(junk(12))}) { totalCount } }`,
    }),
  () => JSON.stringify({ query: '{ jobTypes { name unknownField } }' }),
  () => JSON.stringify({ query: 'mutation { cancelJob(id: "imports:999999999") { id } }' }),
  () => JSON.stringify({ query: '{ job(id: "imports:1") { logs(last: ' + pick(['-1', '100000', '"x"']) + ') } }' }),
  () => JSON.stringify([{ query: '{ jobTypes { name } }' }, { query: '{ jobTypes { name } }' }]),
  () => JSON.stringify({ query: 'subscription { jobEvents(id: "imports:1") { type } }' }),
  () => JSON.stringify({ query: '{ jobTypes { name } }', variables: junk(10) }),
];

/** Messages on a graphql-transport-ws socket: wrong order, wrong shape, binary. */
const wsScripts: ((socket: WebSocket) => void)[] = [
  (socket) => socket.send(Buffer.from(junk(50))),
  (socket) => socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: '{ jobTypes { name } }' } })),
  (socket) => socket.send(junk(100)),
  (socket) => {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.send(JSON.stringify({ type: 'connection_init' }));
  },
  (socket) => {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: 'subscription { jobEvents(id: "x") { type } }' } }));
    socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: 'subscription { jobEvents(id: "x") { type } }' } }));
  },
  (socket) => {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.send(JSON.stringify({ type: 'subscribe', id: junk(3), payload: { query: 42 } }));
  },
  (socket) => {
    socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.send(
      JSON.stringify({
        type: 'subscribe',
        id: '2',
        payload: { query: 'subscription { jobEvents(id: "imports:1", since: "not-a-cursor") { type } }' },
      }),
    );
  },
  (socket) => socket.send(JSON.stringify({ type: pick(['next', 'complete', 'pong', 'ping', 'bogus']), id: '1' })),
  (socket) => socket.send(JSON.stringify({ type: 'connection_init', payload: junk(20) })),
];

function rssOf(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
}

describe(`fuzzing a running gateway (FUZZ_SEED=${SEED})`, () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  it('answers 1,000 malformed HTTP requests with errors, never a crash or a hang', async () => {
    const pid = stack.gateway.child.pid!;
    const rssBefore = rssOf(pid);
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const body = pick(httpBodies)();
          const response = await within(
            fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
            5000,
            'a response',
          );
          const text = await response.text();
          assert.ok(response.status < 500, `status ${response.status} for ${body.slice(0, 120)}: ${text.slice(0, 200)}`);
          assert.doesNotMatch(text, /\bat [\w.<>]+ \(|node_modules|ECONNREFUSED/, 'no stack traces or internals');
          const parsed = JSON.parse(text) as { errors?: unknown[]; data?: unknown };
          assert.ok(parsed.errors || parsed.data, text.slice(0, 200));
        }),
      );
    }
    assert.equal(stack.gateway.child.exitCode, null, 'the gateway is still up');
    assert.ok(rssOf(pid) - rssBefore < 150 * 1024 * 1024, `RSS grew by ${Math.round((rssOf(pid) - rssBefore) / 1048576)} MB`);
  });

  it('answers 300 malformed WebSocket conversations with an error or a close code', async () => {
    for (let batch = 0; batch < 6; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, () =>
          within(
            new Promise<void>((resolve) => {
              const socket = new WebSocket(stack.wsUrl, 'graphql-transport-ws');
              let answered = false;
              socket.on('open', () => pick(wsScripts)(socket));
              socket.on('message', (data) => {
                const message = JSON.parse(data.toString()) as { type: string };
                if (message.type === 'error' || message.type === 'next' || message.type === 'complete') answered = true;
                if (answered || message.type === 'connection_ack') setTimeout(() => socket.close(), 50);
              });
              socket.on('close', () => resolve());
              socket.on('error', () => resolve());
            }),
            6000,
            'an answer or a close',
          ),
        ),
      );
    }
    assert.equal(stack.gateway.child.exitCode, null, 'the gateway is still up');
  });

  it('still runs a normal job afterwards', async () => {
    const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
      type: 'helloWorld',
      data: { name: 'after the storm' },
    });
    for (let attempt = 0; attempt < 100; attempt++) {
      const { job } = await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: enqueue.id });
      if (job.state === 'COMPLETED') return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail('the job did not complete');
  });
});
