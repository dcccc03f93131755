import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { enqueueContinuously } from '../support/enqueue-probe';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { withLogsOnFailure } from '../support/stack-logs';
import { PrivateSentinel } from '../support/redis-sentinel';
import { Stack } from '../support/stack';
import { HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

describe('on Redis Sentinel (master, replica, one sentinel)', () => {
  let sentinel: PrivateSentinel;
  let stack: Stack;
  before(async () => {
    sentinel = await PrivateSentinel.start();
    stack = await Stack.start({ workers: 1, env: { REDIS_SENTINELS: sentinel.sentinels, REDIS_SENTINEL_NAME: sentinel.name } });
  });
  after(async () => {
    await stack?.close();
    await sentinel?.destroy();
  });

  // The master is killed once its replica has everything it acknowledged (writes paused, replica
  // caught up): replication is asynchronous, and what this case measures is the gateway's part.
  it('works through the master the sentinel names, and follows it to the replica when it dies', () =>
    withLogsOnFailure(stack, async () => {
      const input = { project: 'S', phase: 'A', stage: '1', items: 60, msPerItem: 100 };
      const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
      const client = wsClient(stack.wsUrl);
      const watch = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
      await eventually(() => watch.results.length > 0, 5000, 'the snapshot');
      await gqlOk(stack.url, PROMOTE, { id: job.id });
      await eventually(() => watch.results.length >= 5, 5000, 'some progress');

      const master = await sentinel.masterPort();
      const probe = enqueueContinuously(stack);
      // The kill comes once enqueues are being acknowledged, so the loop measures a real outage.
      await eventually(() => probe.acknowledged.length >= 5, 10_000, 'enqueues before the kill');
      const killedAt = Date.now();
      await sentinel.killInSync(master);
      await sentinel.until(
        async () => (await sentinel.masterPort().catch(() => master)) !== master,
        20_000,
        'the sentinel to promote the replica',
      );
      const promotedAfter = Date.now() - killedAt;
      const before = probe.acknowledged.length;
      await eventually(() => probe.acknowledged.length >= before + 20, 15_000, 'enqueues to succeed again');
      await within(probe.stop(), 15_000, 'the enqueue loop');

      const { acknowledged, refusals } = probe;
      assert.deepEqual(
        [...new Set(refusals.map((refusal) => refusal.code))].filter((code) => code !== 'UNAVAILABLE'),
        [],
        'refusals are UNAVAILABLE only',
      );
      process.stdout.write(
        `# sentinel failover: replica promoted ${promotedAfter} ms after the kill; no enqueue succeeded for ${probe.longestGapMs} ms; ` +
          `${refusals.length} UNAVAILABLE, ${acknowledged.length} acknowledged, slowest answer ${probe.slowestMs} ms\n`,
      );
      for (const id of acknowledged) {
        await eventually(
          async () => (await gqlOk<{ job: { state: string } | null }>(stack.url, JOB, { id })).job?.state === 'COMPLETED',
          20_000,
          `${id} to complete`,
        );
      }
      await within(watch.done, 30_000, 'the watch across the failover');
      await client.dispose();
      assert.equal(watch.results.at(-1)!.data!.jobEvents.type, 'COMPLETED');
    }));
});

describe('on Redis Sentinel where the master and the sentinel want passwords', () => {
  const passwords = { redis: 'master-s3cret', sentinel: 'sentinel-s3cret' };
  let sentinel: PrivateSentinel;
  let stack: Stack;
  before(async () => {
    sentinel = await PrivateSentinel.start(passwords);
    stack = await Stack.start({
      workers: 1,
      env: {
        REDIS_SENTINELS: sentinel.sentinels,
        REDIS_SENTINEL_NAME: sentinel.name,
        REDIS_PASSWORD: passwords.redis,
        REDIS_SENTINEL_PASSWORD: passwords.sentinel,
      },
    });
  });
  after(async () => {
    await stack?.close();
    await sentinel?.destroy();
  });

  it('finds the master with REDIS_SENTINEL_PASSWORD and runs a job on it with REDIS_PASSWORD', async () => {
    const input = { project: 'S', phase: 'B', stage: '1', items: 3, msPerItem: 10 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
    await eventually(
      async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: job.id })).job.state === 'COMPLETED',
      10_000,
      'the job to complete',
    );
    for (const handle of [stack.gateway, ...stack.workers]) {
      assert.ok(
        !handle.output.some((line) => line.includes(passwords.redis) || line.includes(passwords.sentinel)),
        'a log line holds a password',
      );
    }
  });
});

describe('on Redis Sentinel where the sentinel, the master and replication speak TLS', () => {
  let sentinel: PrivateSentinel;
  let stack: Stack;
  before(async () => {
    sentinel = await PrivateSentinel.start({}, { tls: true });
    stack = await Stack.start({
      workers: 1,
      env: {
        REDIS_SENTINELS: sentinel.sentinels,
        REDIS_SENTINEL_NAME: sentinel.name,
        REDIS_TLS: '1',
        NODE_EXTRA_CA_CERTS: sentinel.caFile,
      },
    });
  });
  after(async () => {
    await stack?.close();
    await sentinel?.destroy();
  });

  it('asks the sentinel over TLS for the master and runs a job on it over TLS (REDIS_TLS=1)', async () => {
    const input = { project: 'S', phase: 'T', stage: '1', items: 3, msPerItem: 10 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
    await eventually(
      async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: job.id })).job.state === 'COMPLETED',
      10_000,
      'the job to complete',
    );
  });
});
