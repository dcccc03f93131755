import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import IORedis from 'ioredis';
import WebSocket from 'ws';
import { compareStreamIds } from '../../src/events/stream-id';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { PrivateRedis } from '../support/redis-server';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

/** Types and cursors of a recording, for assertions. */
const eventsOf = (results: { data?: JobEventPayload | null }[]) => results.map((result) => result.data!.jobEvents);

/** Resolves once a gateway event reader of the Redis at `url` is blocked in XREAD (CLIENT LIST: `cmd=xread`, flag `b`). */
async function blockedInXread(url: string): Promise<void> {
  const redis = new IORedis(url);
  try {
    await eventually(
      async () => {
        const clients = ((await redis.client('LIST')) as string).split('\n');
        return clients.some((line) => / name=jobgate:gateway:events /.test(line) && / flags=\w*b/.test(line) && / cmd=xread /.test(line));
      },
      5000,
      'the event reader to block in XREAD',
    );
  } finally {
    redis.disconnect();
  }
}

function assertIncreasingCursors(events: { cursor: string }[]): void {
  for (let index = 1; index < events.length; index++) {
    assert.ok(
      compareStreamIds(events[index - 1].cursor, events[index].cursor) < 0,
      `cursor ${events[index].cursor} does not follow ${events[index - 1].cursor}`,
    );
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
      assert.deepEqual(
        progress,
        Array.from({ length: 20 }, (_, index) => index + 1),
      );
      assert.ok(events.some((event) => event.type === 'LOG' && event.log === 'imported 20/20'));
      assertIncreasingCursors(events);
      assert.deepEqual(events.at(-1)!.job.result, { imported: 20 });
      assert.equal(events.at(-1)!.job.state, 'COMPLETED');
    });
  }

  it('gives a mid-run SNAPSHOT the log as of its cursor: its lines plus the LOG events make the whole log once', async () => {
    const input = { project: 'P3', phase: 'C', stage: '03', items: 60, msPerItem: 15 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
    await eventually(
      async () => (await gqlOk<{ job: { logs: string[] } }>(stack.url, JOB, { id: job.id })).job.logs.length >= 3,
      10_000,
      'some log lines',
    );
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
    const { job: done } = await gqlOk<{ job: { logs: string[] } }>(stack.url, `query ($id: ID!) { job(id: $id) { logs(last: 1000) } }`, {
      id: job.id,
    });
    assert.deepEqual(seen, done.logs);
  });

  it("ends a watched run with the job as stored: a COMPLETED event's job equals what a query reads after", async () => {
    const fields = 'state result attemptsMade attempt progress { current total } startedAt finishedAt worker';
    const input = { project: 'P4', phase: 'D', stage: '04', items: 5, msPerItem: 20 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    const recording = record<{ jobEvents: { type: string; job: Record<string, unknown> } }>(
      client,
      `subscription ($id: ID!) { jobEvents(id: $id) { type job { ${fields} } } }`,
      { id: job.id },
    );
    await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    await within(recording.done, 15_000, 'the watch');
    await client.dispose();
    const events = recording.results.map((result) => result.data!.jobEvents);
    assert.ok(
      events.some((event) => event.type === 'ACTIVE'),
      'the watch followed the run',
    );
    const completed = events.at(-1)!;
    assert.equal(completed.type, 'COMPLETED');
    const { job: stored } = await gqlOk<{ job: Record<string, unknown> }>(stack.url, `query ($id: ID!) { job(id: $id) { ${fields} } }`, {
      id: job.id,
    });
    assert.deepEqual(completed.job, stored);
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
    // Resumed once the job has written events the first half missed, so `since` has them to replay.
    const missed = () => eventsOf(whole.results).filter((event) => compareStreamIds(event.cursor, seen.at(-1)!.cursor) > 0);
    await eventually(() => missed().length >= 2, 5000, 'events while disconnected');
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

  it("answers a subscription that does not parse or validate with an error message, and the socket's other watch goes on", async () => {
    const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: {}, options: HELD });
    const client = wsClient(stack.wsUrl);
    const watch = record<JobEventPayload>(client, JOB_EVENTS, { id: enqueue.id });
    await eventually(() => watch.results.length > 0, 5000, 'the snapshot');
    const refusals = await Promise.all(
      ['subscription { jobEvents(id: ', 'subscription { jobEventz(id: "x") { type } }'].map((query) =>
        record(client, query).done.then(
          () => 'completed',
          (error: Error) => error.message,
        ),
      ),
    );
    assert.match(refusals[0], /Syntax Error.*"code":"GRAPHQL_PARSE_FAILED"/);
    assert.match(refusals[1], /Cannot query field.*"code":"GRAPHQL_VALIDATION_FAILED"/);
    await gqlOk(stack.url, PROMOTE, { id: enqueue.id });
    await within(watch.done, 15_000, 'the first watch, on the same socket');
    await client.dispose();
    assert.equal(eventsOf(watch.results).at(-1)?.type, 'COMPLETED');
  });
});

describe('watching jobs of several queues and with several selections', () => {
  // A Redis of its own: the first case waits on the gateway's reader being blocked in XREAD, seen
  // in CLIENT LIST, where no other test's gateway may show up.
  let redis: PrivateRedis;
  let stack: Stack;
  before(async () => {
    redis = await PrivateRedis.start();
    stack = await Stack.start({ workers: 1, redisUrl: redis.url });
  });
  after(async () => {
    await stack.close();
    await redis.destroy();
  });

  it('delivers events of a second watched queue at once while the first queue is idle (its reader blocks only its own connection)', async () => {
    const idle = (await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: {}, options: HELD })).enqueue;
    const busy = (
      await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
        type: 'importParts',
        data: { project: 'P', phase: 'A', stage: '1', items: 2, msPerItem: 10 },
        options: HELD,
      })
    ).enqueue;
    assert.notEqual(idle.id.split(':')[0], busy.id.split(':')[0]);
    const client = wsClient(stack.wsUrl);
    const idleWatch = record<JobEventPayload>(client, JOB_EVENTS, { id: idle.id });
    await eventually(() => idleWatch.results.length > 0, 5000, 'the idle job snapshot');
    // Once the idle queue's reader is blocked in XREAD (up to 5 s), a reader sharing its connection would wait behind it.
    await blockedInXread(redis.url);
    const busyWatch = record<JobEventPayload>(client, JOB_EVENTS, { id: busy.id });
    await eventually(() => busyWatch.results.length > 0, 5000, 'the busy job snapshot');
    const promoted = Date.now();
    await gqlOk(stack.url, PROMOTE, { id: busy.id });
    await eventually(() => busyWatch.results.length > 1, 10_000, 'the first live event');
    const waited = Date.now() - promoted;
    assert.ok(waited < 2500, `the first live event took ${waited} ms`);
    await within(busyWatch.done, 15_000, 'the busy job');
    idleWatch.stop();
    await client.dispose();
  });

  it('gives each selection its own payload when watchers of one job select differently, and the same bytes to the same selection', async () => {
    const job = (
      await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
        type: 'importParts',
        data: { project: 'P', phase: 'A', stage: '2', items: 5, msPerItem: 20 },
        options: HELD,
      })
    ).enqueue;
    const narrow = 'subscription ($id: ID!) { jobEvents(id: $id) { type cursor job { state } } }';
    const wide =
      'subscription ($id: ID!, $since: String) { jobEvents(id: $id, since: $since) { type cursor log job { id state progress { percent current total } } } }';
    const client = wsClient(stack.wsUrl);
    const watches = [
      record(client, narrow, { id: job.id }),
      record(client, narrow, { id: job.id }),
      record(client, wide, { id: job.id }),
      record(client, wide, { id: job.id, since: null }),
    ];
    await eventually(() => watches.every((watch) => watch.results.length > 0), 5000, 'the snapshots');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    await within(Promise.all(watches.map((watch) => watch.done)), 15_000, 'the watches');
    await client.dispose();
    const live = (watch: (typeof watches)[number]) => watch.results.slice(1).map((result) => JSON.stringify(result));
    assert.ok(live(watches[0]).length >= 7, `expected ACTIVE, 5 PROGRESS and COMPLETED, got ${live(watches[0]).length} events`);
    assert.deepEqual(live(watches[1]), live(watches[0]));
    assert.deepEqual(live(watches[3]), live(watches[2]));
    for (const result of watches[0].results)
      assert.deepEqual(Object.keys((result.data as { jobEvents: { job: object } }).jobEvents.job), ['state']);
    const progress = watches[2].results
      .map((result) => (result.data as { jobEvents: { type: string; job: { progress: { current: number } | null } } }).jobEvents)
      .filter((event) => event.type === 'PROGRESS');
    assert.deepEqual(
      progress.map((event) => event.job.progress?.current),
      [1, 2, 3, 4, 5],
    );
  });

  it('delivers a burst read in one go whole and in order to every socket, then completes each watch', async () => {
    const items = 400;
    const job = (
      await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
        type: 'importParts',
        data: { project: 'P', phase: 'A', stage: '3', items, msPerItem: 0 },
        options: HELD,
      })
    ).enqueue;
    const clients = [wsClient(stack.wsUrl), wsClient(stack.wsUrl), wsClient(stack.wsUrl)];
    const watches = clients.map((client) => record<JobEventPayload>(client, JOB_EVENTS, { id: job.id }));
    await eventually(() => watches.every((watch) => watch.results.length > 0), 5000, 'the snapshots');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    await within(Promise.all(watches.map((watch) => watch.done)), 15_000, 'the watches');
    await Promise.all(clients.map((client) => client.dispose()));
    const sequences = watches.map((watch) => eventsOf(watch.results));
    const progress = sequences[0].filter((event) => event.type === 'PROGRESS').map((event) => event.job.progress!.current);
    assert.deepEqual(
      progress,
      Array.from({ length: items }, (_, index) => index + 1),
    );
    assert.equal(sequences[0].at(-1)!.type, 'COMPLETED');
    assertIncreasingCursors(sequences[0].slice(1));
    for (const sequence of sequences.slice(1)) assert.deepEqual(sequence.slice(1), sequences[0].slice(1));
  });

  it('refuses a WebSocket upgrade on another path with HTTP 400', async () => {
    const url = new URL(stack.wsUrl);
    url.pathname = '/not-graphql';
    const socket = new WebSocket(url, 'graphql-transport-ws');
    const status = await new Promise<number>((resolve, reject) => {
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.once('open', () => reject(new Error('the upgrade was accepted')));
      socket.once('error', () => undefined);
    });
    assert.equal(status, 400);
  });
});
