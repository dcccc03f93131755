import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createJobgateClient, type JobEvent } from '@jobgate/client';
import { compareStreamIds } from '../../src/events/stream-id';
import { entryIdsAfter, resumingWatch, retryingClient, streamEntries, type WatchedEvent } from '../support/event-stream';
import { eventually, gql, gqlOk, record, within, wsClient } from '../support/graphql';
import { PrivateRedis } from '../support/redis-server';
import { Stack, type ProcessHandle } from '../support/stack';
import { HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

/** How long Redis stays stopped: an outage the gateway must ride out, not a wait for anything. */
const REDIS_OUTAGE_MS = 2000;

const bullId = (id: string): string => id.slice(id.indexOf(':') + 1);

function assertIncreasingCursors(events: { cursor: string }[], who: string): void {
  for (let index = 1; index < events.length; index++) {
    assert.ok(
      compareStreamIds(events[index - 1].cursor, events[index].cursor) < 0,
      `${who}: cursor ${events[index].cursor} does not follow ${events[index - 1].cursor}`,
    );
  }
}

async function enqueueHeld(stack: Stack, items: number, msPerItem: number): Promise<EnqueuedJob> {
  const input = { project: 'faults', phase: 'A', stage: '1', items, msPerItem };
  return (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD })).importParts;
}

const isRunning = (handle: ProcessHandle): boolean => handle.child.exitCode === null && handle.child.signalCode === null;

/** The worker process whose log says it started `jobId`. */
function holderOf(stack: Stack, jobId: string): ProcessHandle | undefined {
  return stack.workers.find(
    (worker) => isRunning(worker) && worker.output.some((line) => line.includes('"job started"') && line.includes(`"jobId":"${jobId}"`)),
  );
}

describe('a worker killed in the middle of a job', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 2, env: { WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' } });
  });
  after(() => stack.close());

  it('is detected as stalled and finished by the other worker: STALLED, then ACTIVE, then COMPLETED', async () => {
    const job = await enqueueHeld(stack, 40, 100);
    const client = wsClient(stack.wsUrl);
    const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    try {
      await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
      await gqlOk(stack.url, PROMOTE, { id: job.id });
      await eventually(
        () => recording.results.some((result) => (result.data?.jobEvents.job.progress?.current ?? 0) >= 5),
        10_000,
        'some progress',
      );
      const holder = await eventually(() => holderOf(stack, job.id), 5000, 'the worker holding the job');
      await stack.signal(holder, 'SIGKILL');
      await within(recording.done, 30_000, 'the watch after the kill');
    } finally {
      await client.dispose();
    }
    const events = recording.results.map((result) => result.data!.jobEvents);
    const types = events.map((event) => event.type);
    const stalled = types.indexOf('STALLED');
    assert.ok(stalled > 0, `STALLED missing from ${types.join(',')}`);
    assert.ok(types.indexOf('ACTIVE', stalled) > stalled, `no ACTIVE after STALLED in ${types.join(',')}`);
    assert.equal(types.at(-1), 'COMPLETED');
    assert.deepEqual(events.at(-1)!.job.result, { imported: 40 });
    assertIncreasingCursors(events, 'watcher');
    const survivor = stack.workers.find(isRunning);
    // Its log line travels through a pipe and may land after the COMPLETED event did.
    await eventually(
      () => survivor?.output.some((line) => line.includes('"job completed"') && line.includes(`"jobId":"${job.id}"`)),
      5000,
      'the other worker to log that it completed the job',
    );
  });
});

describe('the gateway killed and restarted while clients watch', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  it('lets graphql-ws and typed clients resume with `since`: every event exactly once', async () => {
    const jobs = await Promise.all([0, 1, 2].map(() => enqueueHeld(stack, 100, 80)));
    const generic = retryingClient(stack.wsUrl);
    const typed = createJobgateClient({ url: `${stack.url}/graphql`, webSocketImpl: WebSocket, retryAttempts: 100, maxRetryWaitMs: 300 });
    const genericWatches = jobs.map((job) => resumingWatch(generic, job.id));
    const typedEvents: JobEvent[][] = jobs.map(() => []);
    const typedDone = jobs.map(async (job, index) => {
      for await (const event of typed.watch(job.id)) typedEvents[index].push(event);
    });
    // Handled now, awaited later: a failure must not surface as an unhandled rejection first.
    typedDone.forEach((done) => done.catch(() => undefined));
    try {
      await eventually(
        () => genericWatches.every((watch) => watch.events.length > 0) && typedEvents.every((events) => events.length > 0),
        10_000,
        'every snapshot',
      );
      await Promise.all(jobs.map((job) => gqlOk(stack.url, PROMOTE, { id: job.id })));
      await eventually(
        () => genericWatches.every((watch) => (watch.events.at(-1)?.job.progress?.current ?? 0) >= 10),
        15_000,
        'some progress on every job',
      );
      await stack.signal(stack.gateway, 'SIGKILL');
      // Restarted once every job has written events no client got, so resuming must replay them.
      const lastSeen = genericWatches.map((watch) => watch.events.at(-1)!.cursor);
      await eventually(
        async () => {
          const entries = await streamEntries(stack.redisUrl, stack.prefix, 'imports');
          return jobs.every((job, index) => entryIdsAfter(entries, bullId(job.id), lastSeen[index]).length >= 3);
        },
        10_000,
        'events written while the gateway is down',
      );
      await stack.startGateway();
      await within(Promise.all([...genericWatches.map((watch) => watch.done), ...typedDone]), 45_000, 'every watch after the restart');
    } finally {
      await Promise.all([generic.dispose(), typed.dispose()]);
    }
    const entries = await streamEntries(stack.redisUrl, stack.prefix, 'imports');
    jobs.forEach((job, index) => {
      const watchers: [string, { type: string; cursor: string }[]][] = [
        ['graphql-ws', genericWatches[index].events],
        ['typed', typedEvents[index]],
      ];
      for (const [who, events] of watchers) {
        assert.equal(events[0].type, 'SNAPSHOT', `${who} starts with a SNAPSHOT`);
        assert.equal(events.filter((event) => event.type === 'SNAPSHOT').length, 1, `${who}: one SNAPSHOT only`);
        assert.equal(events.at(-1)!.type, 'COMPLETED');
        assert.deepEqual(
          events.slice(1).map((event) => event.cursor),
          entryIdsAfter(entries, bullId(job.id), events[0].cursor),
          `${who} of ${job.id}: every stream entry after the snapshot, once, in order`,
        );
      }
    });
  });
});

describe('Redis restarted (append-only) while jobs run and are watched', () => {
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

  it('loses no job: UNAVAILABLE and 503 during the outage, then every job completes and the watch resumes', async () => {
    // Fast events, so that some are in flight in the gateway (read from the stream, their job not yet) when Redis dies.
    const watched = await enqueueHeld(stack, 1500, 1);
    const client = wsClient(stack.wsUrl);
    const watch = resumingWatch(client, watched.id);
    // Long enough that some of them are still waiting or active during the outage.
    const input = { project: 'faults', phase: 'B', stage: '1', items: 20, msPerItem: 100 };
    const enqueue = async (): Promise<string> =>
      (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input })).importParts.id;
    try {
      await eventually(() => watch.events.length > 0, 5000, 'the snapshot');
      await gqlOk(stack.url, PROMOTE, { id: watched.id });
      const enqueuedBefore: string[] = [];
      for (let count = 0; count < 8; count++) enqueuedBefore.push(await enqueue());
      await eventually(() => (watch.events.at(-1)?.job.progress?.current ?? 0) >= 200, 10_000, 'the watched job to progress');

      const unfinished = [];
      for (const id of enqueuedBefore)
        unfinished.push((await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id })).job.state !== 'COMPLETED');
      await redis.stop();
      const down = Date.now();
      const refused = await gql(stack.url, IMPORT_PARTS, { input });
      assert.equal(refused.errors?.[0].extensions?.code, 'UNAVAILABLE');
      assert.equal((await fetch(`${stack.url}/readyz`)).status, 503);
      // Time-based on purpose: Redis stays down a while, so the watch and the workers live through a real outage.
      await new Promise((resolve) => setTimeout(resolve, REDIS_OUTAGE_MS));
      await redis.resume();
      const outageMs = Date.now() - down;

      const enqueuedAfter = [
        await eventually(
          async () => (await gql<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input })).data?.importParts.id,
          15_000,
          'an enqueue after the outage',
        ),
      ];
      const recoveredMs = Date.now() - down - outageMs;
      for (let count = 0; count < 4; count++) enqueuedAfter.push(await enqueue());
      await within(watch.done, 30_000, 'the watch across the outage');
      for (const id of [...enqueuedBefore, ...enqueuedAfter]) {
        await eventually(
          async () => (await gqlOk<{ job: { state: string } | null }>(stack.url, JOB, { id })).job?.state === 'COMPLETED',
          20_000,
          `${id} to complete`,
        );
      }
      assert.equal((await fetch(`${stack.url}/readyz`)).status, 200);
      process.stdout.write(
        `# redis down ${outageMs} ms, enqueue works again ${recoveredMs} ms after restart; ${unfinished.filter(Boolean).length} of 8 earlier jobs were unfinished when it stopped\n`,
      );
    } finally {
      await client.dispose();
    }
    const events: WatchedEvent[] = watch.events;
    assert.equal(events.at(-1)!.type, 'COMPLETED');
    assertIncreasingCursors(events, 'watcher');
    const entries = await streamEntries(stack.redisUrl, stack.prefix, 'imports');
    assert.deepEqual(
      events.slice(1).map((event) => event.cursor),
      entryIdsAfter(entries, bullId(watched.id), events[0].cursor),
      'every stream entry of the job after the snapshot, once',
    );
  });
});
