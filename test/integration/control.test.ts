import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, IMPORT_PARTS, JOB, PROMOTE, type EnqueuedJob } from './operations';

const stateOf = async (stack: Stack, id: string): Promise<string | undefined> =>
  (await gqlOk<{ job: { state: string } | null }>(stack.url, JOB, { id })).job?.state;
const hello = async (stack: Stack, options: Record<string, unknown> = {}): Promise<EnqueuedJob> =>
  (await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: { name: 'c' }, options })).enqueue;
const failing = async (stack: Stack): Promise<EnqueuedJob> =>
  (
    await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
      type: 'syncExternal',
      data: { orderId: 7, url: 'http://127.0.0.1:9/unreachable' },
      options: { attempts: 1 },
    })
  ).enqueue;
/**
 * A bounded negative check: how long a job of a paused queue must stay WAITING. An idle worker
 * picks up a job within tens of ms, so a job still waiting after this was not run.
 */
const PAUSED_QUIET_MS = 700;

describe('job and queue control', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  it('promotes a delayed job, removes a waiting one, refuses to promote a finished one', async () => {
    const delayed = await hello(stack, HELD);
    assert.equal(delayed.state, 'DELAYED');
    await gqlOk(stack.url, PROMOTE, { id: delayed.id });
    await eventually(async () => (await stateOf(stack, delayed.id)) === 'COMPLETED', 10_000, 'the promoted job');
    const again = await gql(stack.url, PROMOTE, { id: delayed.id });
    assert.equal(again.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    const doomed = await hello(stack, HELD);
    await gqlOk(stack.url, `mutation ($id: ID!) { removeJob(id: $id) { id } }`, { id: doomed.id });
    assert.equal(await stateOf(stack, doomed.id), undefined);
  });

  it('runs nothing from a paused queue until it is resumed', async () => {
    await gqlOk(stack.url, `mutation { pauseQueue(queue: "default") }`);
    const job = await hello(stack);
    // Nothing to wait on: the check is that nothing happens for a while.
    await new Promise((resolve) => setTimeout(resolve, PAUSED_QUIET_MS));
    assert.equal(await stateOf(stack, job.id), 'WAITING');
    await gqlOk(stack.url, `mutation { resumeQueue(queue: "default") }`);
    await eventually(async () => (await stateOf(stack, job.id)) === 'COMPLETED', 10_000, 'the job after resume');
  });

  it('drains waiting jobs, cleans finished ones, retries failed ones', async () => {
    await gqlOk(stack.url, `mutation { pauseQueue(queue: "default") }`);
    const waiting = await Promise.all([hello(stack), hello(stack)]);
    await gqlOk(stack.url, `mutation { drainQueue(queue: "default") }`);
    for (const job of waiting) assert.equal(await stateOf(stack, job.id), undefined);
    await gqlOk(stack.url, `mutation { resumeQueue(queue: "default") }`);

    const failed = await failing(stack);
    await eventually(async () => (await stateOf(stack, failed.id)) === 'FAILED', 10_000, 'the failure');
    const { retryFailed } = await gqlOk<{ retryFailed: number }>(stack.url, `mutation { retryFailed(queue: "integrations", limit: 10) }`);
    assert.equal(retryFailed, 1);
    await eventually(async () => (await stateOf(stack, failed.id)) === 'FAILED', 10_000, 'the second failure');
    const { cleanQueue } = await gqlOk<{ cleanQueue: number }>(
      stack.url,
      `mutation { cleanQueue(queue: "integrations", state: FAILED, olderThanSeconds: 0) }`,
    );
    assert.equal(cleanQueue, 1);
    assert.equal(await stateOf(stack, failed.id), undefined);
    const refused = await gql(stack.url, `mutation { cleanQueue(queue: "integrations", state: ACTIVE, olderThanSeconds: 0) }`);
    assert.equal(refused.errors?.[0].extensions?.field, 'state');
  });

  it('leaves jobs cancelled while running out of retryFailed', async () => {
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, {
      input: { project: 'c', phase: 'p', stage: 's', items: 1000, msPerItem: 20 },
    });
    await eventually(async () => (await stateOf(stack, job.id)) === 'ACTIVE', 10_000, 'the job running');
    await gqlOk(stack.url, `mutation ($id: ID!) { cancelJob(id: $id) { id } }`, { id: job.id });
    await eventually(async () => (await stateOf(stack, job.id)) === 'CANCELLED', 10_000, 'the cancellation');
    const { retryFailed } = await gqlOk<{ retryFailed: number }>(stack.url, `mutation { retryFailed(queue: "imports", limit: 10) }`);
    assert.equal(retryFailed, 0);
    assert.equal(await stateOf(stack, job.id), 'CANCELLED');
  });
});

describe('schedules', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  const SCHEDULES = `{ schedules { id type queue cron everyMs timeZone nextRunAt lastJobId } }`;
  type Schedule = {
    id: string;
    type: string;
    cron: string | null;
    timeZone: string | null;
    nextRunAt: string | null;
    lastJobId: string | null;
  };

  it('has the declared daily cleanup, once, however many gateways started', async () => {
    const second = new Stack({ prefix: stack.prefix });
    await Promise.all([second.startGateway(), second.startWorker()]);
    try {
      const { schedules } = await gqlOk<{ schedules: Schedule[] }>(stack.url, SCHEDULES);
      const daily = schedules.filter((schedule) => schedule.id === 'cleanupFiles-daily');
      assert.equal(daily.length, 1);
      assert.equal(daily[0].cron, '0 2 * * *');
      assert.equal(daily[0].timeZone, 'America/Sao_Paulo');
      assert.ok(daily[0].nextRunAt);
    } finally {
      await Promise.all([second.signal(second.gateway, 'SIGKILL'), ...second.workers.map((worker) => second.signal(worker, 'SIGKILL'))]);
    }
  });

  it('runs a schedule every second until it is removed', async () => {
    const UPSERT = `mutation ($schedule: ScheduleInput!) { upsertSchedule(schedule: $schedule) { id nextRunAt } }`;
    await gqlOk(stack.url, UPSERT, { schedule: { id: 'hello-every-second', type: 'helloWorld', everyMs: 1000, data: { name: 'beat' } } });
    const started = await eventually(
      async () => {
        const { schedules } = await gqlOk<{ schedules: Schedule[] }>(stack.url, SCHEDULES);
        return schedules.find((schedule) => schedule.id === 'hello-every-second')?.lastJobId;
      },
      10_000,
      'a scheduled job',
    );
    assert.match(started, /^default:/);
    const { removeSchedule } = await gqlOk<{ removeSchedule: boolean }>(stack.url, `mutation { removeSchedule(id: "hello-every-second") }`);
    assert.equal(removeSchedule, true);
    const { schedules } = await gqlOk<{ schedules: Schedule[] }>(stack.url, SCHEDULES);
    assert.ok(!schedules.some((schedule) => schedule.id === 'hello-every-second'));
  });

  it("refuses to cancel or remove a schedule's next run, naming removeSchedule, and writes nothing", async () => {
    await gqlOk(stack.url, `mutation ($schedule: ScheduleInput!) { upsertSchedule(schedule: $schedule) { id } }`, {
      schedule: { id: 'new-year', type: 'helloWorld', cron: '0 0 1 1 *', data: {} },
    });
    try {
      const next = await eventually(
        async () => {
          const { jobs } = await gqlOk<{ jobs: { edges: { node: { id: string } }[] } }>(
            stack.url,
            `{ jobs(queue: "default", states: [DELAYED], first: 50) { edges { node { id } } } }`,
          );
          return jobs.edges.map((edge) => edge.node.id).find((id) => id.startsWith('default:repeat:new-year:'));
        },
        10_000,
        "the schedule's next run",
      );
      for (const mutation of ['cancelJob', 'removeJob']) {
        const response = await gql(stack.url, `mutation ($id: ID!) { ${mutation}(id: $id) { id } }`, { id: next });
        assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${mutation}: ${JSON.stringify(response)}`);
        assert.match(response.errors?.[0]?.message ?? '', /removeSchedule\(id: "new-year"\)/);
        assert.equal(await stateOf(stack, next), 'DELAYED', `${mutation} wrote nothing`);
      }
    } finally {
      await gqlOk(stack.url, `mutation { removeSchedule(id: "new-year") }`);
    }
  });

  for (const [what, schedule, field] of [
    ['an invalid cron', { id: 'x', type: 'helloWorld', cron: '61 * * * *' }, 'cron'],
    ['an invalid time zone', { id: 'x', type: 'helloWorld', cron: '0 * * * *', timeZone: 'Mars/Olympus' }, 'timeZone'],
    ['both cron and everyMs', { id: 'x', type: 'helloWorld', cron: '0 * * * *', everyMs: 5000 }, 'cron'],
    ['invalid data', { id: 'x', type: 'importParts', everyMs: 5000, data: { items: 3 } }, 'data.project'],
  ] as const) {
    it(`refuses ${what} with BAD_USER_INPUT on ${field}`, async () => {
      const response = await gql(stack.url, `mutation ($schedule: ScheduleInput!) { upsertSchedule(schedule: $schedule) { id } }`, {
        schedule,
      });
      assert.equal(response.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response));
      assert.equal(response.errors?.[0].extensions?.field, field);
    });
  }
});
