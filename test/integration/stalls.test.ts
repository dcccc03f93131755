import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gqlOk, record, within, wsClient, type Recording } from '../support/graphql';
import { Stack, type ProcessHandle } from '../support/stack';
import { withLogsOnFailure } from '../support/stack-logs';
import { HELD, IMPORT_PARTS, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

type WatchedEvent = JobEventPayload['jobEvents'];

/**
 * A lock that a dead worker leaves behind expires within 2 s and is looked for twice a second,
 * so a killed job is back within ~3 s. The lock is renewed every 0.5–1 s, so a busy machine does
 * not make a live job look stalled.
 */
const FAST_STALLS = { WORKER_LOCK_DURATION_MS: '2000', WORKER_STALLED_INTERVAL_MS: '500' };

/** One run of the job takes 3 s: each worker is killed a few hundred ms into its run. */
const ITEMS = 30;
const MS_PER_ITEM = 100;

const FINAL_TYPES = new Set(['COMPLETED', 'FAILED', 'CANCELLED', 'REMOVED']);

const eventsOf = (recording: Recording<JobEventPayload>): WatchedEvent[] =>
  recording.results.flatMap((result) => (result.data ? [result.data.jobEvents] : []));

const count = (events: WatchedEvent[], type: string): number => events.filter((event) => event.type === type).length;

const isRunning = (handle: ProcessHandle): boolean => handle.child.exitCode === null && handle.child.signalCode === null;

/** The running worker process whose log says it started `jobId`. */
function holderOf(stack: Stack, jobId: string): ProcessHandle | undefined {
  return stack.workers.find(
    (worker) => isRunning(worker) && worker.output.some((line) => line.includes('"job started"') && line.includes(`"jobId":"${jobId}"`)),
  );
}

/** Resolves once the job's `run`-th run (its `run`-th ACTIVE event) has reported progress of 2 items or more. */
async function runInProgress(recording: Recording<JobEventPayload>, run: number): Promise<void> {
  await eventually(
    () => {
      const events = eventsOf(recording);
      const ended = events.find((event) => FINAL_TYPES.has(event.type));
      if (ended)
        throw new Error(
          `the job ended (${ended.type}: ${ended.job.failedReason ?? ''}) before run ${run}; events: ${events.map((event) => event.type).join(',')}`,
        );
      let runs = 0;
      let current = 0;
      for (const event of events) {
        if (event.type === 'ACTIVE') [runs, current] = [runs + 1, 0];
        else if (event.type === 'PROGRESS') current = Math.max(current, event.job.progress?.current ?? 0);
      }
      return runs >= run && current >= 2;
    },
    20_000,
    `run ${run} of the job to make progress`,
  );
}

/**
 * Enqueues a long `importParts` job with 3 attempts and watches it; `times` over, waits until a
 * worker runs it and has made progress, stops that worker with `signal` and starts a new one (a
 * rolling deploy of a single worker); then waits for the job's last event. Returns every event
 * watched and, for each stop, how long until the job was ACTIVE again.
 */
async function stoppedMidJob(
  stack: Stack,
  times: number,
  signal: 'SIGKILL' | 'SIGTERM',
): Promise<{ events: WatchedEvent[]; backAfterMs: number[] }> {
  const input = { project: 'stalls', phase: signal, stage: String(times), items: ITEMS, msPerItem: MS_PER_ITEM };
  const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, {
    input,
    options: { ...HELD, attempts: 3 },
  });
  const client = wsClient(stack.wsUrl);
  const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
  const backAfterMs: number[] = [];
  const activeAgain = async (run: number, stoppedAt: number): Promise<void> => {
    await eventually(
      () => {
        const events = eventsOf(recording);
        if (count(events, 'ACTIVE') >= run) return true;
        const ended = events.find((event) => FINAL_TYPES.has(event.type));
        if (ended)
          throw new Error(
            `the job ended (${ended.type}: ${ended.job.failedReason ?? ''}) before run ${run}; events: ${events.map((event) => event.type).join(',')}`,
          );
        return false;
      },
      20_000,
      `run ${run} of the job to start`,
    );
    backAfterMs.push(Date.now() - stoppedAt);
  };
  try {
    await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    for (let run = 1; run <= times; run++) {
      await runInProgress(recording, run);
      const holder = await eventually(() => holderOf(stack, job.id), 5000, `the worker holding run ${run}`);
      const stoppedAt = Date.now();
      const code = await stack.signal(holder, signal);
      if (signal === 'SIGTERM') {
        assert.equal(code, 0, `the worker of run ${run} exits 0 after handing the job back (not killed at the end of its grace)`);
        // Its log line travels through a pipe and may land after the exit.
        await eventually(
          () => holder.output.some((line) => line.includes('"job handed back to its queue"') && line.includes(`"jobId":"${job.id}"`)),
          5000,
          `the worker of run ${run} to log the hand-back`,
        );
      }
      await stack.startWorker();
      await activeAgain(run + 1, stoppedAt);
    }
    await within(recording.done, 20_000, `the job's end after ${times} × ${signal}`);
  } finally {
    await client.dispose();
  }
  return { events: eventsOf(recording), backAfterMs };
}

const report = (what: string, backAfterMs: number[]): void =>
  void process.stdout.write(
    `# ${what}: ACTIVE again ${backAfterMs.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s after each stop (a new worker started in between)\n`,
  );

describe('a job whose worker is SIGKILLed again and again (rolling deploys), WORKER_MAX_STALLED_COUNT by default', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1, env: FAST_STALLS });
  });
  after(() => stack.close());

  for (const kills of [2, 3]) {
    it(
      `completes after ${kills} kills of the worker holding it, a new worker started each time: no attempt spent`,
      { timeout: 60_000 },
      () =>
        withLogsOnFailure(stack, async () => {
          const { events, backAfterMs } = await stoppedMidJob(stack, kills, 'SIGKILL');
          report(`${kills} kills`, backAfterMs);
          const types = events.map((event) => event.type);
          const last = events.at(-1)!;
          assert.equal(last.type, 'COMPLETED', `${last.job.failedReason ?? ''} after ${types.join(',')}`);
          assert.deepEqual(last.job.result, { imported: ITEMS });
          // A lock renewal late by over a second on a busy machine would add a stall: the counts hold all the same.
          assert.ok(count(events, 'STALLED') >= kills, `a STALLED per kill in ${types.join(',')}`);
          assert.equal(count(events, 'ACTIVE'), count(events, 'STALLED') + 1, `a run per stall, and the first, in ${types.join(',')}`);
          assert.equal(count(events, 'RETRYING') + count(events, 'FAILED'), 0, `no attempt failed: ${types.join(',')}`);
          assert.equal(last.job.attemptsMade, 1, 'the stalls spent no attempt');
        }),
    );
  }
});

describe("WORKER_MAX_STALLED_COUNT=1 (BullMQ's own default)", () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1, env: { ...FAST_STALLS, WORKER_MAX_STALLED_COUNT: '1' } });
  });
  after(() => stack.close());

  it('fails a job with attempts left as stalled at the second kill: the setting reaches BullMQ', { timeout: 60_000 }, () =>
    withLogsOnFailure(stack, async () => {
      const { events, backAfterMs } = await stoppedMidJob(stack, 2, 'SIGKILL');
      report('2 kills, WORKER_MAX_STALLED_COUNT=1', backAfterMs);
      const types = events.map((event) => event.type);
      const last = events.at(-1)!;
      assert.equal(last.type, 'FAILED', `after ${types.join(',')}`);
      assert.match(last.job.failedReason ?? '', /stalled/);
      assert.equal(count(events, 'STALLED'), 2, `two STALLED in ${types.join(',')}`);
      assert.ok(last.job.attemptsMade < 3, `failed with attempts left (attemptsMade ${last.job.attemptsMade} of 3)`);
    }),
  );
});

describe('a worker stopped with SIGTERM while its job outlasts WORKER_GRACE_MS', () => {
  let stack: Stack;
  before(async () => {
    // No stall allowed at all: a job left to stall detection instead of handed back would fail (within
    // ~6 s here). The longer lock keeps a busy machine from making the live job look stalled.
    stack = await Stack.start({
      workers: 1,
      env: { WORKER_LOCK_DURATION_MS: '5000', WORKER_STALLED_INTERVAL_MS: '500', WORKER_MAX_STALLED_COUNT: '0', WORKER_GRACE_MS: '200' },
    });
  });
  after(() => stack.close());

  it('hands the job back at once, not as a stall: it completes after 2 SIGTERMs with WORKER_MAX_STALLED_COUNT=0', { timeout: 60_000 }, () =>
    withLogsOnFailure(stack, async () => {
      const { events, backAfterMs } = await stoppedMidJob(stack, 2, 'SIGTERM');
      report('2 SIGTERMs', backAfterMs);
      const types = events.map((event) => event.type);
      const last = events.at(-1)!;
      assert.equal(last.type, 'COMPLETED', `${last.job.failedReason ?? ''} after ${types.join(',')}`);
      assert.deepEqual(last.job.result, { imported: ITEMS });
      assert.equal(count(events, 'STALLED'), 0, `no STALLED in ${types.join(',')}`);
      assert.equal(count(events, 'ACTIVE'), 3, `one ACTIVE per run in ${types.join(',')}`);
      assert.equal(
        count(events, 'RETRYING') + count(events, 'FAILED') + count(events, 'CANCELLED'),
        0,
        `not cancelled, no attempt failed: ${types.join(',')}`,
      );
      assert.equal(last.job.attemptsMade, 1, 'the hand-backs spent no attempt');
    }),
  );
});
