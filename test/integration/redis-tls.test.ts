import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk } from '../support/graphql';
import { PrivateRedis } from '../support/redis-server';
import { Stack } from '../support/stack';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

describe('on a Redis that speaks TLS only', () => {
  let redis: PrivateRedis;
  before(async () => {
    redis = await PrivateRedis.start({ tls: true });
  });
  after(async () => {
    await redis?.destroy();
  });

  it('runs a job through a rediss:// URL when Node trusts the certificate (NODE_EXTRA_CA_CERTS)', async () => {
    const stack = await Stack.start({ workers: 1, redisUrl: redis.url, env: { NODE_EXTRA_CA_CERTS: redis.caFile } });
    try {
      const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: {} });
      await eventually(
        async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: enqueue.id })).job.state === 'COMPLETED',
        10_000,
        'the job to complete',
      );
    } finally {
      await stack.close();
    }
  });

  it('speaks TLS on a redis:// URL with REDIS_TLS=1', async () => {
    const stack = await Stack.start({
      workers: 0,
      redisUrl: redis.url.replace(/^rediss:/, 'redis:'),
      env: { REDIS_TLS: '1', NODE_EXTRA_CA_CERTS: redis.caFile },
    });
    try {
      assert.equal((await fetch(`${stack.url}/readyz`)).status, 200);
      const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: {} });
      assert.equal(enqueue.state, 'WAITING');
    } finally {
      await stack.close();
    }
  });

  it('without trusting the certificate: not ready, enqueues answer UNAVAILABLE, and the log names the certificate', async () => {
    const untrusted = await Stack.start({ workers: 0, redisUrl: redis.url });
    try {
      assert.equal((await fetch(`${untrusted.url}/readyz`)).status, 503);
      const response = await gql(untrusted.url, ENQUEUE, { type: 'helloWorld', data: {} });
      assert.equal(response.errors?.[0].extensions?.code, 'UNAVAILABLE', JSON.stringify(response));
      assert.ok(
        untrusted.gateway.output.some((line) => line.includes('Redis is not reachable yet') && line.includes('self-signed certificate')),
        untrusted.gateway.output.join('\n'),
      );
    } finally {
      await untrusted.close();
    }
  });
});
