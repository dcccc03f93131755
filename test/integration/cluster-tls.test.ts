import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PrivateCluster } from '../support/redis-cluster';
import { eventually, gqlOk, record, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

const ENQUEUE_MANY = `mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }`;

describe('on a Redis Cluster that speaks TLS (clients and cluster bus)', () => {
  let cluster: PrivateCluster;
  let stack: Stack;
  before(async () => {
    cluster = await PrivateCluster.start(1000, { tls: true });
    stack = await Stack.start({ workers: 1, env: { REDIS_URL: `rediss+cluster://${cluster.seeds}`, NODE_EXTRA_CA_CERTS: cluster.caFile } });
  });
  after(async () => {
    await stack?.close();
    await cluster?.destroy();
  });

  it('runs jobs of queues on different masters, and streams a job to COMPLETED over WebSocket', async () => {
    // Queues `default` and `maintenance` hash to slots of different masters (5718 and 2705).
    const jobs = [
      { type: 'helloWorld', data: {} },
      { type: 'cleanupFiles', data: { olderThanDays: 36500 } },
    ];
    const { enqueueMany } = await gqlOk<{ enqueueMany: { id: string }[] }>(stack.url, ENQUEUE_MANY, { jobs });
    for (const { id } of enqueueMany) {
      await eventually(
        async () => (await gqlOk<{ job: { state: string } | null }>(stack.url, JOB, { id })).job?.state === 'COMPLETED',
        10_000,
        `${id} to complete`,
      );
    }
    assert.ok(
      new Set([await cluster.masterOf('{default}'), await cluster.masterOf('{maintenance}')]).size > 1,
      'the two queues live on different masters',
    );

    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, {
      input: { project: 'C', phase: 'A', stage: '1', items: 5, msPerItem: 20 },
      options: HELD,
    });
    const client = wsClient(stack.wsUrl);
    try {
      const watch = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
      await eventually(() => watch.results.length > 0, 5000, 'the snapshot');
      await gqlOk(stack.url, PROMOTE, { id: job.id });
      await watch.done;
      const types = watch.results.map((result) => result.data?.jobEvents.type);
      assert.equal(types[0], 'SNAPSHOT');
      assert.ok(types.includes('PROGRESS'), types.join(' '));
      assert.equal(types.at(-1), 'COMPLETED', types.join(' '));
    } finally {
      await client.dispose();
    }
  });
});
