import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, gqlOk, record, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, IMPORT_PARTS, type EnqueuedJob } from './operations';

const JOBS = 12;
const QUEUE_EVENTS = `subscription ($queue: String!, $since: String) { queueEvents(queue: $queue, since: $since) { type cursor at job { id } } }`;
type QueueEventPayload = { queueEvents: { type: string; cursor: string; at: string; job: { id: string } } };

describe('a per-queue global concurrency cap (QUEUE_GLOBAL_CONCURRENCY)', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 0, env: { QUEUE_GLOBAL_CONCURRENCY: 'imports:2' } });
    await Promise.all([stack.startWorker(['--concurrency', '5']), stack.startWorker(['--concurrency', '5'])]);
  });
  after(() => stack.close());

  it('holds across two worker processes of concurrency 5', async () => {
    const client = wsClient(stack.wsUrl);
    // From the start of the stream: whenever the watch is in place, it sees every event.
    const recording = record<QueueEventPayload>(client, QUEUE_EVENTS, { queue: 'imports', since: '0-0' });
    try {
      const input = { project: 'G', phase: 'A', stage: '1', items: 4, msPerItem: 50 };
      const jobs = await Promise.all(
        Array.from(
          { length: JOBS },
          async () => (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input })).importParts.id,
        ),
      );
      const finished = () => recording.results.filter((result) => result.data?.queueEvents.type === 'COMPLETED').length;
      await eventually(() => finished() === JOBS, 20_000, `${JOBS} COMPLETED events`);
      // The stream records ACTIVE and COMPLETED in the same scripts that move the job, so counting them replays the active list.
      let active = 0;
      let most = 0;
      for (const { data } of recording.results) {
        if (!jobs.includes(data!.queueEvents.job.id)) continue;
        if (data!.queueEvents.type === 'ACTIVE') most = Math.max(most, ++active);
        if (data!.queueEvents.type === 'COMPLETED') active--;
      }
      assert.equal(most, 2, 'at most 2 jobs of the queue ran at once, and 2 did');
      const starts = stack.workers.map((worker) => worker.output.filter((line) => line.includes('"job started"')).length);
      // Which worker wins each slot is up to BullMQ (a worker that finishes a job fetches the next at once), so only the total is fixed.
      assert.equal(
        starts.reduce((sum, count) => sum + count, 0),
        JOBS,
      );
    } finally {
      recording.stop();
      await client.dispose();
    }
  });
});

describe('a per-queue rate limit (QUEUE_RATE_LIMITS)', () => {
  let stack: Stack;
  const storage = mkdtempSync(path.join(os.tmpdir(), 'jobgate-limiter-'));
  before(async () => {
    stack = await Stack.start({ workers: 0, env: { STORAGE_DIR: storage, QUEUE_RATE_LIMITS: 'maintenance:5/1000' } });
    await Promise.all([
      stack.startWorker(['--queues', 'maintenance', '--concurrency', '5']),
      stack.startWorker(['--queues', 'maintenance', '--concurrency', '5']),
    ]);
  });
  after(async () => {
    await stack.close();
    rmSync(storage, { recursive: true, force: true });
  });

  it('holds across two worker processes: cleanupFiles starts at most 5 jobs a second in all', async () => {
    const limited = 15;
    const client = wsClient(stack.wsUrl);
    const recording = record<QueueEventPayload>(client, QUEUE_EVENTS, { queue: 'maintenance', since: '0-0' });
    try {
      const jobs = await Promise.all(
        Array.from(
          { length: limited },
          async () =>
            (await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'cleanupFiles', data: { olderThanDays: 1 } })).enqueue.id,
        ),
      );
      const ours = (type: string) =>
        recording.results.map(({ data }) => data!.queueEvents).filter((event) => event.type === type && jobs.includes(event.job.id));
      await eventually(() => ours('COMPLETED').length === limited, 20_000, `${limited} COMPLETED events`);
      // BullMQ's limiter counts jobs in fixed windows of 1 s, each opened by the first job it lets start
      // (ACTIVE is written by the same script, with the same Redis clock). So the 6th job starts at least
      // 1 s after the 1st, and the 11th at least 2 s after; a limiter per worker process would start 10 at once.
      const starts = ours('ACTIVE')
        .map((event) => Date.parse(event.at))
        .sort((a, b) => a - b);
      assert.equal(starts.length, limited);
      assert.ok(starts[5] - starts[0] >= 999, `the 6th job started ${starts[5] - starts[0]} ms after the 1st`);
      assert.ok(starts[10] - starts[0] >= 1998, `the 11th job started ${starts[10] - starts[0]} ms after the 1st`);
    } finally {
      recording.stop();
      await client.dispose();
    }
  });
});
