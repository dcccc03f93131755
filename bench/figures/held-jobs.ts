/**
 * Jobs kept active by `load/progress-worker.ts` so figures 3, 4 and 6 can
 * make them emit progress at a chosen rate. With a gateway the jobs are
 * enqueued through it (so they carry its owner); without one, raw.
 */
import type { EmitReport, EmitVia, ProgressWorkerApi, WorkerInit } from '../load/api';
import type { FigureContext } from '../lib/context';
import type { Gateway } from '../lib/gateway';
import { enqueueThroughGateway, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import type { Child } from '../lib/ipc';
import { sleep } from '../lib/net';

const SETUP_TIMEOUT_MS = 60_000;

/** Active jobs and the worker holding them. */
export interface HeldJobs {
  worker: Child<ProgressWorkerApi>;
  /** Ids as subscribers name them: the gateway's ids, or BullMQ ids without a gateway. */
  ids: string[];
  queue: string;
}

/** Enqueues `count` jobs and waits until the worker holds them all active. */
export async function holdJobs(ctx: FigureContext, gateway: Gateway | null, count: number): Promise<HeldJobs> {
  const queue = ctx.useQueue(gateway ? await queueOf(gateway, JOB_TYPE) : 'bench-jobs');
  const init: WorkerInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue, concurrency: count, jobName: JOB_TYPE };
  const worker = await ctx.child<ProgressWorkerApi>('load/progress-worker.ts', init, 'worker');
  const ids = gateway ? await enqueueThroughGateway(gateway, count) : (await worker.call('addJobs', { count }, SETUP_TIMEOUT_MS)).ids;
  const { active } = await worker.call('waitActive', { count, timeoutMs: SETUP_TIMEOUT_MS }, SETUP_TIMEOUT_MS + 5_000);
  if (active < count) throw new Error(`expected ${count} active jobs, got ${active}`);
  return { worker, ids, queue };
}

/** Options of {@link whileEmitting}. */
export interface EmitPlan {
  /** Progress updates per second in total (Infinity: as fast as `maxInFlight` allows). */
  rate: number;
  /** Emit on jobs 0 … jobs−1 (ids[0 … jobs−1]). */
  jobs: number;
  maxInFlight: number;
  /** Emission before `measure` starts. */
  warmMs: number;
  /** Upper bound of `measure`'s duration; emission stops by itself after it. */
  maxMs: number;
  /** How updates are produced; default `updateProgress`. */
  via?: EmitVia;
}

/** Runs `measure` while the held jobs emit progress per `plan`; emission always stops afterwards. */
export async function whileEmitting<T>(
  held: HeldJobs,
  plan: EmitPlan,
  measure: () => Promise<T>,
): Promise<{ result: T; emitted: EmitReport }> {
  const maxMs = plan.warmMs + plan.maxMs;
  await held.worker.call(
    'startEmitting',
    { rate: plan.rate, jobs: plan.jobs, maxInFlight: plan.maxInFlight, maxMs, via: plan.via ?? 'updateProgress' },
    SETUP_TIMEOUT_MS,
  );
  const [outcome] = await Promise.allSettled([sleep(plan.warmMs).then(measure)]);
  const emitted = await held.worker.call('stopEmitting', {}, SETUP_TIMEOUT_MS);
  if (outcome.status === 'rejected') throw outcome.reason;
  return { result: outcome.value, emitted };
}

/** Lets the held jobs complete (their subscriptions then end). */
export async function releaseJobs(held: HeldJobs): Promise<void> {
  await held.worker.call('finish', { timeoutMs: 20_000 }, 30_000);
}
