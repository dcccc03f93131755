import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gqlOk, record, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { IMPORT_PARTS, type EnqueuedJob } from './operations';

const JOBS = 12;
const QUEUE_EVENTS = `subscription ($queue: String!, $since: String) { queueEvents(queue: $queue, since: $since) { type cursor job { id } } }`;
type QueueEventPayload = { queueEvents: { type: string; cursor: string; job: { id: string } } };

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
      const jobs = await Promise.all(Array.from({ length: JOBS }, async () => (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input })).importParts.id));
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
      assert.equal(starts.reduce((sum, count) => sum + count, 0), JOBS);
    } finally {
      recording.stop();
      await client.dispose();
    }
  });
});
