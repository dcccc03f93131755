import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CronExpressionParser } from 'cron-parser';
import IORedis from 'ioredis';
import { eventually, gql, gqlOk, record, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { HELD, JOB, JOB_EVENTS, PROMOTE } from './operations';

const SCHEDULES = `{ schedules { id type queue cron everyMs timeZone nextRunAt lastJobId } }`;
interface Schedule {
  id: string;
  type: string;
  queue: string;
  cron: string | null;
  everyMs: number | null;
  timeZone: string | null;
  nextRunAt: string | null;
  lastJobId: string | null;
}
interface Job {
  id: string;
  state: string;
  result: Record<string, unknown> | null;
  progress: { percent: number; current: number | null; total: number | null } | null;
}

/** The seed's five beat entries, as the example declares them. */
const FLEET_SCHEDULES = [
  { id: 'fleet-cleanup-old-positions', type: 'cleanupOldPositions', queue: 'cleanup', everyMs: 3_600_000 },
  { id: 'fleet-cleanup-old-events', type: 'cleanupOldEvents', queue: 'cleanup', everyMs: 3_600_000 },
  { id: 'fleet-cleanup-expired-sessions', type: 'cleanupExpiredSessions', queue: 'cleanup', everyMs: 1_800_000 },
  { id: 'fleet-daily-reports', type: 'generateDailyReports', queue: 'fleet-reports', cron: '0 0 * * *' },
  { id: 'fleet-position-batch', type: 'processPositionBatch', queue: 'positions', everyMs: 30_000 },
];
const FLEET_QUEUES = ['positions', 'fleet-reports', 'cleanup', 'notifications'];
const TIME_ZONE = 'America/Sao_Paulo';

const schedulesOf = async (stack: Stack): Promise<Schedule[]> => (await gqlOk<{ schedules: Schedule[] }>(stack.url, SCHEDULES)).schedules;
const jobOf = async (stack: Stack, id: string): Promise<Job | null> => (await gqlOk<{ job: Job | null }>(stack.url, JOB, { id })).job;
/** The job once it has ended, COMPLETED or FAILED. */
const finished = (stack: Stack, id: string): Promise<Job> =>
  eventually(
    async () => {
      const job = await jobOf(stack, id);
      return job?.state === 'COMPLETED' || job?.state === 'FAILED' ? job : undefined;
    },
    15_000,
    `job ${id} to end`,
  );

describe('the fleet example (JOBGATE_EXAMPLES=fleet)', () => {
  let stack: Stack;
  let startedAt: number;
  before(async () => {
    startedAt = Date.now();
    stack = await Stack.start({ workers: 1, env: { JOBGATE_EXAMPLES: 'fleet' } });
  });
  after(() => stack.close());

  it('declares its five schedules, with their intervals, cron and time zone, and the next runs they give', async () => {
    const schedules = await schedulesOf(stack);
    const now = Date.now();
    for (const expected of FLEET_SCHEDULES) {
      const found = schedules.filter((schedule) => schedule.id === expected.id);
      assert.equal(found.length, 1, expected.id);
      const [schedule] = found;
      assert.equal(schedule.type, expected.type);
      assert.equal(schedule.queue, expected.queue);
      assert.ok(schedule.nextRunAt, `${expected.id} has a next run`);
      const next = Date.parse(schedule.nextRunAt);
      if (expected.cron) {
        assert.equal(schedule.cron, expected.cron);
        assert.equal(schedule.timeZone, TIME_ZONE);
        // The next midnight in São Paulo, as cron-parser (BullMQ's own parser) computes it.
        const midnight = CronExpressionParser.parse(expected.cron, { tz: TIME_ZONE, currentDate: new Date(now) })
          .next()
          .getTime();
        assert.equal(next, midnight, `${expected.id}: ${schedule.nextRunAt}`);
        assert.equal(new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, timeStyle: 'short' }).format(next), '00:00');
      } else {
        const every = expected.everyMs ?? 0;
        assert.equal(schedule.everyMs, every);
        assert.equal(schedule.cron, null);
        // An interval schedule runs once when first upserted (during the start), then every interval.
        assert.ok(next >= startedAt + every && next <= now + every, `${expected.id}: ${schedule.nextRunAt}`);
      }
    }
    assert.equal(schedules.filter((schedule) => schedule.id.startsWith('fleet-')).length, FLEET_SCHEDULES.length);
  });

  it('runs a positions batch to COMPLETED, with progress', async () => {
    const { processPositionBatch: job } = await gqlOk<{ processPositionBatch: Job }>(
      stack.url,
      `mutation ($options: JobOptionsInput) { processPositionBatch(input: { size: 200, msPerPosition: 2 }, options: $options) { id state } }`,
      { options: HELD },
    );
    assert.equal(job.state, 'DELAYED');
    assert.match(job.id, /^positions:/);
    const client = wsClient(stack.wsUrl);
    try {
      const watch = record<{ jobEvents: { type: string; job: Job } }>(client, JOB_EVENTS, { id: job.id });
      await eventually(() => watch.results.length > 0, 10_000, 'the snapshot');
      await gqlOk(stack.url, PROMOTE, { id: job.id });
      await watch.done;
      const events = watch.results.map((result) => result.data?.jobEvents);
      const percents = events.filter((event) => event?.type === 'PROGRESS').map((event) => event?.job.progress?.percent ?? 0);
      assert.ok(percents.length >= 5, `progress events: ${percents.join(', ')}`);
      assert.deepEqual(
        percents,
        [...percents].sort((a, b) => a - b),
      );
      assert.equal(percents[percents.length - 1], 100);
      const last = events[events.length - 1];
      assert.equal(last?.type, 'COMPLETED');
      assert.equal(last?.job.result?.processed, 200);
    } finally {
      await client.dispose();
    }
  });

  it('writes a device report as a real file, served by /downloads, and exports it as XLSX', async () => {
    const { generateDeviceReport: job } = await gqlOk<{ generateDeviceReport: Job }>(
      stack.url,
      `mutation { generateDeviceReport(input: { deviceId: "truck-03", startDate: "2026-01-01", endDate: "2026-01-02", format: CSV }) { id } }`,
    );
    const done = await finished(stack, job.id);
    assert.equal(done.state, 'COMPLETED');
    const download = await fetch(`${stack.url}${String(done.result?.downloadUrl)}`);
    assert.equal(download.status, 200);
    const lines = (await download.text()).trim().split('\n');
    assert.equal(lines[0], '"deviceId","date","positions","distanceKm","maxSpeedKmh","averageSpeedKmh","movingMinutes","speedingEvents"');
    assert.equal(lines.length, 3);

    const { exportReportData: exported } = await gqlOk<{ exportReportData: Job }>(
      stack.url,
      `mutation ($reportId: String!) { exportReportData(input: { reportId: $reportId, format: XLSX }) { id } }`,
      { reportId: job.id },
    );
    const converted = await finished(stack, exported.id);
    assert.equal(converted.state, 'COMPLETED');
    assert.equal(converted.result?.rows, 2);
    const xlsx = Buffer.from(await (await fetch(`${stack.url}${String(converted.result?.downloadUrl)}`)).arrayBuffer());
    assert.equal(xlsx.subarray(0, 2).toString(), 'PK', 'an XLSX file is a zip');
  });

  it('answers /health in the seed shape', async () => {
    const response = await fetch(`${stack.url}/health`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; celery: unknown };
    assert.equal(body.status, 'healthy');
    assert.deepEqual(body.celery, { connected: true, workers: 1 });
  });

  it('once turned off: no example types, its declared schedules removed at start, schedules made through the API kept', async () => {
    const UPSERT = `mutation ($schedule: ScheduleInput!) { upsertSchedule(schedule: $schedule) { id } }`;
    await gqlOk(stack.url, UPSERT, { schedule: { id: 'my-hello', type: 'helloWorld', cron: '0 3 * * *', data: {} } });
    await gqlOk(stack.url, UPSERT, {
      schedule: { id: 'my-alert', type: 'sendAdminAlert', cron: '0 4 * * *', data: { title: 't', message: 'm' } },
    });
    await Promise.all([stack.gateway, ...stack.workers].map((handle) => stack.signal(handle, 'SIGKILL')));

    const off = await Stack.start({ workers: 1, prefix: stack.prefix });
    const redis = new IORedis(off.redisUrl);
    try {
      const ids = (await schedulesOf(off)).map((schedule) => schedule.id);
      assert.ok(ids.includes('cleanupFiles-daily'));
      assert.ok(ids.includes('my-hello'));
      assert.ok(!ids.some((id) => id.startsWith('fleet-')), ids.join(', '));
      // In Redis, not only in what the gateway lists (it lists the queues it knows).
      const left = await Promise.all(FLEET_QUEUES.map((queue) => redis.zrange(`${stack.prefix}:${queue}:repeat`, 0, -1)));
      assert.deepEqual(left.flat(), ['my-alert']);
      const { jobTypes } = await gqlOk<{ jobTypes: { name: string }[] }>(off.url, `{ jobTypes { name } }`);
      assert.ok(!jobTypes.some((type) => type.name === 'processPositionBatch'));
      const refused = await gql(off.url, `mutation { enqueue(type: "processPositionBatch", data: {}) { id } }`);
      assert.equal(refused.errors?.[0]?.extensions?.code, 'UNKNOWN_JOB_TYPE');
    } finally {
      redis.disconnect();
      await off.close();
    }
  });
});
