import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import IORedis from 'ioredis';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { PrivateRedis } from '../support/redis-server';
import { countCommands } from '../support/redis-stats';
import { Stack } from '../support/stack';
import { HELD, IMPORT_PARTS, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

describe('the cost of watchers', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  let stats: IORedis;
  before(async () => {
    redis = await PrivateRedis.start();
    // Only the worker's own queue, and no stalled-jobs check: an idle queue's worker wakes every few seconds (a
    // `bzpopmin` timing out, then its checks), and five idle queues added tens of commands no watcher caused.
    stack = await Stack.start({
      workers: 1,
      redisUrl: redis.url,
      env: { WORKER_QUEUES: 'imports', WORKER_STALLED_INTERVAL_MS: '3600000' },
    });
    stats = new IORedis(redis.url);
  });
  after(async () => {
    stats.disconnect();
    await stack.close();
    await redis.destroy();
  });

  /** Runs a 20-item import watched by `watchers` subscriptions; returns Redis commands during the run. */
  async function run(watchers: number): Promise<{ counts: Map<string, number>; events: number; stateEvents: number }> {
    const input = { project: 'P', phase: 'A', stage: '1', items: 20, msPerItem: 10 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    const recordings = Array.from({ length: watchers }, () => record<JobEventPayload>(client, JOB_EVENTS, { id: job.id }));
    await eventually(() => recordings.every((recording) => recording.results.length > 0), 5000, 'every snapshot');
    const counts = await countCommands(stats, () =>
      gqlOk(stack.url, PROMOTE, { id: job.id })
        .then(() => within(Promise.all(recordings.map((recording) => recording.done)), 15_000, 'the watches'))
        .then(() => undefined),
    );
    await client.dispose();
    const lengths = new Set(recordings.map((recording) => recording.results.length));
    assert.equal(lengths.size, 1, 'every watcher saw the same events');
    const types = recordings[0].results.map((result) => result.data!.jobEvents.type);
    return {
      counts,
      events: types.length,
      stateEvents: types.filter((type) => type !== 'PROGRESS' && type !== 'LOG' && type !== 'SNAPSHOT').length,
    };
  }

  it('reads a job once for the watches of it that start together, and gives them one SNAPSHOT', async () => {
    const input = { project: 'P', phase: 'A', stage: '1', items: 2, msPerItem: 10 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    let recordings: ReturnType<typeof record<JobEventPayload>>[] = [];
    const counts = await countCommands(stats, async () => {
      recordings = Array.from({ length: 20 }, () => record<JobEventPayload>(client, JOB_EVENTS, { id: job.id }));
      await eventually(() => recordings.every((recording) => recording.results.length > 0), 5000, 'every snapshot');
    });
    await client.dispose();
    // However the 20 subscribe messages spread over the socket's reads: unshared, 20.
    assert.equal(counts.get('hgetall') ?? 0, 1, 'job reads for 20 watches starting together');
    const snapshots = new Set(recordings.map((recording) => JSON.stringify(recording.results[0].data)));
    assert.equal(snapshots.size, 1, 'the same SNAPSHOT for every watch');
    assert.equal(recordings[0].results[0].data!.jobEvents.type, 'SNAPSHOT');
  });

  it('reads a job once for watches that start one after another while it has no new event, then afresh after one', async () => {
    const input = { project: 'P', phase: 'A', stage: '1', items: 2, msPerItem: 10 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    const first = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    const snapshotOf = async (recording: ReturnType<typeof record<JobEventPayload>>): Promise<JobEventPayload['jobEvents']> => {
      await eventually(() => recording.results.length > 0, 5000, 'a snapshot');
      return recording.results[0].data!.jobEvents;
    };
    const held = await snapshotOf(first);
    const counts = await countCommands(stats, async () => {
      for (let i = 0; i < 10; i += 1) assert.deepEqual(await snapshotOf(record<JobEventPayload>(client, JOB_EVENTS, { id: job.id })), held);
    });
    assert.equal(counts.get('hgetall') ?? 0, 0, 'job reads for 10 watches starting one after another');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    await eventually(() => first.results.length > 1, 5000, 'the first watch sees the promotion');
    const later = await snapshotOf(record<JobEventPayload>(client, JOB_EVENTS, { id: job.id }));
    assert.notEqual(later.job.state, held.job.state, 'a watch that starts after an event sees it in its SNAPSHOT');
    assert.notEqual(later.cursor, held.cursor);
    await client.dispose();
  });

  it('shows a change that writes no event in the SNAPSHOT of a watch that starts a second later', async () => {
    const input = { project: 'P', phase: 'A', stage: '1', items: 2, msPerItem: 10 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    const snapshotOf = async (recording: ReturnType<typeof record<JobEventPayload>>): Promise<JobEventPayload['jobEvents']> => {
      await eventually(() => recording.results.length > 0, 5000, 'a snapshot');
      return recording.results[0].data!.jobEvents;
    };
    // A watch that stays keeps the job watched, and its SNAPSHOT kept.
    await snapshotOf(record<JobEventPayload>(client, JOB_EVENTS, { id: job.id }));
    const [queue, jobId] = job.id.split(':');
    await stats.hset(`${stack.prefix}:${queue}:${jobId}`, 'data', JSON.stringify({ ...input, project: 'edited' }));
    await eventually(
      async () => (await snapshotOf(record<JobEventPayload>(client, JOB_EVENTS, { id: job.id }))).job.data.project === 'edited',
      5000,
      'a SNAPSHOT with the edited data',
    );
    await client.dispose();
  });

  it('reads a job once per state change (never per PROGRESS or LOG), whether 1 or 50 subscriptions watch it', async () => {
    const one = await run(1);
    const fifty = await run(50);
    // The promoteJob request that starts the job reads it 3 times; then about one read per
    // state change (one spare for the promote's own timing): PROGRESS and LOG events reuse
    // the job as read at ACTIVE.
    const reads = (counts: Map<string, number>): number => (counts.get('hgetall') ?? 0) - 3;
    for (const [label, run] of [
      ['1 watcher', one],
      ['50 watchers', fifty],
    ] as const) {
      assert.ok(
        reads(run.counts) <= run.stateEvents + 1,
        `${label}: ${reads(run.counts)} job reads for ${run.stateEvents} state changes (${run.events} events)`,
      );
    }
    assert.ok(
      Math.abs(reads(fifty.counts) - reads(one.counts)) <= 2,
      `job reads: ${reads(one.counts)} with 1 watcher, ${reads(fifty.counts)} with 50`,
    );
    // Stream reads follow the writes' timing, not the watchers: never one per watcher.
    for (const { counts, events } of [one, fifty])
      assert.ok((counts.get('xread') ?? 0) <= events + 5, `${counts.get('xread')} stream reads for ${events} events`);
    const others = (counts: Map<string, number>): number =>
      [...counts].filter(([name]) => name !== 'xread').reduce((sum, [, count]) => sum + count, 0);
    const grown = [...fifty.counts]
      .filter(([name, count]) => count > (one.counts.get(name) ?? 0) + 2)
      .map(([name, count]) => `${name} ${one.counts.get(name) ?? 0} -> ${count}`);
    assert.ok(
      others(fifty.counts) <= others(one.counts) * 1.1 + 5,
      `other commands: ${others(one.counts)} with 1 watcher, ${others(fifty.counts)} with 50 (${grown.join(', ')})`,
    );
  });
});

describe('the reads of a busy event stream', () => {
  const pauseMs = 50;
  let redis: PrivateRedis;
  let stack: Stack;
  let stats: IORedis;
  before(async () => {
    redis = await PrivateRedis.start();
    stack = await Stack.start({ workers: 1, redisUrl: redis.url, env: { EVENT_READ_PAUSE_MS: String(pauseMs) } });
    stats = new IORedis(redis.url);
  });
  after(async () => {
    stats.disconnect();
    await stack.close();
    await redis.destroy();
  });

  it('start at most once per EVENT_READ_PAUSE_MS, however many entries arrive, and still deliver every event', async () => {
    const items = 300;
    const input = { project: 'P', phase: 'A', stage: '1', items, msPerItem: 2 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
    const started = performance.now();
    const counts = await countCommands(stats, () =>
      gqlOk(stack.url, PROMOTE, { id: job.id })
        .then(() => within(recording.done, 20_000, 'the watch'))
        .then(() => undefined),
    );
    const elapsedMs = performance.now() - started;
    await client.dispose();
    const progress = recording.results.map((result) => result.data!.jobEvents).filter((event) => event.type === 'PROGRESS');
    assert.equal(progress.length, items);
    const reads = counts.get('xread') ?? 0;
    assert.ok(reads <= elapsedMs / pauseMs + 3, `${reads} stream reads in ${elapsedMs.toFixed(0)} ms with a ${pauseMs} ms cadence`);
  });
});
