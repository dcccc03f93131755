import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, record, wsClient, type Recording } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { IMPORT_PARTS, type EnqueuedJob } from './operations';

const QUEUE_FIELDS = `name rateLimit { max durationMs } globalConcurrency limitsOverridden`;
const QUEUE = `query ($name: String!) { queue(name: $name) { ${QUEUE_FIELDS} } }`;
const SET_CONCURRENCY = `mutation ($queue: String!, $concurrency: Int) { setQueueGlobalConcurrency(queue: $queue, concurrency: $concurrency) { ${QUEUE_FIELDS} } }`;
const SET_RATE = `mutation ($queue: String!, $rateLimit: RateLimitInput) { setQueueRateLimit(queue: $queue, rateLimit: $rateLimit) { ${QUEUE_FIELDS} } }`;
const RESET = `mutation ($queue: String!) { resetQueueLimits(queue: $queue) { ${QUEUE_FIELDS} } }`;
const QUEUE_EVENTS = `subscription ($queue: String!, $since: String) { queueEvents(queue: $queue, since: $since) { type at job { id } } }`;

interface QueueLimitsView {
  name: string;
  rateLimit: { max: number; durationMs: number } | null;
  globalConcurrency: number | null;
  limitsOverridden: boolean;
}
type QueueEvent = { type: string; at: string; job: { id: string } };

describe('changing rate limit and global concurrency at runtime (admin), across two worker processes', () => {
  let stack: Stack;
  let admin: Record<string, string>;
  let recording: Recording<{ queueEvents: QueueEvent }>;
  let client: ReturnType<typeof wsClient>;

  const ask = async <T>(query: string, variables: Record<string, unknown>, headers = admin): Promise<T> => {
    const response = await gql<T>(stack.url, query, variables, headers);
    if (response.errors || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const refusal = async (query: string, variables: Record<string, unknown>, headers = admin) => {
    const response = await gql(stack.url, query, variables, headers);
    const extensions = response.errors?.[0]?.extensions as { code?: string; field?: string } | undefined;
    return { code: extensions?.code, field: extensions?.field };
  };
  const queue = async (): Promise<QueueLimitsView> => (await ask<{ queue: QueueLimitsView }>(QUEUE, { name: 'imports' })).queue;

  /** Enqueues `count` importParts jobs of `items` × `msPerItem` ms; returns their ids. */
  const enqueue = (count: number, items: number, msPerItem: number): Promise<string[]> =>
    Promise.all(
      Array.from(
        { length: count },
        async () =>
          (await ask<{ importParts: EnqueuedJob }>(IMPORT_PARTS, { input: { project: 'R', phase: 'A', stage: '1', items, msPerItem } }))
            .importParts.id,
      ),
    );

  /** The events of `jobs`, once every one completed. */
  const finished = async (jobs: string[]): Promise<QueueEvent[]> => {
    const ours = () => recording.results.map(({ data }) => data!.queueEvents).filter((event) => jobs.includes(event.job.id));
    await eventually(() => ours().filter((event) => event.type === 'COMPLETED').length === jobs.length, 20_000, `${jobs.length} COMPLETED`);
    return ours();
  };

  /** The most jobs active at once: the stream writes ACTIVE and COMPLETED in the scripts that move the job. */
  const mostActive = (events: QueueEvent[]): number => {
    let active = 0;
    let most = 0;
    for (const event of events) {
      if (event.type === 'ACTIVE') most = Math.max(most, ++active);
      if (event.type === 'COMPLETED') active--;
    }
    return most;
  };

  before(async () => {
    // Configured: at most 3 imports jobs at once. One worker now, the second after the first change.
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET, QUEUE_GLOBAL_CONCURRENCY: 'imports:3' } });
    await stack.startWorker(['--queues', 'imports', '--concurrency', '5']);
    const adminToken = await token('root', ['admin']);
    admin = bearer(adminToken);
    client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${adminToken}` } });
    // From the start of the stream: whenever the watch is in place, it sees every event.
    recording = record(client, QUEUE_EVENTS, { queue: 'imports', since: '0-0' });
  });
  after(async () => {
    recording?.stop();
    await client?.dispose();
    await stack?.close();
  });

  it('shows the configured limits, and refuses a non-admin and values out of range', async () => {
    assert.deepEqual(await queue(), { name: 'imports', rateLimit: null, globalConcurrency: 3, limitsOverridden: false });
    const submitter = bearer(await token('bob', ['submitter', 'viewer']));
    assert.equal((await refusal(SET_CONCURRENCY, { queue: 'imports', concurrency: 1 }, submitter)).code, 'FORBIDDEN');
    assert.equal((await refusal(SET_RATE, { queue: 'imports', rateLimit: null }, submitter)).code, 'FORBIDDEN');
    assert.equal((await refusal(RESET, { queue: 'imports' }, submitter)).code, 'FORBIDDEN');
    assert.deepEqual(await refusal(SET_CONCURRENCY, { queue: 'imports', concurrency: 0 }), {
      code: 'BAD_USER_INPUT',
      field: 'concurrency',
    });
    assert.deepEqual(await refusal(SET_RATE, { queue: 'imports', rateLimit: { max: 0, durationMs: 1000 } }), {
      code: 'BAD_USER_INPUT',
      field: 'rateLimit.max',
    });
    assert.deepEqual(await refusal(SET_RATE, { queue: 'imports', rateLimit: { max: 1, durationMs: 1_000_000_000 } }), {
      code: 'BAD_USER_INPUT',
      field: 'rateLimit.durationMs',
    });
    assert.equal((await refusal(SET_CONCURRENCY, { queue: 'nope', concurrency: 1 })).code, 'BAD_USER_INPUT');
    assert.deepEqual(await queue(), { name: 'imports', rateLimit: null, globalConcurrency: 3, limitsOverridden: false }, 'unchanged');
  });

  it('a global concurrency set at runtime binds every worker, one started after the change included', async () => {
    const set = (await ask<{ setQueueGlobalConcurrency: QueueLimitsView }>(SET_CONCURRENCY, { queue: 'imports', concurrency: 1 }))
      .setQueueGlobalConcurrency;
    assert.deepEqual(set, { name: 'imports', rateLimit: null, globalConcurrency: 1, limitsOverridden: true });
    // A worker that starts now applies its configuration (imports:3) but keeps the admin's change.
    await stack.startWorker(['--queues', 'imports', '--concurrency', '5']);
    assert.equal((await queue()).globalConcurrency, 1);
    const capped = await finished(await enqueue(6, 3, 50));
    assert.equal(mostActive(capped), 1, 'one job at a time across two workers of concurrency 5');

    // Lifted: both processes run jobs at once, more than one process's 5 slots.
    assert.equal(
      (await ask<{ setQueueGlobalConcurrency: QueueLimitsView }>(SET_CONCURRENCY, { queue: 'imports', concurrency: null }))
        .setQueueGlobalConcurrency.globalConcurrency,
      null,
    );
    const lifted = await finished(await enqueue(10, 10, 100));
    assert.ok(mostActive(lifted) > 5, `${mostActive(lifted)} jobs at once: both worker processes took jobs`);
  });

  it('a rate limit set at runtime binds every worker, then a reset brings the configured limits back', async () => {
    const set = (await ask<{ setQueueRateLimit: QueueLimitsView }>(SET_RATE, { queue: 'imports', rateLimit: { max: 2, durationMs: 1000 } }))
      .setQueueRateLimit;
    assert.deepEqual(set, { name: 'imports', rateLimit: { max: 2, durationMs: 1000 }, globalConcurrency: null, limitsOverridden: true });
    const events = await finished(await enqueue(6, 1, 10));
    // BullMQ's limiter counts jobs in fixed windows, each opened by the first job it lets start (ACTIVE is
    // written by the same script, on the same Redis clock): the 3rd job starts 1 s after the 1st at least,
    // the 5th 2 s after; two workers with limits of their own would start them all at once.
    const starts = events
      .filter((event) => event.type === 'ACTIVE')
      .map((event) => Date.parse(event.at))
      .sort((a, b) => a - b);
    assert.equal(starts.length, 6);
    assert.ok(starts[2] - starts[0] >= 999, `the 3rd job started ${starts[2] - starts[0]} ms after the 1st`);
    assert.ok(starts[4] - starts[0] >= 1998, `the 5th job started ${starts[4] - starts[0]} ms after the 1st`);

    const reset = (await ask<{ resetQueueLimits: QueueLimitsView }>(RESET, { queue: 'imports' })).resetQueueLimits;
    assert.deepEqual(reset, { name: 'imports', rateLimit: null, globalConcurrency: 3, limitsOverridden: false });
  });
});
