import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk } from '../support/graphql';
import { PrivateRedis } from '../support/redis-server';
import { Stack } from '../support/stack';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

const PASSWORD = 'redis-s3cret-for-tests';

describe('on a Redis that requires a password (REDIS_PASSWORD)', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  before(async () => {
    redis = await PrivateRedis.start({ password: PASSWORD });
    stack = await Stack.start({ workers: 1, redisUrl: redis.url, env: { REDIS_PASSWORD: PASSWORD } });
  });
  after(async () => {
    await stack?.close();
    await redis?.destroy();
  });

  it('enqueues and runs a job, and no log line of the gateway or the worker holds the password', async () => {
    const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: {} });
    await eventually(
      async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: enqueue.id })).job.state === 'COMPLETED',
      10_000,
      'the job to complete',
    );
    for (const handle of [stack.gateway, ...stack.workers])
      assert.ok(!handle.output.some((line) => line.includes(PASSWORD)), 'a log line holds the password');
  });

  it('with a wrong password: not ready, enqueues answer UNAVAILABLE, and the log names the refusal', async () => {
    const wrong = await Stack.start({ workers: 0, redisUrl: redis.url, env: { REDIS_PASSWORD: 'not-the-password' } });
    try {
      assert.equal((await fetch(`${wrong.url}/readyz`)).status, 503);
      const response = await gql(wrong.url, ENQUEUE, { type: 'helloWorld', data: {} });
      assert.equal(response.errors?.[0].extensions?.code, 'UNAVAILABLE', JSON.stringify(response));
      assert.ok(
        wrong.gateway.output.some((line) => line.includes('Redis is not reachable yet') && line.includes('WRONGPASS')),
        wrong.gateway.output.join('\n'),
      );
    } finally {
      await wrong.close();
    }
  });
});
