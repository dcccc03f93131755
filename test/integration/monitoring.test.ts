import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { eventually, gql, gqlOk, record, within, wsClient, type Recording } from '../support/graphql';
import { parsePrometheus, valueOf } from '../support/prometheus';
import { countCommands, totalCommands } from '../support/redis-stats';
import { PrivateRedis } from '../support/redis-server';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, HELD, IMPORT_PARTS, JOB, PROMOTE, type EnqueuedJob } from './operations';

const COUNTS = 'waiting active delayed prioritized completed failed paused waitingChildren';
const QUEUES = `{ queues { name paused workerCount rateLimit { max durationMs } counts { ${COUNTS} } completed { total perMinute } failed { total perMinute } } }`;
const QUEUE_STATS = `subscription ($queue: String!) { queueStats(queue: $queue) { queue paused at counts { ${COUNTS} } } }`;

type Counts = Record<'waiting' | 'active' | 'delayed' | 'prioritized' | 'completed' | 'failed' | 'paused' | 'waitingChildren', number>;
interface QueueInfo {
  name: string;
  paused: boolean;
  workerCount: number;
  rateLimit: { max: number; durationMs: number } | null;
  counts: Counts;
  completed: { total: number; perMinute: number[] };
  failed: { total: number; perMinute: number[] };
}
interface QueueStatsPayload {
  queueStats: { queue: string; paused: boolean; at: string; counts: Counts };
}

const queueInfo = async (stack: Stack, name: string): Promise<QueueInfo> => {
  const { queues } = await gqlOk<{ queues: QueueInfo[] }>(stack.url, QUEUES);
  const queue = queues.find((candidate) => candidate.name === name);
  assert.ok(queue, `queue ${name} listed`);
  return queue;
};
const hello = async (stack: Stack, options: Record<string, unknown> = HELD): Promise<EnqueuedJob> =>
  (await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: { name: 'm' }, options })).enqueue;
const readyWorkers = async (stack: Stack): Promise<number> =>
  ((await (await fetch(`${stack.url}/readyz`)).json()) as { workers: number }).workers;
/** The first stack's `/metrics` wants this token (METRICS_TOKEN). */
const METRICS_TOKEN = 'prometheus-scrape-token-0123';
const scrape = async (stack: Stack) =>
  parsePrometheus(await (await fetch(`${stack.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()).samples;
const lastStats = (recording: Recording<QueueStatsPayload>) => recording.results[recording.results.length - 1]?.data?.queueStats;

const CANCEL = `mutation ($id: ID!) { cancelJob(id: $id) { id state } }`;
const CANCELLED_QUEUE = `query ($name: String!) { queue(name: $name) { counts { failed cancelled } failed { total perMinute } cancelled { total perMinute } } }`;
interface CancelledQueueInfo {
  counts: { failed: number; cancelled: number };
  failed: { total: number; perMinute: number[] };
  cancelled: { total: number; perMinute: number[] };
}
const cancelledInfo = async (stack: Stack, name: string): Promise<CancelledQueueInfo> =>
  (await gqlOk<{ queue: CancelledQueueInfo }>(stack.url, CANCELLED_QUEUE, { name })).queue;
const jobState = async (stack: Stack, id: string): Promise<string | undefined> =>
  (await gqlOk<{ job: { state: string } | null }>(stack.url, JOB, { id })).job?.state;
/** Cancels a long importParts job once it runs: its worker fails it as cancelled, and BullMQ keeps it as a failed job. */
async function cancelWhileActive(stack: Stack): Promise<string> {
  const input = { project: 'P', phase: 'C', stage: '1', items: 400, msPerItem: 50 };
  const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
  await eventually(async () => (await jobState(stack, job.id)) === 'ACTIVE', 10_000, `${job.id} to run`);
  await gqlOk(stack.url, CANCEL, { id: job.id });
  await eventually(async () => (await jobState(stack, job.id)) === 'CANCELLED', 10_000, `${job.id} to be cancelled`);
  return job.id;
}

describe('queue monitoring', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1, env: { METRICS_TOKEN } });
  });
  after(() => stack.close());

  it('queues: counts move as jobs run; throughput, workers, rate limit', async () => {
    const held = await Promise.all([hello(stack), hello(stack), hello(stack)]);
    const before = await queueInfo(stack, 'default');
    assert.deepEqual(
      { ...before.counts, paused: before.paused, workers: before.workerCount },
      { waiting: 0, active: 0, delayed: 3, prioritized: 0, completed: 0, failed: 0, paused: false, waitingChildren: 0, workers: 1 },
    );
    assert.equal(before.completed.perMinute.length, 60);

    await Promise.all(held.map((job) => gqlOk(stack.url, PROMOTE, { id: job.id })));
    const failing = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
      type: 'syncExternal',
      data: { orderId: 1, url: 'http://127.0.0.1:9/x' },
      options: { attempts: 1 },
    });
    const done = await eventually(
      async () => {
        const queue = await queueInfo(stack, 'default');
        return queue.counts.completed === 3 && queue.counts.delayed === 0 && queue;
      },
      10_000,
      'three completed jobs',
    );
    assert.equal(done.completed.total, 3);
    assert.equal(done.completed.perMinute[0] + done.completed.perMinute[1], 3, 'the three jobs are in the last two minutes');
    const integrations = await eventually(
      async () => {
        const queue = await queueInfo(stack, 'integrations');
        return queue.counts.failed === 1 && queue;
      },
      10_000,
      `the failure of ${failing.enqueue.id}`,
    );
    assert.equal(integrations.failed.total, 1);

    const connection = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
    const maintenance = new Queue('maintenance', { connection, prefix: stack.prefix });
    try {
      await maintenance.setGlobalRateLimit(5, 1000);
      assert.deepEqual((await queueInfo(stack, 'maintenance')).rateLimit, { max: 5, durationMs: 1000 });
    } finally {
      await maintenance.close();
      connection.disconnect();
    }
    assert.equal((await queueInfo(stack, 'imports')).rateLimit, null);
    assert.deepEqual(
      (await queueInfo(stack, 'integrations')).rateLimit,
      { max: 10, durationMs: 1000 },
      'syncExternal declares 10 calls a second',
    );
  });

  it('queueStats: the counts at once, then each change, shared by every subscriber', async () => {
    const client = wsClient(stack.wsUrl);
    try {
      const subscribed = Date.now();
      const recordings = [
        record<QueueStatsPayload>(client, QUEUE_STATS, { queue: 'default' }),
        record<QueueStatsPayload>(client, QUEUE_STATS, { queue: 'default' }),
      ];
      await eventually(() => recordings.every((recording) => recording.results.length > 0), 2000, 'the first message');
      assert.ok(Date.now() - subscribed < 1000, 'first message within a second');
      const initial = lastStats(recordings[0])!;
      assert.equal(initial.queue, 'default');

      const held = await Promise.all([hello(stack), hello(stack)]);
      await eventually(
        () => recordings.every((recording) => lastStats(recording)?.counts.delayed === initial.counts.delayed + 2),
        5000,
        'two more delayed jobs',
      );
      await Promise.all(held.map((job) => gqlOk(stack.url, PROMOTE, { id: job.id })));
      const completed = initial.counts.completed + 2;
      await eventually(
        () =>
          recordings.every(
            (recording) =>
              lastStats(recording)?.counts.completed === completed && lastStats(recording)?.counts.delayed === initial.counts.delayed,
          ),
        10_000,
        'two more completed jobs',
      );

      for (const recording of recordings) {
        const messages = recording.results.map((result) => result.data!.queueStats);
        for (let index = 1; index < messages.length; index++) {
          assert.notDeepEqual(
            { ...messages[index].counts, paused: messages[index].paused },
            { ...messages[index - 1].counts, paused: messages[index - 1].paused },
            'only changes are pushed',
          );
          assert.ok(Date.parse(messages[index].at) - Date.parse(messages[index - 1].at) >= 150, 'at most every 250 ms (with timer slack)');
        }
      }
      const unknown = record<QueueStatsPayload>(client, QUEUE_STATS, { queue: 'nope' });
      await within(unknown.done, 5000, 'the refusal');
      assert.equal(unknown.results[0]?.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    } finally {
      await client.dispose();
    }
  });

  it('/metrics parses as Prometheus text and its counters move', async () => {
    const first = await scrape(stack);
    const probe = { operation_type: 'query', operation_name: 'MetricsProbe', outcome: 'success' };
    await gqlOk(stack.url, 'query MetricsProbe { jobTypes { name } }');
    await gqlOk(stack.url, 'query MetricsProbe { jobTypes { name } }');
    // A request of the SSE transport that carries no operation: refused, and counted under its own route.
    const refusedStream = await fetch(`${stack.url}/graphql/stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await refusedStream.arrayBuffer();
    const client = wsClient(stack.wsUrl);
    const watching = record<QueueStatsPayload>(client, QUEUE_STATS, { queue: 'imports' });
    try {
      await eventually(() => watching.results.length > 0, 2000, 'the subscription');
      const second = await scrape(stack);
      assert.equal(
        valueOf(second, 'jobgate_graphql_operations_total', probe) - valueOf(first, 'jobgate_graphql_operations_total', probe),
        2,
      );
      const graphqlPosts = { method: 'POST', route: '/graphql', status_code: '200' };
      assert.ok(
        valueOf(second, 'jobgate_http_requests_total', graphqlPosts) >= valueOf(first, 'jobgate_http_requests_total', graphqlPosts) + 2,
      );
      assert.ok(valueOf(second, 'jobgate_graphql_operation_duration_seconds_count', { operation_name: 'MetricsProbe' }) >= 2);
      const streamRequests = { method: 'POST', route: '/graphql/stream', status_code: String(refusedStream.status) };
      assert.ok(refusedStream.status >= 400 && refusedStream.status < 500, `a body without a query is refused: ${refusedStream.status}`);
      assert.equal(
        valueOf(second, 'jobgate_http_requests_total', streamRequests) - valueOf(first, 'jobgate_http_requests_total', streamRequests),
        1,
      );
      assert.ok(valueOf(second, 'jobgate_websockets_open') >= 1);
      assert.ok(valueOf(second, 'jobgate_subscriptions_active') >= 1);
      assert.ok(valueOf(second, 'jobgate_queue_stats_pollers') >= 1);
      assert.equal(valueOf(second, 'jobgate_queue_metrics_up'), 1);
      assert.equal(
        valueOf(second, 'bullmq_job_count', { queue: 'default', state: 'completed' }),
        (await queueInfo(stack, 'default')).counts.completed,
      );
      assert.ok(valueOf(second, 'process_cpu_user_seconds_total') > 0, 'process metrics');
      for (const name of ['jobgate_event_readers', 'jobgate_events_delivered_total', 'jobgate_events_coalesced_total'])
        assert.ok(
          second.some((sample) => sample.name === name),
          name,
        );
    } finally {
      await client.dispose();
    }
    await eventually(async () => valueOf(await scrape(stack), 'jobgate_subscriptions_active') === 0, 5000, 'the subscription to end');
  });

  it('/metrics counts open file descriptors, and leaves out the defaults that list every handle', async () => {
    const before = valueOf(await scrape(stack), 'process_open_fds');
    const url = new URL(stack.url);
    const sockets = await Promise.all(
      Array.from(
        { length: 40 },
        () =>
          // Answered, so the gateway has accepted it; kept alive after the answer.
          new Promise<Socket>((resolve, reject) => {
            const socket = connect(Number(url.port), url.hostname, () => socket.write('GET /healthz HTTP/1.1\r\nHost: jobgate\r\n\r\n'));
            socket.once('data', () => resolve(socket));
            socket.once('error', reject);
          }),
      ),
    );
    try {
      const samples = await scrape(stack);
      assert.ok(before > 0, `process_open_fds before: ${before}`);
      assert.ok(
        valueOf(samples, 'process_open_fds') >= before + 40,
        `40 more connections: ${before} -> ${valueOf(samples, 'process_open_fds')}`,
      );
      const listed = ['nodejs_active_handles', 'nodejs_active_handles_total', 'nodejs_active_resources', 'nodejs_active_resources_total'];
      assert.deepEqual(
        listed.filter((name) => samples.some((sample) => sample.name === name)),
        [],
      );
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it('counts cancelled jobs as cancelled, not failed: queue counts, throughput and /metrics', async () => {
    await cancelWhileActive(stack);
    const { importParts: held } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, {
      input: { project: 'P', phase: 'C', stage: '2' },
      options: HELD,
    });
    assert.equal((await gqlOk<{ cancelJob: { state: string } }>(stack.url, CANCEL, { id: held.id })).cancelJob.state, 'CANCELLED');
    // The worker records its cancellation a moment after BullMQ has failed the job.
    const imports = await eventually(
      async () => {
        const queue = await cancelledInfo(stack, 'imports');
        return queue.counts.cancelled === 2 && queue;
      },
      10_000,
      'two cancelled jobs counted',
    );
    assert.deepEqual(
      imports.counts,
      { failed: 0, cancelled: 2 },
      'one cancelled while active (a failed job to BullMQ), one before it started',
    );
    assert.equal(imports.failed.total, 0);
    assert.ok(
      imports.failed.perMinute.every((count) => count === 0),
      `failed per minute: ${imports.failed.perMinute.join(',')}`,
    );
    assert.equal(imports.cancelled.total, 2);
    assert.equal(imports.cancelled.perMinute[0] + imports.cancelled.perMinute[1], 2, 'both in the last two minutes');
    // A scrape reuses the queue read of a scrape less than a second before.
    const samples = await eventually(
      async () => {
        const scraped = await scrape(stack);
        return valueOf(scraped, 'bullmq_job_cancelled_total', { queue: 'imports' }) === 2 && scraped;
      },
      5000,
      'a scrape counting two cancelled jobs',
    );
    assert.equal(valueOf(samples, 'bullmq_job_failed_total', { queue: 'imports' }), 0);
    assert.equal(valueOf(samples, 'bullmq_job_count', { queue: 'imports', state: 'failed' }), 0);
    assert.equal(valueOf(samples, 'bullmq_job_count', { queue: 'imports', state: 'cancelled' }), 2);
  });

  it('workers(queue) lists worker connections; /readyz counts worker processes', async () => {
    const { workers } = await gqlOk<{ workers: { name: string | null; address: string; ageSeconds: number; idleSeconds: number }[] }>(
      stack.url,
      '{ workers(queue: "default") { name address ageSeconds idleSeconds } }',
    );
    assert.equal(workers.length, 1);
    assert.match(workers[0].name ?? '', /^[^\s:]+:\d+$/, 'workers name themselves <host>:<pid>');
    assert.match(workers[0].address, /^127\.0\.0\.1:\d+$/);
    assert.ok(workers[0].ageSeconds >= 0 && workers[0].idleSeconds >= 0);
    assert.equal(await readyWorkers(stack), 1, 'one process serving five queues counts once');
    await stack.startWorker();
    assert.equal(await readyWorkers(stack), 2);
    const refused = await gql(stack.url, '{ workers(queue: "nope") { name } }');
    assert.equal(refused.errors?.[0].extensions?.field, 'queue');
  });

  it('keeps /metrics for the METRICS_TOKEN bearer: 401 without it or with another', async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer prometheus-scrape-token-0124' },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of refused) {
      const response = await fetch(`${stack.url}/metrics`, { headers });
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal(response.headers.get('www-authenticate'), 'Bearer realm="metrics"');
      assert.doesNotMatch(await response.text(), /jobgate_/);
    }
    assert.equal((await fetch(`${stack.url}/metrics`, { headers: { authorization: `bearer ${METRICS_TOKEN}` } })).status, 200);
  });
});

describe('cancelled jobs under retention (KEEP_JOBS_COUNT=1)', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1, env: { KEEP_JOBS_COUNT: '1' } });
  });
  after(() => stack.close());

  it('counts only the cancelled jobs BullMQ still keeps; throughput keeps counting every cancellation', async () => {
    const first = await cancelWhileActive(stack);
    await eventually(async () => (await cancelledInfo(stack, 'imports')).counts.cancelled === 1, 10_000, 'the first cancellation counted');
    await cancelWhileActive(stack);
    // BullMQ keeps one failed job: the second cancelled job's failure trimmed the first away.
    await eventually(async () => (await jobState(stack, first)) === undefined, 10_000, `${first} trimmed by retention`);
    const imports = await eventually(
      async () => {
        const queue = await cancelledInfo(stack, 'imports');
        return queue.cancelled.total === 2 && queue;
      },
      10_000,
      'the second cancellation counted',
    );
    assert.deepEqual(imports.counts, { failed: 0, cancelled: 1 }, 'the trimmed job counts no more');
    assert.equal(imports.failed.total, 0);
  });
});

describe('who may monitor', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET } });
  });
  after(() => stack.close());

  it('viewers and admins see queues and workers; submitters get FORBIDDEN', async () => {
    const [submitter, viewer, admin] = await Promise.all([token('ana', ['submitter']), token('val', ['viewer']), token('root', ['admin'])]);
    for (const query of ['{ queues { name } }', '{ workers(queue: "default") { name } }']) {
      assert.equal((await gql(stack.url, query, {}, bearer(submitter))).errors?.[0].extensions?.code, 'FORBIDDEN', query);
      for (const allowed of [viewer, admin]) assert.equal((await gql(stack.url, query, {}, bearer(allowed))).errors, undefined, query);
    }
    const client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${submitter}` } });
    try {
      const refused = record<QueueStatsPayload>(client, QUEUE_STATS, { queue: 'default' });
      await within(refused.done, 5000, 'the refusal');
      assert.equal(refused.results[0]?.errors?.[0].extensions?.code, 'FORBIDDEN');
    } finally {
      await client.dispose();
    }
  });
});

describe('monitoring cost, counted on a private Redis', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  let stats: IORedis;
  before(async () => {
    redis = await PrivateRedis.start();
    // No workers: only the gateway talks to this Redis, so every command counted is one it sent.
    stack = await Stack.start({ workers: 0, redisUrl: redis.url });
    stats = new IORedis(redis.url);
  });
  after(async () => {
    stats.disconnect();
    await stack.close();
    await redis.destroy();
  });

  it('jobs(first: 100) with state, progress and logs costs a constant plus 2 commands per job', async (t) => {
    const jobs = Array.from({ length: 100 }, (_, index) => ({
      type: 'importParts',
      data: { project: 'P', phase: 'A', stage: String(index), items: 5 },
    }));
    await gqlOk(stack.url, 'mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }', { jobs });
    let edges = 0;
    const counts = await countCommands(stats, async () => {
      const { jobs: page } = await gqlOk<{ jobs: { edges: { node: { id: string; state: string; logs: string[] } }[] } }>(
        stack.url,
        'query { jobs(queue: "imports", first: 100) { edges { node { id state progress { percent } logs } } } }',
      );
      edges = page.edges.length;
    });
    t.diagnostic(`jobs(first: 100): ${totalCommands(counts)} commands ${JSON.stringify(Object.fromEntries(counts))}`);
    assert.equal(edges, 100);
    assert.equal(counts.get('hgetall'), 100, 'one read per job');
    assert.ok((counts.get('lrange') ?? 0) <= 101, "one log read per job (plus the page's id range)");
    assert.ok(totalCommands(counts) <= 2 * 100 + 20, `${totalCommands(counts)} commands for 100 jobs`);
  });

  it('queues reads every queue in one pass, with one CLIENT LIST', async (t) => {
    let queues = 0;
    const counts = await countCommands(stats, async () => {
      queues = (await gqlOk<{ queues: unknown[] }>(stack.url, QUEUES)).queues.length;
    });
    t.diagnostic(`queues (${queues} queues): ${totalCommands(counts)} commands ${JSON.stringify(Object.fromEntries(counts))}`);
    assert.equal(counts.get('client|list'), 1);
    assert.ok(queues >= 5);
    assert.ok(totalCommands(counts) <= queues * 25, `${totalCommands(counts)} commands for ${queues} queues`);
  });

  it('50 queueStats subscribers cost the same Redis reads as one', async (t) => {
    const windowMs = 2000;
    const measure = async (subscribers: number): Promise<Map<string, number>> => {
      const client = wsClient(stack.wsUrl);
      try {
        const recordings = Array.from({ length: subscribers }, () => record<QueueStatsPayload>(client, QUEUE_STATS, { queue: 'imports' }));
        await eventually(() => recordings.every((recording) => recording.results.length > 0), 5000, 'every first message');
        return await countCommands(stats, () => new Promise((resolve) => setTimeout(resolve, windowMs)));
      } finally {
        await client.dispose();
      }
    };
    const one = await measure(1);
    const fifty = await measure(50);
    t.diagnostic(
      `${windowMs} ms of queueStats: 1 subscriber ${JSON.stringify(Object.fromEntries(one))}, 50 subscribers ${JSON.stringify(Object.fromEntries(fifty))}`,
    );
    const ticks = windowMs / 250;
    for (const counts of [one, fifty])
      assert.ok((counts.get('evalsha') ?? 0) <= ticks + 2, `${counts.get('evalsha')} counting scripts in ${windowMs} ms`);
    assert.ok(
      totalCommands(fifty) <= totalCommands(one) * 1.2 + 5,
      `${totalCommands(one)} commands with 1 subscriber, ${totalCommands(fifty)} with 50`,
    );
    await eventually(async () => valueOf(await scrape(stack), 'jobgate_queue_stats_pollers') === 0, 5000, 'the poller to stop');
  });
});
