import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createJobgateClient, type JobEvent } from '@jobgate/client';
import { eventually, gqlOk, record, within, wsClient, type Recording } from '../support/graphql';
import { assertResumedWithoutLoss } from '../support/resume';
import { Stack } from '../support/stack';
import { ENQUEUE, IMPORT_PARTS, JOB_EVENTS, type EnqueuedJob, type JobEventPayload } from './operations';

const JOBS = 500;
/** Sockets per gateway: the gateway allows 100 subscriptions per socket. */
const SOCKETS = 5;
const MOVING = 8;

const pause = (stack: Stack, queue: string) => gqlOk(stack.url, `mutation ($queue: String!) { pauseQueue(queue: $queue) }`, { queue });
const resume = (stack: Stack, queue: string) => gqlOk(stack.url, `mutation ($queue: String!) { resumeQueue(queue: $queue) }`, { queue });
const eventsOf = (recording: Recording<JobEventPayload>) => recording.results.map((result) => result.data!.jobEvents);

describe('two gateways and two workers on one Redis', () => {
  let a: Stack;
  let b: Stack;
  before(async () => {
    a = new Stack();
    b = new Stack({ prefix: a.prefix });
    await Promise.all([a.startGateway(), a.startWorker(), b.startGateway(), b.startWorker()]);
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  it(`streams ${JOBS} jobs enqueued alternately on both gateways to watchers on the other one`, async () => {
    await pause(a, 'default');
    const jobs: { id: string; on: Stack }[] = [];
    for (let from = 0; from < JOBS; from += 25) {
      const batch = Array.from({ length: Math.min(25, JOBS - from) }, async (_, offset) => {
        const index = from + offset;
        const on = index % 2 === 0 ? a : b;
        const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(on.url, ENQUEUE, { type: 'helloWorld', data: { name: `n${index}` } });
        return { id: enqueue.id, on };
      });
      jobs.push(...(await Promise.all(batch)));
    }
    assert.equal(new Set(jobs.map((job) => job.id)).size, JOBS, 'every enqueue made its own job');
    const clients = new Map([a, b].map((stack) => [stack, Array.from({ length: SOCKETS }, () => wsClient(stack.wsUrl))]));
    try {
      const watches = jobs.map((job, index) => {
        const other = job.on === a ? b : a;
        return record<JobEventPayload>(clients.get(other)![index % SOCKETS], JOB_EVENTS, { id: job.id });
      });
      await eventually(() => watches.every((watch) => watch.results.length > 0), 20_000, 'every snapshot');
      await resume(a, 'default');
      await within(Promise.all(watches.map((watch) => watch.done)), 30_000, `${JOBS} watches to end`);
      watches.forEach((watch, index) => {
        const events = eventsOf(watch);
        assert.equal(events[0].type, 'SNAPSHOT', jobs[index].id);
        assert.equal(events[0].job.state, 'WAITING', jobs[index].id);
        assert.equal(events.at(-1)!.type, 'COMPLETED', `${jobs[index].id}: ${events.map((event) => event.type).join(',')}`);
        assert.deepEqual(events.at(-1)!.job.result, { greeting: `Hello, n${index}!` });
      });
    } finally {
      await Promise.all([...clients.values()].flat().map((client) => client.dispose()));
    }
  });

  it('moves watchers of a killed gateway to the other one, resuming with since: no hole, no duplicate', async () => {
    await pause(a, 'imports');
    const input = { project: 'S', phase: 'A', stage: '1', items: 30, msPerItem: 60 };
    const jobs = await Promise.all(
      Array.from(
        { length: MOVING },
        async () => (await gqlOk<{ importParts: EnqueuedJob }>(a.url, IMPORT_PARTS, { input })).importParts.id,
      ),
    );
    const referenceClient = wsClient(a.wsUrl);
    const references = jobs.map((id) => record<JobEventPayload>(referenceClient, JOB_EVENTS, { id }));
    const moving = createJobgateClient({ urls: [`${b.url}/graphql`, `${a.url}/graphql`], webSocketImpl: WebSocket, maxRetryWaitMs: 300 });
    const reconnects: string[] = [];
    moving.onConnectionChange((state) => state === 'reconnecting' && reconnects.push(state));
    const received = jobs.map(() => [] as { event: JobEvent; at: number }[]);
    try {
      const watching = jobs.map(async (id, index) => {
        for await (const event of moving.watch(id)) received[index].push({ event, at: Date.now() });
      });
      await eventually(
        () => references.every((watch) => watch.results.length > 0) && received.every((events) => events.length > 0),
        10_000,
        'every snapshot',
      );
      await resume(a, 'imports');
      await eventually(() => received.every((events) => events.length >= 5), 15_000, 'progress on every moving watcher');
      const killedAt = Date.now();
      await b.signal(b.gateway, 'SIGKILL');
      await within(Promise.all([...watching, ...references.map((watch) => watch.done)]), 30_000, 'every watch to end');
      assert.ok(reconnects.length > 0, 'the client reconnected');
      jobs.forEach((id, index) => {
        const before = received[index].filter((entry) => entry.at < killedAt).map((entry) => entry.event);
        const afterKill = received[index].filter((entry) => entry.at >= killedAt).map((entry) => entry.event);
        assert.ok(afterKill.length > 0, `${id}: events arrived through the other gateway`);
        const reference = eventsOf(references[index]);
        assert.equal(reference.at(-1)!.type, 'COMPLETED', id);
        assertResumedWithoutLoss(reference, before, afterKill, id);
      });
    } finally {
      await Promise.all([moving.dispose(), referenceClient.dispose()]);
    }
  });
});
