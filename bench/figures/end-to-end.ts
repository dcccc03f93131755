/**
 * Figure `end-to-end` (issue 24, target 5): a steady stream of jobs through one gateway and two worker
 * processes, watched by a pool of browsers, beside the same stream with workers alone. Jobs are added
 * open loop at `rate` a second (job i sent at i / rate whatever became of the earlier ones), each through
 * one HTTP `enqueue` mutation, or with raw `Queue.add` for the baseline; each job reports progress
 * `updates` times, `gapMs` apart, in one of two plain BullMQ worker processes, then completes. On the
 * gateway side the ids the gateway answers are handed to a pool of `watchers` sockets: each job gets the
 * sockets the pool can spare up to watchers / (rate × job length), which subscribe to its `jobEvents` and
 * take a later job once the gateway ends their subscription. Every job enqueued must complete: the figure
 * waits for them after the enqueue window, and what is still missing then is counted lost.
 */
import type { Figure, FigureContext } from '../lib/context';
import { BENCH_OWNER } from '../lib/gateway';
import { gatewayJobOptions, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import { mergeAll } from '../lib/histogram';
import { figureResult, type ContextValue, type FigureResult } from '../lib/report';
import { MAX_IN_FLIGHT, SEND_GRACE_MS, type PacedEnqueueApi, type PacedEnqueueInit } from '../load/end-to-end-api';
import { DRAIN_MS, play, startWatchers, startWorkers, stopAll, WORKERS, type SideRun, type Stage } from '../load/end-to-end-side';

/** The baseline: raw `Queue.add` of the same jobs (the options the gateway sets), the same workers, no gateway, no watchers. */
async function baselineSide(ctx: FigureContext): Promise<SideRun> {
  await ctx.emptyRedis();
  const queue = ctx.useQueue('bench-end-to-end');
  const init: PacedEnqueueInit = {
    via: 'raw',
    redisUrl: ctx.run.redis.url,
    prefix: ctx.prefix,
    queue,
    jobName: JOB_TYPE,
    opts: gatewayJobOptions(BENCH_OWNER),
  };
  const stage: Stage = {
    ctx,
    enqueuer: await ctx.child<PacedEnqueueApi>('load/paced-enqueue.ts', init, 'raw-enqueue'),
    workers: await startWorkers(ctx, queue),
    watchers: [],
    gatewayPid: null,
    perJob: 0,
  };
  try {
    return await play(stage);
  } finally {
    await stopAll(stage);
  }
}

async function gatewaySide(ctx: FigureContext): Promise<SideRun | { skipped: string }> {
  await ctx.emptyRedis();
  const gateway = await ctx.gateway();
  if ('skipped' in gateway) return gateway;
  const { rate, watchers, updates, gapMs } = ctx.profile.endToEnd;
  const init: PacedEnqueueInit = { via: 'gateway', url: gateway.url, token: gateway.token, jobType: JOB_TYPE };
  const stage: Stage = {
    ctx,
    enqueuer: await ctx.child<PacedEnqueueApi>('load/paced-enqueue.ts', init, 'gateway-enqueue'),
    workers: await startWorkers(ctx, ctx.useQueue(await queueOf(gateway, JOB_TYPE))),
    watchers: await startWatchers(ctx, gateway),
    gatewayPid: gateway.pid,
    perJob: Math.max(1, Math.floor(watchers / ((rate * updates * gapMs) / 1000))),
  };
  try {
    return await play(stage);
  } finally {
    await stopAll(stage);
    await gateway.stop();
  }
}

/**
 * Jobs acknowledged but not completed. A request that failed (e.g. reset) may still have added its job,
 * which then completes without having been counted as enqueued and offsets a lost one: with enqueue
 * errors (in the context) this is a lower bound.
 */
function lostOf(run: SideRun): number {
  return Math.max(0, run.enqueue.enqueued - run.workers.completed);
}

/** A side's context, its keys prefixed with `side`. */
function sideContext(side: string, run: SideRun): Record<string, ContextValue> {
  const lost = lostOf(run);
  const left = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed'].reduce((s, k) => s + (run.counts[k] ?? 0), 0);
  const context: Record<string, ContextValue> = {
    [`${side}Enqueued`]: run.enqueue.enqueued,
    [`${side}Completed`]: run.workers.completed,
    [`${side}Lost`]: lost,
    [`${side}LeftInQueue`]: left,
    [`${side}EnqueueErrors`]: run.enqueue.errors,
    [`${side}LateSends`]: run.enqueue.late,
    [`${side}Unsent`]: run.enqueue.unsent,
    [`${side}MaxInFlight`]: run.enqueue.maxInFlight,
    [`${side}EnqueueWindowS`]: run.windowMs / 1000,
    [`${side}SpanS`]: run.spanMs / 1000,
    [`${side}EnqueueP99Ms`]: mergeAll([run.enqueue.latency]).summary().p99,
    [`${side}ProgressSent`]: run.workers.progressSent,
    [`${side}WorkerErrors`]: run.workers.errors + run.workers.failed + run.workers.repeated,
    [`${side}RedisCpuPct`]: run.cpu.redis,
    [`${side}WorkerCpuPct`]: run.cpu.workers,
    [`${side}EnqueuerCpuPct`]: run.cpu.enqueuer,
  };
  const firstError = run.enqueue.firstError ?? run.workers.firstError;
  if (firstError) context[`${side}FirstError`] = firstError.slice(0, 200);
  return context;
}

/** The watchers' readings. */
function watchContext(run: SideRun): Record<string, ContextValue> {
  const watch = run.watch;
  if (!watch) return {};
  const latency = mergeAll([watch.latency]).summary();
  const perSec = (n: number): number => (n / run.windowMs) * 1000;
  return {
    progressP50Ms: latency.p50,
    progressP99Ms: latency.p99,
    progressMaxMs: latency.max,
    deliveriesPerSec: perSec(watch.progress),
    messagesPerSec: perSec(watch.messages),
    subscribesPerSec: perSec(watch.subscribed),
    meanOpenSubscriptions: watch.meanOpen,
    unfilledWatchers: watch.unfilled,
    subscriptionsNotEnded: watch.subscribed - watch.ended,
    watcherErrors: watch.errors,
    watcherSocketsClosed: watch.closed,
    ...(watch.firstError ? { watcherFirstError: watch.firstError.slice(0, 200) } : {}),
    watcherCpuPct: run.cpu.watchers,
  };
}

/** Figure `end-to-end`: jobs/s completed through the gateway with watchers against workers alone; target ≥ 0.99, none lost. */
export const endToEnd: Figure = {
  name: 'end-to-end',
  note: ({ endToEnd: e }) =>
    `end-to-end: ${e.rate} jobs/s for ${e.durationMs / 1000} s per side, added open loop (job i sent at i / ${e.rate} s; at most ${MAX_IN_FLIGHT} in flight, and those still unsent ${SEND_GRACE_MS / 1000} s after the window are counted unsent), each reporting progress ${e.updates} times ${e.gapMs} ms apart (\`sentAt\` in the payload) in one of ${WORKERS} plain BullMQ worker processes, then completing. Gateway side: one HTTP \`enqueue\` mutation per job, and ${e.watchers} WebSockets in a pool: each job the gateway acknowledges gets up to ${e.watchers} / (rate × job length) idle sockets, which subscribe to its \`jobEvents\` and take a later job once the gateway ends their subscription. Baseline: raw \`Queue.add\` of the same jobs (the options the gateway sets), the same workers, no gateway and no watchers. Value: jobs completed per second from the first job sent until every job had completed (the span: the window plus the last jobs' run, longer when a side falls behind); a job not completed ${DRAIN_MS / 1000} s after the last was enqueued is lost (line \`end-to-end-lost\`, target 0). Progress latency is a PROGRESS event's arrival at a watcher minus its \`sentAt\` (SNAPSHOTs not counted); CPU is each process's over the enqueue window, Redis's from INFO cpu.`,
  async run(ctx): Promise<FigureResult[]> {
    const { rate, durationMs, watchers, updates } = ctx.profile.endToEnd;
    const baseline = await baselineSide(ctx);
    ctx.log(
      `baseline: ${baseline.workers.completed}/${baseline.enqueue.enqueued} jobs completed, Redis ${baseline.cpu.redis.toFixed(1)}% CPU`,
    );
    const gateway = await gatewaySide(ctx);
    const skipped = 'skipped' in gateway ? gateway.skipped : undefined;
    const gatewayRun = 'skipped' in gateway ? null : gateway;
    const perSec = (run: SideRun): number => (run.workers.completed / run.spanMs) * 1000;
    const context: Record<string, ContextValue> = {
      rate,
      durationS: durationMs / 1000,
      watchers,
      updatesPerJob: updates,
      ...(gatewayRun
        ? {
            gatewayCpuPct: gatewayRun.cpu.gateway,
            gatewayRssMiB: gatewayRun.gatewayRssMiB,
            ...watchContext(gatewayRun),
            ...sideContext('gateway', gatewayRun),
          }
        : {}),
      ...sideContext('baseline', baseline),
    };
    return [
      figureResult({
        figure: 'end-to-end',
        unit: 'jobs/s',
        // Both sides complete the same jobs when they keep up; their spans differ by the drain's polling and the last jobs' run.
        target: { kind: 'min-ratio', value: 0.99 },
        gateway: gatewayRun ? perSec(gatewayRun) : null,
        baseline: perSec(baseline),
        skipped,
        context,
      }),
      figureResult({
        figure: 'end-to-end-lost',
        unit: 'jobs',
        target: { kind: 'max', value: 0 },
        gateway: gatewayRun ? lostOf(gatewayRun) : null,
        baseline: lostOf(baseline),
        skipped,
      }),
    ];
  },
};
