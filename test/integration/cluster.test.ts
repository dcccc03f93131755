import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import IORedis from 'ioredis';
import { PrivateCluster } from '../support/redis-cluster';
import { withLogsOnFailure } from '../support/stack-logs';
import { enqueueContinuously } from '../support/enqueue-probe';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { assertResumedWithoutLoss } from '../support/resume';
import { Stack } from '../support/stack';
import { HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

const CANCEL = `mutation ($id: ID!) { cancelJob(id: $id) { id state } }`;
const SCHEDULES = `{ schedules { id lastJobId } }`;
const eventsOf = (results: { data?: JobEventPayload | null }[]) => results.map((result) => result.data!.jobEvents);
const stateOf = async (stack: Stack, id: string): Promise<string | undefined> =>
  (await gqlOk<{ job: { state: string } | null }>(stack.url, JOB, { id })).job?.state;
const importParts = async (stack: Stack, items: number, msPerItem: number, options: Record<string, unknown> = {}): Promise<EnqueuedJob> =>
  (
    await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, {
      input: { project: 'C', phase: 'A', stage: '1', items, msPerItem },
      options,
    })
  ).importParts;

/** Every node of the cluster requires this user for data (see {@link PrivateCluster.requireUser}). */
const REDIS_USER = { name: 'jobgate', password: 'cluster-s3cret' };

describe('on a Redis Cluster (3 masters, 3 replicas) that requires a user', () => {
  let cluster: PrivateCluster;
  let stack: Stack;
  before(async () => {
    cluster = await PrivateCluster.start();
    await cluster.requireUser(REDIS_USER.name, REDIS_USER.password);
    stack = await Stack.start({
      workers: 1,
      env: { REDIS_URL: `redis+cluster://${REDIS_USER.name}:${REDIS_USER.password}@${cluster.seeds}` },
    });
  });
  after(async () => {
    await stack?.close();
    await cluster?.destroy();
  });

  it('gives every queue its own hash slot, spread over the masters; enqueueMany spans them', async () => {
    const ENQUEUE_MANY = `mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }`;
    const jobs = [
      { type: 'helloWorld', data: {} },
      { type: 'importParts', data: { project: 'C', phase: 'A', stage: '1', items: 1, msPerItem: 0 } },
    ];
    const { enqueueMany } = await gqlOk<{ enqueueMany: { id: string }[] }>(stack.url, ENQUEUE_MANY, { jobs: [...jobs, ...jobs] });
    for (const { id } of enqueueMany) await eventually(async () => (await stateOf(stack, id)) === 'COMPLETED', 10_000, `${id} to complete`);
    const client = new IORedis({ port: cluster.nodes[0].port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
    try {
      const slotOf = async (key: string): Promise<number> => Number(await client.cluster('KEYSLOT', key));
      const [imports, defaults] = [
        await slotOf(`${stack.prefix}:{imports}:imports:id`),
        await slotOf(`${stack.prefix}:{default}:default:id`),
      ];
      assert.notEqual(imports, defaults);
      assert.equal(await slotOf(`${stack.prefix}:{imports}:imports:events`), imports, 'a queue keeps all its keys in one slot');
      const masters = new Set<number>();
      for (const queue of ['imports', 'reports', 'integrations', 'maintenance', 'default'])
        masters.add(await cluster.masterOf(`{${queue}}`));
      assert.ok(masters.size > 1, 'queues live on more than one master');
    } finally {
      client.disconnect();
    }
  });

  it('streams a job, and a watch resumed with since equals an uninterrupted one', async () => {
    const job = await importParts(stack, 30, 20, HELD);
    const [reference, interrupted] = [wsClient(stack.wsUrl), wsClient(stack.wsUrl)];
    const whole = record<JobEventPayload>(reference, JOB_EVENTS, { id: job.id });
    const firstHalf = record<JobEventPayload>(interrupted, JOB_EVENTS, { id: job.id });
    await eventually(() => whole.results.length > 0 && firstHalf.results.length > 0, 5000, 'both snapshots');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    await eventually(() => firstHalf.results.length >= 5, 5000, 'some progress');
    firstHalf.stop();
    await interrupted.dispose();
    const seen = eventsOf(firstHalf.results);
    const resumedClient = wsClient(stack.wsUrl);
    const secondHalf = record<JobEventPayload>(resumedClient, JOB_EVENTS, { id: job.id, since: seen.at(-1)!.cursor });
    await within(Promise.all([whole.done, secondHalf.done]), 15_000, 'both watches');
    await Promise.all([reference.dispose(), resumedClient.dispose()]);
    assert.equal(eventsOf(whole.results).at(-1)!.type, 'COMPLETED');
    assertResumedWithoutLoss(eventsOf(whole.results), seen, eventsOf(secondHalf.results), 'resume on a cluster');
  });

  it('cancels a waiting job and an active one (the signal crosses the cluster bus)', async () => {
    const waiting = await importParts(stack, 3, 0, HELD);
    assert.equal((await gqlOk<{ cancelJob: { state: string } }>(stack.url, CANCEL, { id: waiting.id })).cancelJob.state, 'CANCELLED');
    assert.equal(await stateOf(stack, waiting.id), 'CANCELLED');
    const active = await importParts(stack, 200, 50);
    const client = wsClient(stack.wsUrl);
    const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: active.id });
    await eventually(() => recording.results.some((result) => result.data?.jobEvents.type === 'PROGRESS'), 10_000, 'progress');
    await gqlOk(stack.url, CANCEL, { id: active.id });
    await within(recording.done, 2000, 'the CANCELLED event');
    await client.dispose();
    assert.equal(recording.results.at(-1)!.data!.jobEvents.type, 'CANCELLED');
  });

  it('runs a schedule every second, and deduplicates by key', async () => {
    const UPSERT = `mutation ($schedule: ScheduleInput!) { upsertSchedule(schedule: $schedule) { id } }`;
    await gqlOk(stack.url, UPSERT, { schedule: { id: 'cluster-beat', type: 'helloWorld', everyMs: 1000, data: { name: 'beat' } } });
    const started = await eventually(
      async () => {
        const { schedules } = await gqlOk<{ schedules: { id: string; lastJobId: string | null }[] }>(stack.url, SCHEDULES);
        return schedules.find((schedule) => schedule.id === 'cluster-beat')?.lastJobId;
      },
      10_000,
      'a scheduled job',
    );
    await eventually(async () => (await stateOf(stack, started)) === 'COMPLETED', 10_000, 'the scheduled job');
    assert.equal(
      (await gqlOk<{ removeSchedule: boolean }>(stack.url, `mutation { removeSchedule(id: "cluster-beat") }`)).removeSchedule,
      true,
    );
    const options = { ...HELD, dedupKey: 'cluster-dedup' };
    const first = await importParts(stack, 1, 0, options);
    const second = await importParts(stack, 2, 0, options);
    assert.equal(second.id, first.id);
  });

  // The master is killed once its replica has everything it acknowledged (writes paused, replica
  // caught up): replication is asynchronous, and what this case measures is the gateway's part.
  it('survives the failover of a master: UNAVAILABLE for a moment, no acknowledged job lost, watches go on and resume', () =>
    withLogsOnFailure(stack, async () => {
      const victim = await cluster.masterOf('{imports}');
      const job = await importParts(stack, 80, 100, HELD);
      const [live, interrupted] = [wsClient(stack.wsUrl), wsClient(stack.wsUrl)];
      const whole = record<JobEventPayload>(live, JOB_EVENTS, { id: job.id });
      const firstHalf = record<JobEventPayload>(interrupted, JOB_EVENTS, { id: job.id });
      await eventually(() => whole.results.length > 0 && firstHalf.results.length > 0, 5000, 'both snapshots');
      await gqlOk(stack.url, PROMOTE, { id: job.id });
      await eventually(() => firstHalf.results.length >= 5, 5000, 'some progress');
      firstHalf.stop();
      await interrupted.dispose();

      const probe = enqueueContinuously(stack);
      // The kill comes once enqueues are being acknowledged, so the loop measures a real outage.
      await eventually(() => probe.acknowledged.length >= 5, 10_000, 'enqueues before the kill');
      const killedAt = Date.now();
      await cluster.killInSync(victim);
      await cluster.until(() => cluster.healthy(), 40_000, 'a replica to take over');
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
      assert.ok(probe.slowestMs < 5000, `no enqueue waits out the failover (slowest: ${probe.slowestMs} ms)`);
      process.stdout.write(
        `# failover: replica promoted ${promotedAfter} ms after the kill; no enqueue succeeded for ${probe.longestGapMs} ms; ` +
          `${refusals.length} UNAVAILABLE, ${acknowledged.length} acknowledged, slowest answer ${probe.slowestMs} ms\n`,
      );
      for (const id of acknowledged) await eventually(async () => (await stateOf(stack, id)) === 'COMPLETED', 20_000, `${id} to complete`);

      const resumedClient = wsClient(stack.wsUrl);
      const secondHalf = record<JobEventPayload>(resumedClient, JOB_EVENTS, {
        id: job.id,
        since: eventsOf(firstHalf.results).at(-1)!.cursor,
      });
      await within(Promise.all([whole.done, secondHalf.done]), 30_000, 'the live and the resumed watch');
      await Promise.all([live.dispose(), resumedClient.dispose()]);
      assert.equal(eventsOf(whole.results).at(-1)!.type, 'COMPLETED');
      assertResumedWithoutLoss(
        eventsOf(whole.results),
        eventsOf(firstHalf.results),
        eventsOf(secondHalf.results),
        'resume across a failover',
      );

      const active = await importParts(stack, 200, 50);
      const client = wsClient(stack.wsUrl);
      const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: active.id });
      await eventually(
        () => recording.results.some((result) => result.data?.jobEvents.type === 'PROGRESS'),
        10_000,
        'progress after the failover',
      );
      await gqlOk(stack.url, CANCEL, { id: active.id });
      await within(recording.done, 2000, 'a cancellation after the failover');
      await client.dispose();
      assert.equal(recording.results.at(-1)!.data!.jobEvents.type, 'CANCELLED');
    }));
});
