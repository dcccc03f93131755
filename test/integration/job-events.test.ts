import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compareStreamIds } from '../../src/events/stream-id';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

/** Types and cursors of a recording, for assertions. */
const eventsOf = (results: { data?: JobEventPayload | null }[]) => results.map((result) => result.data!.jobEvents);

function assertIncreasingCursors(events: { cursor: string }[]): void {
  for (let index = 1; index < events.length; index++) {
    assert.ok(compareStreamIds(events[index - 1].cursor, events[index].cursor) < 0, `cursor ${events[index].cursor} does not follow ${events[index - 1].cursor}`);
  }
}

describe('watching a job over graphql-ws', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  for (const via of ['typed', 'generic'] as const) {
    it(`streams SNAPSHOT, ordered PROGRESS and COMPLETED with the result (${via} mutation)`, async () => {
      const input = { project: 'P1', phase: 'A', stage: '01', items: 20, msPerItem: 15 };
      const job =
        via === 'typed'
          ? (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD })).importParts
          : (await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'importParts', data: input, options: HELD })).enqueue;
      assert.equal(job.state, 'DELAYED');
      assert.deepEqual(job.data, input);
      assert.equal(job.maxAttempts, 3);
      const client = wsClient(stack.wsUrl);
      const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
      await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
      await gqlOk(stack.url, PROMOTE, { id: job.id });
      await within(recording.done, 15_000, 'the subscription');
      await client.dispose();
      const events = eventsOf(recording.results);
      const types = events.map((event) => event.type);
      assert.equal(types[0], 'SNAPSHOT');
      assert.equal(events[0].job.state, 'DELAYED');
      assert.equal(types.at(-1), 'COMPLETED');
      assert.ok(types.includes('ACTIVE'), `ACTIVE missing from ${types.join(',')}`);
      assert.ok(types.indexOf('ACTIVE') < types.indexOf('PROGRESS'));
      const progress = events.filter((event) => event.type === 'PROGRESS').map((event) => event.job.progress!.current);
      assert.deepEqual(progress, Array.from({ length: 20 }, (_, index) => index + 1));
      assert.ok(events.some((event) => event.type === 'LOG' && event.log === 'imported 20/20'));
      assertIncreasingCursors(events);
      assert.deepEqual(events.at(-1)!.job.result, { imported: 20 });
      assert.equal(events.at(-1)!.job.state, 'COMPLETED');
    });
  }

  it('gives a mid-run SNAPSHOT the log as of its cursor: its lines plus the LOG events make the whole log once', async () => {
    const input = { project: 'P3', phase: 'C', stage: '03', items: 60, msPerItem: 15 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
    await eventually(async () => (await gqlOk<{ job: { logs: string[] } }>(stack.url, JOB, { id: job.id })).job.logs.length >= 3, 10_000, 'some log lines');
    const client = wsClient(stack.wsUrl);
    const recording = record<{ jobEvents: { type: string; log: string | null; job: { logs: string[] } } }>(
      client,
      `subscription ($id: ID!) { jobEvents(id: $id) { type log job { logs(last: 1000) } } }`,
      { id: job.id },
    );
    await within(recording.done, 15_000, 'the watch');
    await client.dispose();
    const events = recording.results.map((result) => result.data!.jobEvents);
    assert.equal(events[0].type, 'SNAPSHOT');
    const seen = [...events[0].job.logs, ...events.filter((event) => event.type === 'LOG').map((event) => event.log!)];
    const { job: done } = await gqlOk<{ job: { logs: string[] } }>(stack.url, `query ($id: ID!) { job(id: $id) { logs(last: 1000) } }`, { id: job.id });
    assert.deepEqual(seen, done.logs);
  });

  it('sends one final SNAPSHOT and completes for a job that finished before the watch', async () => {
    const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: { name: 'Ana' } });
    const client = wsClient(stack.wsUrl);
    const first = record<JobEventPayload>(client, JOB_EVENTS, { id: enqueue.id });
    await within(first.done, 10_000, 'the first watch');
    const late = record<JobEventPayload>(client, JOB_EVENTS, { id: enqueue.id });
    await within(late.done, 5_000, 'the late watch');
    await client.dispose();
    const events = eventsOf(late.results);
    assert.equal(events.length, 1);
    assert.equal(events[0].type, 'SNAPSHOT');
    assert.equal(events[0].job.state, 'COMPLETED');
    assert.deepEqual(events[0].job.result, { greeting: 'Hello, Ana!' });
  });

  it('resumes with `since` after a disconnect: the two halves equal an uninterrupted watch, no duplicate', async () => {
    const input = { project: 'P2', phase: 'B', stage: '02', items: 40, msPerItem: 20 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const reference = wsClient(stack.wsUrl);
    const whole = record<JobEventPayload>(reference, JOB_EVENTS, { id: job.id });
    const interrupted = wsClient(stack.wsUrl);
    const firstHalf = record<JobEventPayload>(interrupted, JOB_EVENTS, { id: job.id });
    await eventually(() => whole.results.length > 0 && firstHalf.results.length > 0, 5000, 'both snapshots');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    await eventually(() => firstHalf.results.length >= 5, 5000, 'some progress');
    firstHalf.stop();
    await interrupted.dispose();
    const seen = eventsOf(firstHalf.results);
    assert.ok(seen.length >= 2, 'the first half saw events');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const resumedClient = wsClient(stack.wsUrl);
    const secondHalf = record<JobEventPayload>(resumedClient, JOB_EVENTS, { id: job.id, since: seen.at(-1)!.cursor });
    await within(Promise.all([whole.done, secondHalf.done]), 15_000, 'both watches');
    await Promise.all([reference.dispose(), resumedClient.dispose()]);
    const resumed = eventsOf(secondHalf.results);
    assert.ok(!resumed.some((event) => event.type === 'SNAPSHOT'), 'no SNAPSHOT when resuming');
    const key = (event: { type: string; cursor: string }) => `${event.cursor}/${event.type}`;
    const union = [...seen.slice(1), ...resumed].map(key);
    assert.equal(new Set(union).size, union.length, 'no duplicate');
    const snapshotCursor = seen[0].cursor;
    const uninterrupted = eventsOf(whole.results)
      .slice(1)
      .filter((event) => compareStreamIds(event.cursor, snapshotCursor) > 0)
      .map(key);
    assert.deepEqual(union, uninterrupted);
    assert.equal(resumed.at(-1)!.type, 'COMPLETED');
  });

  it('refuses a malformed since cursor and an unknown job with error codes', async () => {
    const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: {} });
    const client = wsClient(stack.wsUrl);
    const badCursor = record<JobEventPayload>(client, JOB_EVENTS, { id: enqueue.id, since: 'yesterday' });
    const absent = record<JobEventPayload>(client, JOB_EVENTS, { id: 'imports:999999' });
    const malformed = record<JobEventPayload>(client, JOB_EVENTS, { id: 'not an id' });
    await within(Promise.all([badCursor.done, absent.done, malformed.done]), 5_000, 'the refused watches');
    await client.dispose();
    assert.equal(badCursor.results[0].errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.equal(badCursor.results[0].errors?.[0].extensions?.field, 'since');
    assert.equal(absent.results[0].errors?.[0].extensions?.code, 'NOT_FOUND');
    assert.equal(malformed.results[0].errors?.[0].extensions?.code, 'BAD_USER_INPUT');
  });
});
