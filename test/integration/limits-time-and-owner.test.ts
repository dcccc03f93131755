import 'reflect-metadata';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Queue, type Job, type JobsOptions } from 'bullmq';
import IORedis from 'ioredis';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';
import type { JobDefinition } from '../../src/jobs/job-definition';
import { JobRegistry, jobDefinitions } from '../../src/jobs/registry';
import { startWorkerPool } from '../../src/workers/worker-pool';
import { eventually, gql, record, within, wsClient } from '../support/graphql';
import { Stack, type ProcessHandle } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { IMPORT_PARTS, type EnqueuedJob } from './operations';

/**
 * Run with LIMITS_TEST_WORKER=1, this file is a worker process instead: the registered job types plus
 * two that only these tests need (a processor that ignores its signal, one that stops at its soft
 * limit), on the `imports` queue. The gateway does not know them, so the tests add their jobs with BullMQ.
 */
const WORKER_MODE = process.env.LIMITS_TEST_WORKER === '1';

const ROOT = path.resolve(__dirname, '..', '..');
const ALICE = 'jwt:alice';

/** Ignores its signal: sleeps `ms`, then tries to log (refused once its attempt is over). */
const stubbornWait: JobDefinition<{ ms: number }, unknown> = {
  name: 'stubbornWait',
  queue: 'imports',
  description: 'test only: ignores its signal',
  input: class {
    ms = 0;
  },
  defaults: {},
  timeLimitMs: 1000,
  async process(input, { log }) {
    await new Promise((resolve) => setTimeout(resolve, input.ms));
    await log('stray processor still running');
    return { finished: true };
  },
};

/** Waits for its signal, then returns (or throws) what it was aborted with. */
const politeStop: JobDefinition<{ throwAtSoft: boolean }, unknown> = {
  name: 'politeStop',
  queue: 'imports',
  description: 'test only: stops at its soft limit',
  input: class {
    throwAtSoft = false;
  },
  defaults: {},
  softTimeLimitMs: 500,
  timeLimitMs: 10_000,
  async process(input, { signal, log }) {
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    await log(`stopping: ${String(signal.reason)}`);
    if (input.throwAtSoft) throw new Error(String(signal.reason));
    return { stoppedBy: String(signal.reason) };
  },
};

async function runTestWorker(): Promise<void> {
  const config = loadConfig();
  await startWorkerPool(
    config,
    new JobRegistry([...jobDefinitions, stubbornWait as JobDefinition, politeStop as JobDefinition]),
    createLogger(config, 'worker'),
  );
}

/** Starts this file as a worker process of `stack` (closed with it). */
async function startTestWorker(stack: Stack, env: Record<string, string>): Promise<ProcessHandle> {
  const child = spawn(process.execPath, ['--import', 'tsx', __filename], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...stack.env, ...env, LIMITS_TEST_WORKER: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer): void => void output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: ProcessHandle = { child, output, exited };
  stack.workers.push(handle);
  await eventually(() => output.some((line) => line.includes('workers started')) || child.exitCode !== null, 30_000, 'the test worker');
  assert.equal(child.exitCode, null, `test worker exited:\n${output.slice(-20).join('\n')}`);
  return handle;
}

/** Parsed pino lines of `handle` whose message is `msg`. */
const logLines = (handle: ProcessHandle, msg: string): { time: number; jobId?: string; msg: string; afterMs?: number }[] =>
  handle.output.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as { time: number; jobId?: string; msg: string };
      return parsed.msg === msg ? [parsed] : [];
    } catch {
      return [];
    }
  });

const JOB_TIMES = `query ($id: ID!) { job(id: $id) { id state failedReason attemptsMade maxAttempts startedAt finishedAt progress { current total } } }`;
const ACTIVE_JOBS = `query { jobs(queue: "imports", states: [ACTIVE], first: 50) { edges { node { id state progress { current } } } } }`;
const QUEUE_EVENTS = `subscription { queueEvents(queue: "imports", since: "0-0") { type job { id attemptsMade } } }`;

interface JobTimes {
  id: string;
  state: string;
  failedReason: string | null;
  attemptsMade: number;
  maxAttempts: number;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { current: number | null; total: number | null } | null;
}

/** Reads a job through the gateway as `headers`' caller. */
async function jobOf(stack: Stack, id: string, headers: Record<string, string>): Promise<JobTimes> {
  const answer = await gql<{ job: JobTimes }>(stack.url, JOB_TIMES, { id }, headers);
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.job;
}

/** Enqueues an importParts through the gateway as `headers`' caller. */
async function importParts(
  stack: Stack,
  headers: Record<string, string>,
  items: number,
  msPerItem: number,
  options: Record<string, unknown> = {},
): Promise<EnqueuedJob> {
  const answer = await gql<{ importParts: EnqueuedJob }>(
    stack.url,
    IMPORT_PARTS,
    { input: { project: 'limits', phase: 'p', stage: 's', items, msPerItem }, options },
    headers,
  );
  assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
  return answer.data!.importParts;
}

/** The BullMQ job, once it is in one of `states`. */
async function settled(queue: Queue, id: string, states: string[], timeoutMs = 20_000): Promise<Job> {
  return eventually(
    async () => {
      const state = await queue.getJobState(id);
      return states.includes(state) ? queue.getJob(id) : undefined;
    },
    timeoutMs,
    `job ${id} in ${states.join('/')}`,
  );
}

if (WORKER_MODE) {
  runTestWorker().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
} else {
  describe('time limits (JOB_TIME_LIMIT_MS, timeLimitMs, softTimeLimitMs)', () => {
    let stack: Stack;
    let worker: ProcessHandle;
    let redis: IORedis;
    let queue: Queue;
    let alice: Record<string, string>;
    const env = { JWT_SECRET: TEST_JWT_SECRET, JOB_TIME_LIMIT_MS: '1500', WORKER_CONCURRENCY: '1' };
    before(async () => {
      stack = await Stack.start({ workers: 0, env });
      worker = await startTestWorker(stack, env);
      redis = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
      queue = new Queue('imports', { connection: redis, prefix: stack.prefix });
      alice = bearer(await token('alice', ['submitter']));
    });
    after(async () => {
      await queue?.close();
      redis?.disconnect();
      await stack?.close();
    });

    /** Adds a job the way the gateway does (owner in `opts.jobgate`), for the types the gateway does not know. */
    const add = (name: string, data: object, attempts = 3): Promise<Job> =>
      queue.add(name, data, { attempts, backoff: { type: 'fixed', delay: 50 }, jobgate: { owner: ALICE } } as JobsOptions);

    it('an importParts past JOB_TIME_LIMIT_MS fails with "time limit" once, not retried, and the only slot runs the next job', async () => {
      const long = await importParts(stack, alice, 100, 50, { attempts: 3 });
      const next = await importParts(stack, alice, 2, 10);
      const failed = await eventually(
        async () => {
          const job = await jobOf(stack, long.id, alice);
          return job.state === 'FAILED' && job;
        },
        20_000,
        'the long import to fail',
      );
      assert.match(failed.failedReason ?? '', /^time limit/);
      assert.equal(failed.attemptsMade, 1, 'no retry');
      assert.equal(failed.maxAttempts, 3);
      assert.ok((failed.progress?.current ?? 0) < 100, 'stopped before the end');
      const ranMs = Date.parse(failed.finishedAt!) - Date.parse(failed.startedAt!);
      assert.ok(ranMs >= 1400 && ranMs < 6000, `ran ${ranMs} ms for a limit of 1500 ms`);
      const completed = await eventually(
        async () => {
          const job = await jobOf(stack, next.id, alice);
          return job.state === 'COMPLETED' && job;
        },
        20_000,
        'the next import to complete',
      );
      assert.equal(completed.attemptsMade, 1);
      // Still FAILED after the retry backoff would have passed: UnrecoverableError, not an attempt.
      assert.equal((await jobOf(stack, long.id, alice)).state, 'FAILED');
    });

    it("a processor that ignores its signal is cut loose at its type's timeLimitMs: job failed, lock gone, slot free while it still runs", async () => {
      const stubborn = await add('stubbornWait', { ms: 8000 });
      const next = await add('importParts', { project: 'limits', phase: 'p', stage: 's', items: 1, msPerItem: 0 });
      const failed = await settled(queue, stubborn.id!, ['failed']);
      assert.match(failed.failedReason, /^time limit: hard limit of 1000 ms/, "the type's own limit, below JOB_TIME_LIMIT_MS");
      assert.equal(failed.attemptsMade, 1);
      assert.ok(failed.finishedOn! - failed.processedOn! < 4000, `failed ${failed.finishedOn! - failed.processedOn!} ms after it started`);
      assert.equal(await redis.exists(`${stack.prefix}:imports:${stubborn.id}:lock`), 0, 'its lock is removed');
      const done = await settled(queue, next.id!, ['completed']);
      const strayEnded = (): boolean =>
        logLines(worker, 'processor stopped after its hard time limit').some((line) => line.jobId === `imports:${stubborn.id}`);
      assert.equal(strayEnded(), false, 'the next job completed while the stray processor still ran');
      assert.ok(done.finishedOn! < stubborn.timestamp + 8000);
      // The stray processor returns in the end; its log line is refused, and the job stays failed.
      await eventually(strayEnded, 20_000, 'the stray processor to end');
      const { logs } = await queue.getJobLogs(stubborn.id!);
      assert.ok(!logs.some((line) => line.includes('stray')), logs.join('\n'));
      assert.equal(await queue.getJobState(stubborn.id!), 'failed');
    });

    it('a soft limit aborts the signal with a "time limit: soft" reason: a processor that returns completes, one that throws fails once', async () => {
      const returning = await add('politeStop', { throwAtSoft: false });
      const throwing = await add('politeStop', { throwAtSoft: true });
      const completed = await settled(queue, returning.id!, ['completed']);
      const result = completed.returnvalue as { stoppedBy: string };
      assert.match(result.stoppedBy, /^time limit: soft limit of 500 ms/);
      assert.ok(completed.finishedOn! - completed.processedOn! < 5000, 'well before the hard limit of 10 s');
      const failed = await settled(queue, throwing.id!, ['failed']);
      assert.match(failed.failedReason, /^time limit: soft limit of 500 ms/);
      assert.equal(failed.attemptsMade, 1, 'not retried');
      const { logs } = await queue.getJobLogs(throwing.id!);
      assert.ok(
        logs.some((line) => / #1 stopping: time limit: soft/.test(line)),
        logs.join('\n'),
      );
    });
  });

  describe('per-owner cap on active jobs (OWNER_ACTIVE_LIMIT)', () => {
    let stack: Stack;
    let redis: IORedis;
    let alice: Record<string, string>;
    let bob: Record<string, string>;
    let admin: Record<string, string>;
    const slotsKey = (prefix: string, kind: 'owner-slots' | 'owner-deferred'): string =>
      `${prefix}:imports:jobgate:${kind}:${encodeURIComponent(ALICE)}`;

    before(async () => {
      stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET, OWNER_ACTIVE_LIMIT: '1', LOG_LEVEL: 'debug' } });
      redis = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
      alice = bearer(await token('alice', ['submitter']));
      bob = bearer(await token('bob', ['submitter']));
      admin = bearer(await token('ops', ['admin']));
    });
    after(async () => {
      redis?.disconnect();
      await stack?.close();
    });

    it("one owner holds at most 1 of 3 slots: another owner's job runs at once, its own run in turn, no attempt used", async () => {
      const worker = await stack.startWorker(['--concurrency', '3']);
      const client = wsClient(stack.wsUrl, { connectionParams: { authorization: admin.authorization } });
      const events = record<{ queueEvents: { type: string; job: { id: string; attemptsMade: number } } }>(client, QUEUE_EVENTS);
      try {
        const alices: string[] = [];
        for (let n = 0; n < 3; n++) alices.push((await importParts(stack, alice, 20, 100, { attempts: 3 })).id);
        const bobs = (await importParts(stack, bob, 2, 50)).id;
        let mostRunning = 0;
        const finished = new Map<string, JobTimes>();
        await eventually(
          async () => {
            // Alice's jobs running: ACTIVE and past their first item. A job being put back is ACTIVE for a
            // few ms (BullMQ moved it there before the cap is checked), without progress.
            const { data } = await gql<{ jobs: { edges: { node: { id: string; progress: { current: number | null } | null } }[] } }>(
              stack.url,
              ACTIVE_JOBS,
              {},
              admin,
            );
            const running = data!.jobs.edges.filter(({ node }) => alices.includes(node.id) && node.progress?.current);
            mostRunning = Math.max(mostRunning, running.length);
            for (const id of [...alices, bobs]) {
              if (finished.has(id)) continue;
              const job = await jobOf(stack, id, admin);
              if (job.state === 'COMPLETED' || job.state === 'FAILED') finished.set(id, job);
            }
            return finished.size === 4;
          },
          35_000,
          'every job to finish',
        );
        assert.equal(mostRunning, 1, 'alice never had 2 jobs running');
        for (const id of [...alices, bobs]) {
          assert.equal(finished.get(id)!.state, 'COMPLETED', id);
          assert.equal(finished.get(id)!.attemptsMade, 1, `${id} used one attempt`);
        }
        const bobsEnd = Date.parse(finished.get(bobs)!.finishedAt!);
        const alicesEnds = alices.map((id) => Date.parse(finished.get(id)!.finishedAt!)).sort((a, b) => a - b);
        assert.ok(bobsEnd < alicesEnds[1], "bob did not wait behind alice's backlog");
        // The processor ran alice's jobs one after the other (its own log lines: the cap is checked before it).
        const runs = alices
          .map((id) => {
            const jobId = id;
            const started = logLines(worker, 'job started').filter((line) => line.jobId === jobId);
            const completed = logLines(worker, 'job completed').filter((line) => line.jobId === jobId);
            assert.equal(started.length, 1, `${jobId} started once`);
            return { start: started[0].time, end: completed[0].time };
          })
          .sort((a, b) => a.start - b.start);
        for (let n = 1; n < runs.length; n++) assert.ok(runs[n].start >= runs[n - 1].end, `alice's runs overlap: ${JSON.stringify(runs)}`);
        // Put back with a growing delay, and moved to wait when alice's running job ends: a few times each, not in a loop.
        const deferrals = logLines(worker, 'owner at its cap of active jobs: job deferred').filter((line) =>
          alices.includes(line.jobId ?? ''),
        );
        assert.ok(deferrals.length >= 2 && deferrals.length <= 12, `${deferrals.length} deferrals`);
        // Watchers saw alice's jobs put back as DELAYED, never FAILED or RETRYING.
        await eventually(
          () => events.results.filter((result) => result.data?.queueEvents.type === 'COMPLETED').length >= 4,
          10_000,
          'the COMPLETED events',
        );
        const alicesTypes = events.results
          .map((result) => result.data!.queueEvents)
          .filter((event) => alices.includes(event.job.id))
          .map((event) => event.type);
        assert.ok(alicesTypes.includes('DELAYED'), alicesTypes.join(','));
        assert.deepEqual(
          alicesTypes.filter((type) => type === 'FAILED' || type === 'RETRYING'),
          [],
        );
        // Nothing left behind in Redis once alice's jobs are done.
        await eventually(
          async () => (await redis.exists(slotsKey(stack.prefix, 'owner-slots'), slotsKey(stack.prefix, 'owner-deferred'))) === 0,
          10_000,
          "alice's slot entries to go",
        );
      } finally {
        events.stop();
        await client.dispose();
        await stack.signal(worker, 'SIGKILL');
      }
    });
  });

  describe('per-owner cap when a worker is killed mid-job', () => {
    let stack: Stack;
    let redis: IORedis;
    let alice: Record<string, string>;
    before(async () => {
      // Locks expire at most 4 s after a worker dies, and a job whose worker died fails at its first stall
      // (no takeover): the next job of its owner can only start once the dead worker's slot entry stops
      // counting. Debug logs show the deferrals.
      const env = {
        JWT_SECRET: TEST_JWT_SECRET,
        OWNER_ACTIVE_LIMIT: '1',
        WORKER_LOCK_DURATION_MS: '4000',
        WORKER_STALLED_INTERVAL_MS: '500',
        WORKER_MAX_STALLED_COUNT: '0',
        LOG_LEVEL: 'debug',
      };
      stack = await Stack.start({ workers: 0, env });
      redis = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
      alice = bearer(await token('alice', ['submitter']));
    });
    after(async () => {
      redis?.disconnect();
      await stack?.close();
    });

    it("the dead worker's slot counts until its lock expires, then not: the owner's next job runs, and no entry is left", async () => {
      const workers = await Promise.all([stack.startWorker(['--concurrency', '3']), stack.startWorker(['--concurrency', '3'])]);
      const long = await importParts(stack, alice, 100, 100);
      const startedOn = (handle: ProcessHandle, id: string): boolean => logLines(handle, 'job started').some((line) => line.jobId === id);
      const running = await eventually(() => workers.find((handle) => startedOn(handle, long.id)), 20_000, 'the long job to start');
      const survivor = workers.find((handle) => handle !== running)!;
      await within(stack.signal(running, 'SIGKILL'), 5000, 'the kill');
      const slots = `${stack.prefix}:imports:jobgate:owner-slots:${encodeURIComponent(ALICE)}`;
      assert.equal(await redis.hlen(slots), 1, "the dead worker's entry");
      const next = await importParts(stack, alice, 2, 10);
      const states = await eventually(
        async () => {
          const jobs = await Promise.all([long.id, next.id].map((id) => jobOf(stack, id, alice)));
          return jobs.every((job) => job.state === 'COMPLETED' || job.state === 'FAILED') && jobs;
        },
        30_000,
        'both jobs to finish',
      );
      assert.equal(states[0].state, 'FAILED', 'the killed job stalled (WORKER_MAX_STALLED_COUNT=0)');
      assert.equal(states[1].state, 'COMPLETED', `${states[1].failedReason}`);
      // The surviving worker took the next job while the dead one's lock lived, and put it back.
      const deferrals = logLines(survivor, 'owner at its cap of active jobs: job deferred').filter((line) => line.jobId === next.id);
      assert.ok(deferrals.length >= 1, "the dead worker's entry counted while its lock lived");
      assert.ok(startedOn(survivor, next.id));
      await eventually(async () => (await redis.exists(slots)) === 0, 10_000, "alice's slot entries to go");
    });
  });
}
