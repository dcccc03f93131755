import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { Config } from '../../src/config';
import { scrubbed, secretsOf } from '../../src/workers/failure-stack';
import { eventually, gql, record, within, wsClient, type GraphQLResponse } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';

/** What these tests read of a job. */
const FIELDS = `id type queue state result failedReason attemptsMade attempt maxAttempts createdAt startedAt finishedAt runAt expiresAt worker nextRetryAt stacktrace`;
const ENQUEUE = `mutation ($type: String!, $data: JSON!, $options: JobOptionsInput) { enqueue(type: $type, data: $data, options: $options) { ${FIELDS} } }`;
const JOB = `query ($id: ID!) { job(id: $id) { ${FIELDS} } }`;
const EVENTS = `subscription CeleryOptionsEvents($id: ID!) { jobEvents(id: $id) { type job { ${FIELDS} } } }`;
const PROMOTE = `mutation ($id: ID!) { promoteJob(id: $id) { id state } }`;
const CANCEL = `mutation ($id: ID!) { cancelJob(id: $id) { id state } }`;
const REMOVE = `mutation ($id: ID!) { removeJob(id: $id) { id } }`;
const RETRY = `mutation ($id: ID!) { retryJob(id: $id) { id queue } }`;
const LIST = `query ($queue: String!) { jobs(queue: $queue, first: 50) { totalCount edges { node { id } } } }`;
const FLOW = `mutation ($flow: FlowInput!) { enqueueFlow(flow: $flow) { id } }`;
const CHILDREN = `query ($id: ID!) { job(id: $id) { state children { edges { node { id queue state result } } } } }`;

interface SeenJob {
  id: string;
  type: string;
  queue: string;
  state: string;
  result: unknown;
  failedReason: string | null;
  attemptsMade: number;
  attempt: number;
  maxAttempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  runAt: string | null;
  expiresAt: string | null;
  worker: string | null;
  nextRetryAt: string | null;
  stacktrace: string[] | null;
}

interface SeenEvent {
  type: string;
  job: SeenJob;
}

const DAY_MS = 86_400_000;
const importData = (items = 2) => ({ project: 'C', phase: 'A', stage: '1', items, msPerItem: 1 });

/** An ERP stand-in answering every order with HTTP 500. */
function failingErp(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describe('Celery task options: expiresAt, runAt, routing, and what Flower shows of a job', () => {
  let stack: Stack;
  let erp: Awaited<ReturnType<typeof failingErp>>;
  let alice: Record<string, string>;
  /** Enqueued before any worker ran, and not started before it expired. */
  let expired: SeenJob;
  /** Enqueued before any worker ran, with an expiry far ahead. */
  let unexpired: SeenJob;

  const call = <T>(query: string, variables: Record<string, unknown>): Promise<GraphQLResponse<T>> =>
    gql<T>(stack.url, query, variables, alice);
  const ok = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    const answer = await call<T>(query, variables);
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    return answer.data!;
  };
  const enqueue = async (type: string, data: unknown, options: Record<string, unknown> = {}): Promise<SeenJob> =>
    (await ok<{ enqueue: SeenJob }>(ENQUEUE, { type, data, options })).enqueue;
  const refusal = async (type: string, data: unknown, options: Record<string, unknown>): Promise<{ code?: string; field?: string }> => {
    const answer = await call(ENQUEUE, { type, data, options });
    assert.ok(answer.errors, `refused: ${JSON.stringify(options)}`);
    return answer.errors[0].extensions ?? {};
  };
  const jobOf = async (id: string): Promise<SeenJob> => (await ok<{ job: SeenJob }>(JOB, { id })).job;
  const finished = (id: string, timeoutMs = 15_000): Promise<SeenJob> =>
    eventually(
      async () => {
        const job = await jobOf(id);
        return ['COMPLETED', 'FAILED', 'CANCELLED'].includes(job.state) && job;
      },
      timeoutMs,
      `${id} to finish`,
    );

  before(async () => {
    erp = await failingErp();
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET, SYNC_BASE_URL: erp.url } });
    alice = bearer(await token('alice', ['submitter']));
    // No worker runs: one job expires while it waits, another does not.
    const expiresAt = new Date(Date.now() + 1500);
    expired = await enqueue('helloWorld', { name: 'late' }, { expiresAt: expiresAt.toISOString(), attempts: 3 });
    unexpired = await enqueue('helloWorld', { name: 'in time' }, { expiresAt: new Date(Date.now() + DAY_MS).toISOString() });
    // The condition is the clock itself: the expiry has passed before any worker exists.
    await eventually(() => Date.now() > expiresAt.getTime() + 50, 5000, 'the expiry to pass');
    await stack.startWorker();
  });
  after(async () => {
    await stack?.close();
    erp?.server.close();
  });

  describe('expiresAt (Celery expires)', () => {
    it('fails a job not started by its expiry when a worker picks it up: FAILED, reason "expired", not run, no retry', async () => {
      assert.equal(expired.state, 'WAITING');
      assert.equal(new Date(expired.expiresAt!).getTime() > new Date(expired.createdAt).getTime(), true);
      const job = await finished(expired.id);
      assert.equal(job.state, 'FAILED');
      assert.match(job.failedReason ?? '', /^expired/);
      assert.equal(job.result, null, 'the processor did not run');
      assert.equal(job.attemptsMade, 1, 'one attempt, failed at once');
      assert.equal(job.maxAttempts, 3, 'attempts remained, and none was used: the expiry is not retried');
      assert.equal(job.nextRetryAt, null);
      assert.match(job.worker ?? '', /^.+:\d+$/, 'the worker that refused it is named');
    });

    it('runs a job picked up before its expiry', async () => {
      const job = await finished(unexpired.id);
      assert.equal(job.state, 'COMPLETED');
      assert.deepEqual(job.result, { greeting: 'Hello, in time!' });
    });

    it('refuses an expiry in the past, or before the job may run, on options.expiresAt', async () => {
      const now = Date.now();
      const cases: Record<string, unknown>[] = [
        { expiresAt: new Date(now - 1000).toISOString() },
        { expiresAt: new Date(now + 10_000).toISOString(), runAt: new Date(now + 60_000).toISOString() },
        { expiresAt: new Date(now + 10_000).toISOString(), delayMs: 60_000 },
      ];
      for (const options of cases) {
        assert.deepEqual(
          await refusal('helloWorld', {}, options),
          { code: 'BAD_USER_INPUT', field: 'options.expiresAt' },
          JSON.stringify(options),
        );
      }
    });
  });

  describe('runAt (Celery eta)', () => {
    it('runs a job at its runAt, not before, and shows when it was to run', async () => {
      const runAt = new Date(Date.now() + 3000);
      const job = await enqueue('helloWorld', { name: 'eta' }, { runAt: runAt.toISOString() });
      assert.equal(job.state, 'DELAYED');
      assert.equal(new Date(job.runAt!).getTime(), runAt.getTime(), 'runAt is shown as given');
      const client = wsClient(stack.wsUrl, { connectionParams: alice });
      const recording = record<{ jobEvents: SeenEvent }>(client, EVENTS, { id: job.id });
      await within(recording.done, 15_000, 'the watch of the eta job');
      await client.dispose();
      const events = recording.results.map((result) => result.data!.jobEvents);
      const last = events.at(-1)!;
      assert.equal(last.type, 'COMPLETED', events.map((event) => event.type).join(','));
      const startedAt = new Date(last.job.startedAt!).getTime();
      assert.ok(startedAt >= runAt.getTime(), `started ${runAt.getTime() - startedAt} ms before its runAt`);
      assert.ok(startedAt - runAt.getTime() < 2500, `started ${startedAt - runAt.getTime()} ms after its runAt`);
      assert.ok(
        !events.slice(0, -1).some((event) => event.type === 'ACTIVE' && new Date(event.job.startedAt!).getTime() < runAt.getTime()),
      );
    });

    it('accepts a runAt a year ahead (beyond what delayMs can say) and shows it', async () => {
      const runAt = new Date(Date.now() + 364 * DAY_MS);
      const job = await enqueue('helloWorld', { name: 'next year' }, { runAt: runAt.toISOString() });
      const seen = await jobOf(job.id);
      assert.equal(seen.state, 'DELAYED');
      assert.equal(new Date(seen.runAt!).getTime(), runAt.getTime());
      await ok(REMOVE, { id: job.id });
    });

    it('refuses runAt with delayMs, a runAt over 365 days ahead, and a delayMs beyond a GraphQL Int', async () => {
      const now = Date.now();
      assert.deepEqual(await refusal('helloWorld', {}, { runAt: new Date(now + 1000).toISOString(), delayMs: 1000 }), {
        code: 'BAD_USER_INPUT',
        field: 'options.runAt',
      });
      assert.deepEqual(await refusal('helloWorld', {}, { runAt: new Date(now + 366 * DAY_MS).toISOString() }), {
        code: 'BAD_USER_INPUT',
        field: 'options.runAt',
      });
      assert.equal((await refusal('helloWorld', {}, { delayMs: 2 ** 31 })).code, 'BAD_USER_INPUT');
    });
  });

  describe('what Flower shows: worker, next retry, stack trace', () => {
    it('shows the worker, the next retry while a backoff runs, and the stack of each failed attempt', async () => {
      const worker = `${hostname()}:${stack.workers[0].child.pid}`;
      const backoffMs = 4000;
      const job = await enqueue('syncExternal', { orderId: 7 }, { attempts: 2, backoff: { type: 'FIXED', delayMs: backoffMs } });
      const retrying = await eventually(
        async () => {
          const seen = await jobOf(job.id);
          return seen.state === 'DELAYED' && seen.attemptsMade === 1 && seen;
        },
        15_000,
        'the first attempt to fail',
      );
      const readAt = Date.now();
      assert.equal(retrying.worker, worker);
      assert.ok(retrying.nextRetryAt, 'a job waiting out its backoff says when it runs again');
      const next = new Date(retrying.nextRetryAt).getTime();
      assert.ok(next > new Date(retrying.startedAt!).getTime() + backoffMs - 1, `next retry ${next} too early`);
      assert.ok(next <= readAt + backoffMs, `next retry ${next - readAt} ms ahead`);
      assert.equal(retrying.stacktrace?.length, 1);
      assert.match(retrying.stacktrace[0], /HTTP 500/);
      assert.match(retrying.stacktrace[0], /\n\s+at /, 'a stack, not only the message');
      await ok(PROMOTE, { id: job.id });
      const failed = await finished(job.id);
      assert.equal(failed.state, 'FAILED');
      assert.equal(failed.nextRetryAt, null);
      assert.equal(failed.stacktrace?.length, 2, 'one stack per failed attempt');
      assert.ok(failed.stacktrace.every((trace) => trace.split('\n').length <= 31));
      assert.ok(!failed.stacktrace.join('\n').includes(TEST_JWT_SECRET));
    });

    it('keeps no stack for a job that completes, and names its worker', async () => {
      const job = await finished((await enqueue('helloWorld', {})).id);
      assert.equal(job.state, 'COMPLETED');
      assert.equal(job.stacktrace, null);
      assert.equal(job.worker, `${hostname()}:${stack.workers[0].child.pid}`);
    });

    it("scrubs the worker's secrets and URL credentials from what a failed attempt records", () => {
      const config = {
        jwtSecret: TEST_JWT_SECRET,
        metricsToken: 'metrics-token-0123456789',
        redisUrl: 'redis://user:p%40ssw0rd-long@127.0.0.1:6379',
        redisAuth: { tls: false, password: 'redis-password-1' },
        apiKeys: [{ key: 'api-key-0123456789abcdef', owner: 'svc', roles: ['submitter'] }],
      } as unknown as Config;
      const stackText = [
        `Error: failed with ${TEST_JWT_SECRET} and redis-password-1 and metrics-token-0123456789`,
        '    at call (https://bob:hunter22@erp.example/orders/1)',
        '    at key api-key-0123456789abcdef p@ssw0rd-long',
      ].join('\n');
      const clean = scrubbed(stackText, secretsOf(config));
      for (const secret of [
        TEST_JWT_SECRET,
        'redis-password-1',
        'metrics-token-0123456789',
        'hunter22',
        'api-key-0123456789abcdef',
        'p@ssw0rd-long',
      ])
        assert.ok(!clean.includes(secret), `${secret} left in:\n${clean}`);
      assert.match(clean, /https:\/\/bob:\*\*\*@erp\.example/);
    });
  });

  describe('routing at call time (Celery apply_async(queue=…))', () => {
    it('runs a job routed to a queue its type allows, lists it there for its owner, and refuses other queues', async () => {
      const job = await enqueue('importParts', importData(), { queue: 'imports-bulk' });
      assert.equal(job.queue, 'imports-bulk');
      assert.match(job.id, /^imports-bulk:/);
      const done = await finished(job.id);
      assert.equal(done.state, 'COMPLETED');
      assert.deepEqual(done.result, { imported: 2 });
      const { jobs } = await ok<{ jobs: { totalCount: number; edges: { node: { id: string } }[] } }>(LIST, { queue: 'imports-bulk' });
      assert.ok(
        jobs.edges.some((edge) => edge.node.id === job.id),
        'the owner index of the routed queue holds it',
      );
      assert.deepEqual(await refusal('helloWorld', {}, { queue: 'imports-bulk' }), { code: 'BAD_USER_INPUT', field: 'options.queue' });
      assert.deepEqual(await refusal('importParts', importData(), { queue: 'reports' }), {
        code: 'BAD_USER_INPUT',
        field: 'options.queue',
      });
      assert.deepEqual(await refusal('importParts', importData(), { queue: 'no-such-queue' }), {
        code: 'BAD_USER_INPUT',
        field: 'options.queue',
      });
      // The type's own queue, named: the same as none.
      assert.equal((await enqueue('importParts', importData(1), { queue: 'imports' })).queue, 'imports');
    });

    it('dedups per queue, and cancels a routed job', async () => {
      const held = { queue: 'imports-bulk', delayMs: 60_000, dedupKey: 'bulk-1' };
      const first = await enqueue('importParts', importData(), held);
      const again = await enqueue('importParts', importData(), held);
      assert.equal(again.id, first.id, 'the same key in the same queue returns the job');
      const elsewhere = await enqueue('importParts', importData(), { delayMs: 60_000, dedupKey: 'bulk-1' });
      assert.notEqual(elsewhere.id, first.id, 'dedup keys are per queue');
      for (const id of [first.id, elsewhere.id]) {
        const { cancelJob } = await ok<{ cancelJob: { state: string } }>(CANCEL, { id });
        assert.equal(cancelJob.state, 'CANCELLED');
      }
      // Cancelled before it started, it is gone from BullMQ: its retry is a copy, in the queue it was routed to.
      const { retryJob } = await ok<{ retryJob: { id: string; queue: string } }>(RETRY, { id: first.id });
      assert.equal(retryJob.queue, 'imports-bulk');
      assert.equal((await finished(retryJob.id)).state, 'COMPLETED');
    });

    it('routes a node of a flow', async () => {
      const flow = {
        type: 'helloWorld',
        data: { name: 'flow' },
        children: [
          { type: 'importParts', data: importData(), options: { queue: 'imports-bulk' } },
          { type: 'importParts', data: importData(3) },
        ],
      };
      const root = (await ok<{ enqueueFlow: { id: string } }>(FLOW, { flow })).enqueueFlow;
      assert.equal((await finished(root.id)).state, 'COMPLETED');
      const { job } = await ok<{ job: { children: { edges: { node: { id: string; queue: string; state: string } }[] } } }>(CHILDREN, {
        id: root.id,
      });
      const children = job.children.edges.map((edge) => edge.node);
      assert.deepEqual(children.map((child) => [child.queue, child.state]).sort(), [
        ['imports', 'COMPLETED'],
        ['imports-bulk', 'COMPLETED'],
      ]);
    });
  });
});
