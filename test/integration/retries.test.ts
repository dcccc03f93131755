import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

/** An ERP stand-in: answers each order with the statuses scripted for it, in turn. */
function erp(script: Record<string, number[]>): Promise<{ server: Server; url: string; calls: Record<string, number> }> {
  const calls: Record<string, number> = {};
  const server = createServer((request, response) => {
    const order = request.url?.split('/').pop() ?? '';
    calls[order] = (calls[order] ?? 0) + 1;
    const statuses = script[order] ?? [200];
    response.writeHead(statuses[Math.min(calls[order], statuses.length) - 1], { 'content-type': 'application/json' });
    response.end(JSON.stringify({ order }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls })));
}

async function watchToEnd(stack: Stack, id: string): Promise<JobEventPayload['jobEvents'][]> {
  const client = wsClient(stack.wsUrl);
  const recording = record<JobEventPayload>(client, JOB_EVENTS, { id });
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
    server = await erp({ '1': [500, 503, 200], '2': [500], '3': [404] });
    stack = await Stack.start({ workers: 1 });
  });
  after(async () => {
    await stack.close();
    server.server.close();
  });

  const enqueue = async (orderId: number, attempts?: number): Promise<EnqueuedJob> =>
    (
      await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
        type: 'syncExternal',
        data: { orderId, url: `${server.url}/orders/${orderId}` },
        options: { ...HELD, backoff: { type: 'FIXED', delayMs: 50 }, ...(attempts && { attempts }) },
      })
    ).enqueue;

  it('fails twice, shows RETRYING twice, then COMPLETED', async () => {
    const job = await enqueue(1);
    const events = await watchToEnd(stack, job.id);
    const types = events.map((event) => event.type).filter((type) => type !== 'LOG');
    assert.equal(types.filter((type) => type === 'RETRYING').length, 2, types.join(','));
    assert.equal(types.at(-1), 'COMPLETED');
    assert.equal(events.at(-1)!.job.attemptsMade, 3);
    assert.equal(server.calls['1'], 3);
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
