/**
 * The runner's side of the `end-to-end` figure: starting its worker and watcher processes, and
 * playing one side of it (the paced enqueue window, the ids passed on to the watchers, the drain),
 * with the CPU each process spent over the window.
 */
import Redis from 'ioredis';
import type { FigureContext } from '../lib/context';
import type { Gateway } from '../lib/gateway';
import { mergeAll } from '../lib/histogram';
import type { Child } from '../lib/ipc';
import { sleep } from '../lib/net';
import { cpuMs, rssKib } from '../lib/procfs';
import type {
  EndToEndWorkerApi,
  EndToEndWorkerInit,
  EnqueueReport,
  JobCounts,
  JobWatchersApi,
  PacedEnqueueApi,
  WatchReport,
  WorkerReport,
} from './end-to-end-api';

/** Worker processes on each side. */
export const WORKERS = 2;
const WATCHERS_PER_PROCESS = 2_500;
/** How often the ids the gateway answered are passed on to the watchers. */
const FEED_MS = 50;
/** Jobs not completed this long after the last was enqueued count as lost. */
export const DRAIN_MS = 60_000;
const PROGRESS_LOG_MS = 60_000;
const SETUP_TIMEOUT_MS = 180_000;

/** What one side's run measured; `watch` is null without watchers. */
export interface SideRun {
  enqueue: EnqueueReport;
  workers: WorkerReport;
  counts: JobCounts;
  watch: WatchReport | null;
  /** From the first job sent to the last one answered: the enqueue window, the CPU readings' span. */
  windowMs: number;
  /** From the first job sent until every job enqueued had completed (or the drain gave up). */
  spanMs: number;
  /** CPU over the enqueue window, % of one core. */
  cpu: { gateway: number; redis: number; workers: number; watchers: number; enqueuer: number };
  gatewayRssMiB: number;
}

/** The processes of one side. */
export interface Stage {
  ctx: FigureContext;
  enqueuer: Child<PacedEnqueueApi>;
  workers: Array<Child<EndToEndWorkerApi>>;
  watchers: Array<Child<JobWatchersApi>>;
  gatewayPid: number | null;
  perJob: number;
}

/** Redis's own CPU time so far (INFO cpu, user + system), ms. */
async function redisCpuMs(admin: Redis): Promise<number> {
  const info = await admin.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/** The workers' reports added up. */
function sumReports(reports: readonly WorkerReport[]): WorkerReport {
  return reports.reduce((a, r) => ({
    completed: a.completed + r.completed,
    failed: a.failed + r.failed,
    repeated: a.repeated + r.repeated,
    progressSent: a.progressSent + r.progressSent,
    errors: a.errors + r.errors,
    firstError: a.firstError ?? r.firstError,
  }));
}

/** The watcher processes' reports merged, or null without watchers. */
function sumWatch(reports: readonly WatchReport[]): WatchReport | null {
  if (reports.length === 0) return null;
  const sum = (pick: (r: WatchReport) => number): number => reports.reduce((total, r) => total + pick(r), 0);
  return {
    subscribed: sum((r) => r.subscribed),
    ended: sum((r) => r.ended),
    progress: sum((r) => r.progress),
    messages: sum((r) => r.messages),
    unfilled: sum((r) => r.unfilled),
    meanOpen: sum((r) => r.meanOpen),
    errors: sum((r) => r.errors),
    firstError: reports.find((r) => r.firstError)?.firstError,
    closed: sum((r) => r.closed),
    elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
    latency: mergeAll(reports.map((r) => r.latency)).toData(),
  };
}

/** Starts the side's two worker processes on `queue`. */
export async function startWorkers(ctx: FigureContext, queue: string): Promise<Array<Child<EndToEndWorkerApi>>> {
  const { rate, updates, gapMs } = ctx.profile.endToEnd;
  // Each worker could hold every job of a second alone: the jobs last about a second.
  const init: EndToEndWorkerInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue, concurrency: rate, updates, gapMs };
  return Promise.all(Array.from({ length: WORKERS }, () => ctx.child<EndToEndWorkerApi>('load/end-to-end-worker.ts', init, 'worker')));
}

/** Starts the watcher processes and opens every socket, idle until jobs are fed. */
export async function startWatchers(ctx: FigureContext, gateway: Gateway): Promise<Array<Child<JobWatchersApi>>> {
  const { watchers } = ctx.profile.endToEnd;
  const processes = Math.ceil(watchers / WATCHERS_PER_PROCESS);
  const children = await Promise.all(
    Array.from({ length: processes }, (_, i) =>
      ctx.child<JobWatchersApi>(
        'load/job-watchers.ts',
        { url: gateway.wsUrl, tokenSecret: gateway.secret, offset: i * WATCHERS_PER_PROCESS },
        'watchers',
      ),
    ),
  );
  const sockets = (i: number): number => Math.floor(watchers / processes) + (i < watchers % processes ? 1 : 0);
  const opened = await Promise.all(
    children.map((c, i) =>
      c.call('open', { sockets: sockets(i), concurrency: 50, timeoutMs: SETUP_TIMEOUT_MS }, SETUP_TIMEOUT_MS + 10_000),
    ),
  );
  const count = opened.reduce((s, o) => s + o.opened, 0);
  if (count < watchers)
    throw new Error(`expected ${watchers} watcher sockets, opened ${count}: ${opened.find((o) => o.firstError)?.firstError ?? ''}`);
  return children;
}

/** Passes the acknowledged ids to the watchers until every job has been answered. */
async function feedUntilDone(stage: Stage): Promise<void> {
  const { ctx, enqueuer, watchers, workers, perJob } = stage;
  let lastLog = performance.now();
  for (;;) {
    const { ids, done } = await enqueuer.call('take', {}, 30_000);
    if (watchers.length > 0 && ids.length > 0) {
      const shares = watchers.map((_, w) => ids.filter((__, i) => i % watchers.length === w));
      await Promise.all(watchers.map((c, w) => c.call('feed', { ids: shares[w] ?? [], perJob }, 30_000)));
    }
    if (done) return;
    if (performance.now() - lastLog >= PROGRESS_LOG_MS) {
      lastLog = performance.now();
      const completed = sumReports(await Promise.all(workers.map((w) => w.call('report', {}, 30_000)))).completed;
      ctx.log(`${completed} jobs completed so far`);
    }
    await sleep(FEED_MS);
  }
}

/** Waits until the workers have completed `enqueued` jobs, at most {@link DRAIN_MS}. */
async function drain(stage: Stage, enqueued: number): Promise<WorkerReport> {
  const deadline = performance.now() + DRAIN_MS;
  for (;;) {
    const report = sumReports(await Promise.all(stage.workers.map((w) => w.call('report', {}, 30_000))));
    if (report.completed >= enqueued || performance.now() >= deadline) return report;
    await sleep(100);
  }
}

/** Runs one side: the enqueue window, then the drain, with each process's CPU over the window. */
export async function play(stage: Stage): Promise<SideRun> {
  const { ctx, enqueuer, workers, watchers, gatewayPid } = stage;
  const { rate, durationMs } = ctx.profile.endToEnd;
  const admin = new Redis(ctx.run.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const cpuOf = (children: ReadonlyArray<{ pid: number }>): number => children.reduce((s, c) => s + cpuMs(c.pid), 0);
    await Promise.all(watchers.map((w) => w.call('reset', {}, 30_000)));
    const before = {
      gateway: gatewayPid === null ? 0 : cpuMs(gatewayPid),
      redis: await redisCpuMs(admin),
      workers: cpuOf(workers),
      watchers: cpuOf(watchers),
      enqueuer: cpuMs(enqueuer.pid),
    };
    const t0 = performance.now();
    await enqueuer.call('start', { rate, durationMs }, 30_000);
    await feedUntilDone(stage);
    const windowMs = performance.now() - t0;
    const pct = (ms: number): number => (ms / windowMs) * 100;
    const cpu = {
      gateway: gatewayPid === null ? 0 : pct(cpuMs(gatewayPid) - before.gateway),
      redis: pct((await redisCpuMs(admin)) - before.redis),
      workers: pct(cpuOf(workers) - before.workers),
      watchers: pct(cpuOf(watchers) - before.watchers),
      enqueuer: pct(cpuMs(enqueuer.pid) - before.enqueuer),
    };
    const gatewayRssMiB = gatewayPid === null ? Number.NaN : rssKib(gatewayPid) / 1024;
    const enqueue = await enqueuer.call('finish', { timeoutMs: 30_000 }, 40_000);
    const drained = await drain(stage, enqueue.enqueued);
    const spanMs = performance.now() - t0;
    await Promise.all(watchers.map((w) => w.call('settle', { timeoutMs: 10_000 }, 20_000)));
    const watch = sumWatch(await Promise.all(watchers.map((w) => w.call('report', {}, 30_000))));
    const counts = await (workers[0] as Child<EndToEndWorkerApi>).call('counts', {}, 30_000);
    return { enqueue, workers: drained, counts, watch, windowMs, spanMs, cpu, gatewayRssMiB };
  } finally {
    admin.disconnect();
  }
}

/** Stops every process of the side. */
export async function stopAll(stage: Stage): Promise<void> {
  await Promise.all([stage.enqueuer, ...stage.workers, ...stage.watchers].map((c) => c.stop()));
}
