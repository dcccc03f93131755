import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

/** An ERP stand-in: answers each order with the statuses scripted for it, in turn, after the order's delay (ms) if any. */
function erp(
  script: Record<string, number[]>,
  delays: Record<string, number> = {},
): Promise<{ server: Server; url: string; calls: Record<string, number> }> {
  const calls: Record<string, number> = {};
  const server = createServer((request, response) => {
    const order = request.url?.split('/').pop() ?? '';
    calls[order] = (calls[order] ?? 0) + 1;
    const statuses = script[order] ?? [200];
    const status = statuses[Math.min(calls[order], statuses.length) - 1];
    setTimeout(() => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ order }));
    }, delays[order] ?? 0);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls })),
  );
}

/** What a watch selects of each attempt. */
const ATTEMPT_EVENTS = `subscription ($id: ID!) { jobEvents(id: $id) { type cursor job { state attempt attemptsMade failedReason } } }`;

async function watchToEnd(stack: Stack, id: string, query = JOB_EVENTS): Promise<JobEventPayload['jobEvents'][]> {
  const client = wsClient(stack.wsUrl);
  const recording = record<JobEventPayload>(client, query, { id });
  await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
  await gqlOk(stack.url, PROMOTE, { id });
  await within(recording.done, 15_000, `the watch of ${id}`);
  await client.dispose();
  return recording.results.map((result) => result.data!.jobEvents);
}

describe('retries and failures (syncExternal against a local HTTP server)', () => {
  let stack: Stack;
  let server: Awaited<ReturnType<typeof erp>>;
  before(async () => {
    // Orders 4 and 5's attempts take 300 ms each: each event's job is read while the attempt after it runs.
    server = await erp(
      { '1': [500, 503, 200], '2': [500], '3': [404], '4': [500, 502, 200], '5': [500, 503, 200] },
      { '4': 300, '5': 300 },
    );
    stack = await Stack.start({ workers: 1 });
  });
  after(async () => {
    await stack.close();
    server.server.close();
  });

  const enqueue = async (orderId: number, attempts?: number, backoffMs = 50): Promise<EnqueuedJob> =>
    (
      await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
        type: 'syncExternal',
        data: { orderId, url: `${server.url}/orders/${orderId}` },
        options: { ...HELD, backoff: { type: 'FIXED', delayMs: backoffMs }, ...(attempts && { attempts }) },
      })
    ).enqueue;

  it('fails twice, shows RETRYING twice, then COMPLETED', async () => {
    const job = await enqueue(1);
    const events = await watchToEnd(stack, job.id);
    const types = events.map((event) => event.type).filter((type) => type !== 'LOG');
    assert.equal(types.filter((type) => type === 'RETRYING').length, 2, types.join(','));
    assert.equal(types.at(-1), 'COMPLETED');
    assert.equal(events.at(-1)!.job.attemptsMade, 3);
    assert.equal(events.at(-1)!.job.failedReason, null, 'a COMPLETED job shows no reason of an earlier failed attempt');
    assert.equal(server.calls['1'], 3);
  });

  it('shows RETRYING for an immediate retry too (no backoff: BullMQ writes `waiting` after `active`)', async () => {
    const job = await enqueue(5, 3, 0);
    const events = await watchToEnd(stack, job.id, ATTEMPT_EVENTS);
    const types = events.map((event) => event.type).filter((type) => type !== 'LOG');
    assert.deepEqual(types.slice(types.indexOf('ACTIVE')), ['ACTIVE', 'RETRYING', 'ACTIVE', 'RETRYING', 'ACTIVE', 'COMPLETED']);
    const retries = events.filter((event) => event.type === 'RETRYING');
    assert.deepEqual(
      retries.map((event) => ({ state: event.job.state, attemptsMade: event.job.attemptsMade })),
      [
        { state: 'WAITING', attemptsMade: 1 },
        { state: 'WAITING', attemptsMade: 2 },
      ],
    );
    assert.equal(server.calls['5'], 3);
  });

  it('says in each ACTIVE event which attempt runs now, attemptsMade counting those before it', async () => {
    const job = await enqueue(4);
    const events = (await watchToEnd(stack, job.id, ATTEMPT_EVENTS)) as (JobEventPayload['jobEvents'] & { job: { attempt: number } })[];
    const active = events
      .filter((event) => event.type === 'ACTIVE')
      .map((event) => ({ attempt: event.job.attempt, attemptsMade: event.job.attemptsMade }));
    assert.deepEqual(
      active,
      [
        { attempt: 1, attemptsMade: 0 },
        { attempt: 2, attemptsMade: 1 },
        { attempt: 3, attemptsMade: 2 },
      ],
      events.map((event) => event.type).join(','),
    );
    const last = events.at(-1)!;
    assert.equal(last.type, 'COMPLETED');
    assert.deepEqual(
      { attempt: last.job.attempt, attemptsMade: last.job.attemptsMade, failedReason: last.job.failedReason },
      { attempt: 3, attemptsMade: 3, failedReason: null },
    );
    assert.equal(server.calls['4'], 3);
  });

  it('ends FAILED with the reason when every attempt fails', async () => {
    const job = await enqueue(2, 3);
    const events = await watchToEnd(stack, job.id);
    const types = events.map((event) => event.type).filter((type) => type !== 'LOG');
    assert.equal(types.filter((type) => type === 'RETRYING').length, 2, types.join(','));
    assert.equal(types.at(-1), 'FAILED');
    assert.match(events.at(-1)!.job.failedReason ?? '', /HTTP 500/);
    assert.equal(server.calls['2'], 3);
  });

  it('fails at once, without retry, on a 4xx', async () => {
    const job = await enqueue(3);
    const events = await watchToEnd(stack, job.id);
    assert.ok(!events.some((event) => event.type === 'RETRYING'));
    assert.equal(events.at(-1)!.type, 'FAILED');
    assert.match(events.at(-1)!.job.failedReason ?? '', /HTTP 404/);
    assert.equal(server.calls['3'], 1);
  });
});
