import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk, record, subscriptionsStarted, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, PROMOTE, type EnqueuedJob } from './operations';

const QUEUE_EVENTS = `subscription QueriesQueueWatch ($queue: String!, $since: String) { queueEvents(queue: $queue, since: $since) { type cursor job { id } } }`;
const JOBS = `query ($after: String) { jobs(queue: "default", states: [DELAYED], first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id state } } } }`;

interface QueueEventPayload {
  queueEvents: { type: string; cursor: string; job: { id: string } };
}

interface JobsPage {
  jobs: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; state: string } }[];
  };
}

describe('queries and queue-wide streams', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  it('pages through jobs with cursors: every job once, then no next page', async () => {
    const enqueued = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: { name: `p${index}` }, options: HELD }),
      ),
    );
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const { jobs }: JobsPage = await gqlOk<JobsPage>(stack.url, JOBS, { after });
      assert.equal(jobs.totalCount, 5);
      assert.ok(jobs.edges.length <= 2);
      seen.push(...jobs.edges.map((edge) => edge.node.id));
      after = jobs.pageInfo.endCursor;
      if (!jobs.pageInfo.hasNextPage) break;
    }
    assert.deepEqual([...seen].sort(), enqueued.map(({ enqueue }) => enqueue.id).sort());
    await Promise.all(enqueued.map(({ enqueue }) => gqlOk(stack.url, PROMOTE, { id: enqueue.id })));
  });

  it("carries the request id of an enqueue into the worker's log lines for that job", async () => {
    const response = await gql<{ enqueue: EnqueuedJob }>(
      stack.url,
      ENQUEUE,
      { type: 'helloWorld', data: { name: 'traced' } },
      { 'x-request-id': 'req-trace-42' },
    );
    const id = response.data!.enqueue.id;
    const lines = await eventually(
      () => {
        const found = stack.workers[0].output.filter((line) => line.includes(`"jobId":"${id}"`));
        return found.some((line) => line.includes('job completed')) && found;
      },
      10_000,
      'the worker log lines',
    );
    for (const line of lines) assert.equal((JSON.parse(line) as { requestId?: string }).requestId, 'req-trace-42');
  });

  it('streams every job event of a queue, and replays from `since`', async () => {
    const client = wsClient(stack.wsUrl);
    const live = record<QueueEventPayload>(client, QUEUE_EVENTS, { queue: 'default' });
    await subscriptionsStarted(stack.url, 'QueriesQueueWatch');
    const jobs = await Promise.all(
      [1, 2, 3].map((index) => gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: { name: `q${index}` } })),
    );
    const ids = jobs.map(({ enqueue }) => enqueue.id);
    const completedIds = (results: { data?: QueueEventPayload | null }[]): string[] =>
      results.filter((result) => result.data?.queueEvents.type === 'COMPLETED').map((result) => result.data!.queueEvents.job.id);
    await eventually(() => ids.every((id) => completedIds(live.results).includes(id)), 10_000, 'three COMPLETED events');
    live.stop();
    const first = live.results[0].data!.queueEvents.cursor;
    const replay = record<QueueEventPayload>(client, QUEUE_EVENTS, { queue: 'default', since: first });
    await eventually(() => ids.every((id) => completedIds(replay.results).includes(id)), 10_000, 'the replayed COMPLETED events');
    replay.stop();
    await client.dispose();
    const replayedCursors = replay.results.map((result) => result.data!.queueEvents.cursor);
    assert.ok(!replayedCursors.includes(first), 'replay starts after `since`');
    assert.deepEqual(
      replayedCursors,
      live.results
        .slice(1)
        .map((result) => result.data!.queueEvents.cursor)
        .slice(0, replayedCursors.length),
    );
  });
});
