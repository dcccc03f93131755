import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { CloseCode } from '../../src/server/close-codes';
import { eventually, gql, gqlOk, record, within, wsClient } from '../support/graphql';
import { PrivateRedis } from '../support/redis-server';
import { Stack } from '../support/stack';
import { withLogsOnFailure } from '../support/stack-logs';
import { ENQUEUE, HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

describe('a plain BullMQ worker', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 0 });
  });
  after(() => stack.close());

  it('processes a job enqueued through the gateway, and its progress reaches subscribers', async () => {
    const { enqueue: job } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
      type: 'helloWorld',
      data: { name: 'plain' },
      options: HELD,
    });
    const client = wsClient(stack.wsUrl);
    const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    const connection = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
    const worker = new Worker(
      'default',
      async (bullJob) => {
        await bullJob.updateProgress({ current: 1, total: 2 });
        await bullJob.updateProgress(100);
        return { by: 'plain worker', data: bullJob.data };
      },
      { connection, prefix: stack.prefix },
    );
    try {
      await within(recording.done, 10_000, 'the watch');
    } finally {
      await worker.close();
      connection.disconnect();
      await client.dispose();
    }
    const events = recording.results.map((result) => result.data!.jobEvents);
    const percents = events.filter((event) => event.type === 'PROGRESS').map((event) => event.job.progress?.percent);
    assert.deepEqual(percents, [50, 100]);
    assert.deepEqual(events.at(-1)!.job.result, { by: 'plain worker', data: { name: 'plain' } });
  });
});

describe('Redis going away and coming back', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  before(async () => {
    redis = await PrivateRedis.start();
    // SIGKILL can lose the reply to a command Redis ran and persisted: a job the worker was taking
    // is then active with nobody's lock, and runs once the lock expires and the stall check
    // returns it (README, Deploying). Short values keep that within the test's budget.
    stack = await Stack.start({
      workers: 1,
      redisUrl: redis.url,
      env: { WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' },
    });
  });
  after(async () => {
    await stack.close();
    await redis.destroy();
  });

  it('answers UNAVAILABLE within a second while Redis is down, then works again without a restart', () =>
    withLogsOnFailure(stack, async () => {
      const input = { project: 'P', phase: 'A', stage: '1', items: 1, msPerItem: 0 };
      const before = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
      await redis.stop();
      const started = Date.now();
      const down = await gql(stack.url, IMPORT_PARTS, { input });
      assert.ok(Date.now() - started < 1000, `answered in ${Date.now() - started} ms`);
      assert.equal(down.errors?.[0].extensions?.code, 'UNAVAILABLE');
      assert.doesNotMatch(JSON.stringify(down), /ECONNREFUSED|127\.0\.0\.1|stream/i);
      const ready = await fetch(`${stack.url}/readyz`);
      assert.equal(ready.status, 503);
      await redis.resume();
      const after = await eventually(
        async () => {
          const response = await gql<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
          return response.data?.importParts;
        },
        15_000,
        'an enqueue after Redis returned',
      );
      for (const id of [before.importParts.id, after.id]) {
        await eventually(
          async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id })).job?.state === 'COMPLETED',
          15_000,
          `${id} completed`,
        );
      }
      assert.equal((await fetch(`${stack.url}/readyz`)).status, 200);
    }));
});

describe('graceful shutdown of a worker', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  it('lets the active job finish on SIGTERM: the job completes and the worker exits 0', async () => {
    const input = { project: 'P', phase: 'A', stage: '1', items: 20, msPerItem: 50 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
    await eventually(
      async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: job.id })).job.state === 'ACTIVE',
      10_000,
      'the job to start',
    );
    const code = await stack.signal(stack.workers[0], 'SIGTERM');
    assert.equal(code, 0);
    const { job: done } = await gqlOk<{ job: { state: string; result: unknown } }>(stack.url, JOB, { id: job.id });
    assert.equal(done.state, 'COMPLETED');
    assert.deepEqual(done.result, { imported: 20 });
  });

  it('closes WebSockets with 1001 when the gateway gets SIGTERM', async () => {
    const { enqueue: job } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
      type: 'helloWorld',
      data: {},
      options: { delayMs: 60_000 },
    });
    const client = wsClient(stack.wsUrl);
    const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
    const closed = assert.rejects(recording.done, new RegExp(`code ${CloseCode.GoingAway}`));
    assert.equal(await stack.signal(stack.gateway, 'SIGTERM'), 0);
    await closed;
    await client.dispose();
  });
});

describe('graceful shutdown of a gateway under HTTP load', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 0, env: { NODE_ENV: 'production' } });
  });
  after(() => stack.close());

  it('exits 0 on SIGTERM while keep-alive clients keep sending requests (not killed at the end of its grace)', async () => {
    let answered = 0;
    let exited = false;
    const client = async (): Promise<void> => {
      while (!exited) {
        const response = await gql(stack.url, '{ __typename }').catch(() => null);
        if (response?.data) answered += 1;
      }
    };
    const clients = Array.from({ length: 8 }, client);
    await eventually(() => answered >= 50, 10_000, 'requests to flow');
    const code = await stack.signal(stack.gateway, 'SIGTERM');
    exited = true;
    await Promise.all(clients);
    assert.equal(code, 0);
  });
});
