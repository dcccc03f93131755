import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import IORedis from 'ioredis';
import { eventually, gql } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, HELD, type EnqueuedJob } from './operations';

/** What the Job page reads of a job beside its basic fields. */
const DETAILS = `query ($id: ID!) { job(id: $id) {
  id type state owner options logs
  logEntries { at attempt message }
  attempts { number startedAt finishedAt outcome error }
} }`;

interface Details {
  id: string;
  type: string;
  state: string;
  owner: string | null;
  options: Record<string, unknown>;
  logs: string[];
  logEntries: { at: string | null; attempt: number | null; message: string }[];
  attempts: { number: number; startedAt: string | null; finishedAt: string | null; outcome: string; error: string | null }[];
}

/** An ERP stand-in: order 1 fails with a 500 on its first call and succeeds on the next. */
function erp(): Promise<{ server: Server; origin: string }> {
  let calls = 0;
  const server = createServer((_request, response) => {
    calls++;
    response.writeHead(calls === 1 ? 500 : 200, { 'content-type': 'application/json' });
    response.end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

describe('Job details: owner, options, stamped logs, attempts', () => {
  let stack: Stack;
  let server: Awaited<ReturnType<typeof erp>>;
  let ana: string;
  let bia: string;
  let viewer: string;

  before(async () => {
    server = await erp();
    stack = await Stack.start({ workers: 1, env: { JWT_SECRET: TEST_JWT_SECRET, SYNC_ALLOWED_ORIGINS: server.origin } });
    [ana, bia, viewer] = await Promise.all([token('ana', ['submitter']), token('bia', ['submitter']), token('val', ['viewer'])]);
  });
  after(async () => {
    await stack?.close();
    server?.server.close();
  });

  const read = async (credential: string, id: string): Promise<Details | null> => {
    const response = await gql<{ job: Details | null }>(stack.url, DETAILS, { id }, bearer(credential));
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    return response.data!.job;
  };

  const enqueue = async (credential: string, type: string, data: unknown, options: unknown): Promise<EnqueuedJob> => {
    const response = await gql<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type, data, options }, bearer(credential));
    assert.ok(response.data?.enqueue, JSON.stringify(response.errors));
    return response.data.enqueue;
  };

  it('a job that failed once then succeeded: its attempts timeline, and log lines stamped with time and attempt', async () => {
    const startedAt = Date.now();
    const job = await enqueue(
      ana,
      'syncExternal',
      { orderId: 1, url: `${server.origin}/orders/1` },
      {
        attempts: 2,
        priority: 7,
        backoff: { type: 'FIXED', delayMs: 50 },
      },
    );
    const done = await eventually(
      async () => {
        const details = await read(ana, job.id);
        return details?.state === 'COMPLETED' || details?.state === 'FAILED' ? details : undefined;
      },
      20_000,
      'the job to finish',
    );
    assert.equal(done.state, 'COMPLETED');
    assert.equal(done.owner, 'jwt:ana');
    assert.deepEqual(done.options, { queue: 'integrations', attempts: 2, priority: 7, backoff: { type: 'FIXED', delayMs: 50 } });

    assert.deepEqual(
      done.attempts.map(({ number, outcome }) => [number, outcome]),
      [
        [1, 'FAILED'],
        [2, 'COMPLETED'],
      ],
    );
    const [first, second] = done.attempts;
    assert.match(first.error ?? '', /500/);
    assert.equal(second.error, null);
    const times = [first.startedAt, first.finishedAt, second.startedAt, second.finishedAt].map((at) => Date.parse(at ?? ''));
    assert.deepEqual(
      [...times].sort((a, b) => a - b),
      times,
      `attempt times out of order: ${JSON.stringify(done.attempts)}`,
    );
    assert.ok(times[0] >= startedAt - 1000 && times[3] <= Date.now() + 1000, 'attempt times within the test');

    assert.deepEqual(
      done.logEntries.map((entry) => entry.message),
      done.logs,
      'logs keeps the messages, without their stamp',
    );
    assert.deepEqual([...new Set(done.logEntries.map((entry) => entry.attempt))], [1, 2], JSON.stringify(done.logEntries));
    assert.ok(
      done.logEntries.some((entry) => entry.attempt === 1 && /failed: next attempt in/.test(entry.message)),
      'the retry delay, in attempt 1',
    );
    for (const entry of done.logEntries) {
      const at = Date.parse(entry.at ?? '');
      assert.ok(at >= startedAt - 1000 && at <= Date.now() + 1000, `log line time ${entry.at}`);
    }
  });

  it('shows the owner to the owner and to a viewer, and the job to no other submitter', async () => {
    const job = await enqueue(ana, 'helloWorld', {}, HELD);
    assert.equal((await read(ana, job.id))?.owner, 'jwt:ana');
    assert.equal((await read(viewer, job.id))?.owner, 'jwt:ana');
    assert.equal(await read(bia, job.id), null);
  });

  it("enqueues a job again from another job's options, to the same options", async () => {
    const original = await enqueue(
      ana,
      'importParts',
      { project: 'p', phase: 'f', stage: 's', items: 1 },
      {
        ...HELD,
        attempts: 4,
        priority: 3,
        backoff: { type: 'EXPONENTIAL', delayMs: 200, maxDelayMs: 5000, jitter: 0.5 },
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    );
    const options = (await read(ana, original.id))!.options;
    assert.equal(options.delayMs, HELD.delayMs);
    const copy = await enqueue(ana, 'importParts', { project: 'p', phase: 'f', stage: 's', items: 1 }, options);
    assert.deepEqual((await read(ana, copy.id))!.options, options);
  });

  it('reads a plain log line (written before lines were stamped) as a message without time or attempt', async () => {
    const job = await enqueue(ana, 'helloWorld', {}, HELD);
    const redis = new IORedis(stack.redisUrl);
    try {
      const [queue, jobId] = job.id.split(':');
      await redis.rpush(`${stack.prefix}:${queue}:${jobId}:logs`, 'a plain line');
    } finally {
      redis.disconnect();
    }
    const details = await read(ana, job.id);
    assert.deepEqual(details?.logEntries, [{ at: null, attempt: null, message: 'a plain line' }]);
    assert.deepEqual(details?.logs, ['a plain line']);
    assert.deepEqual(details?.attempts, [], 'a job that never ran has no attempts');
  });

  it('refuses a negative or too large `last`', async () => {
    const job = await enqueue(ana, 'helloWorld', {}, HELD);
    const response = await gql(
      stack.url,
      `query ($id: ID!) { job(id: $id) { logEntries(last: 5000) { message } } }`,
      { id: job.id },
      bearer(ana),
    );
    assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});
