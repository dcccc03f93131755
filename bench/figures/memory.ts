/**
 * Figure 5: resident memory per idle subscription, each on its own
 * WebSocket, read from /proc as (RSS now − RSS before any client) / clients.
 * Sizes are reached incrementally on one server process. Figure
 * `many-subscriptions`: the same at 50,000 on one gateway process, then
 * progress events delivered to them all.
 */
import type { WorkerInit, ProgressWorkerApi } from '../load/api';
import type { Figure, FigureContext } from '../lib/context';
import { Fleet, shortfall } from '../lib/fleet';
import type { Gateway } from '../lib/gateway';
import { enqueueThroughGateway, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import { sleep } from '../lib/net';
import { cpuMs, openFileLimit, raiseOpenFileLimit, rssKib } from '../lib/procfs';
import { figureResult, type ContextValue, type FigureResult } from '../lib/report';
import { baselineTopics, startBaseline, type BaselineKind } from './baseline-servers';

/** Descriptors a server needs besides its client sockets (Redis, listeners, stdio, libuv). */
const RESERVED_FDS = 256;
const JOBS = 100;

/** RSS growth per client, in KiB, at each size (same order as `sizes`). */
type Curve = number[];

/** Adds clients up to each size in turn and reads the server's RSS after `settleMs`. */
async function curve(
  ctx: FigureContext,
  pid: number,
  sizes: readonly number[],
  add: (count: number, total: number) => Promise<void>,
): Promise<Curve> {
  const { settleMs } = ctx.profile.memory;
  await sleep(settleMs);
  const before = rssKib(pid);
  const perClient: Curve = [];
  let total = 0;
  for (const size of sizes) {
    await add(size - total, size);
    total = size;
    await sleep(settleMs);
    perClient.push((rssKib(pid) - before) / size);
    ctx.log(`pid ${pid}: ${size} clients, RSS ${(rssKib(pid) / 1024).toFixed(0)} MiB`);
  }
  return perClient;
}

async function baselineCurve(ctx: FigureContext, kind: BaselineKind, fleet: Fleet, sizes: readonly number[]): Promise<Curve> {
  const topics = baselineTopics(JOBS);
  const baseline = await startBaseline(ctx, kind, fleet);
  try {
    return await curve(ctx, baseline.server.pid, sizes, (count, total) => baseline.subscribe(count, topics, total));
  } finally {
    await baseline.stop();
  }
}

async function gatewayCurve(ctx: FigureContext, gateway: Gateway, fleet: Fleet, sizes: readonly number[]): Promise<Curve> {
  // Jobs nobody processes stay waiting: their subscriptions get a SNAPSHOT, then stay idle.
  ctx.useQueue(await queueOf(gateway, JOB_TYPE));
  const ids = await enqueueThroughGateway(gateway, JOBS);
  try {
    return await curve(ctx, gateway.pid, sizes, async (count) => {
      const missing = shortfall(await fleet.watch(gateway, count, 1, ids, 180_000), count);
      if (missing) throw new Error(missing);
    });
  } finally {
    await fleet.close();
  }
}

/** Figure 5: gateway KiB per idle subscription vs raw `ws` idle connection; target ≤ 8 at 20,000 (issue 24; round one's was 15). */
export const memory: Figure = {
  name: 'memory',
  note: ({ memory: m }) =>
    `memory-N: N idle jobEvents subscriptions, one WebSocket each (SNAPSHOT received), on ${JOBS} waiting jobs; (server RSS − RSS before clients) / N vs a raw \`ws\` server with N idle connections${m.plainGraphqlWs ? '; plain graphql-ws in context' : ''}. The bench raises its open-file limit, which the servers inherit, to N + ${RESERVED_FDS} (\`prlimit\`, root), and caps N at the limit − ${RESERVED_FDS} when it cannot.`,
  async run(ctx): Promise<FigureResult[]> {
    const requested = ctx.profile.memory.subscriptions;
    // The servers started from here on inherit the bench's limit, raised to hold the largest size when permitted.
    const cap = raiseOpenFileLimit(process.pid, Math.max(...requested) + RESERVED_FDS) - RESERVED_FDS;
    const sizes = requested.map((n) => Math.min(n, cap));
    if (sizes.some((n, i) => n !== requested[i])) ctx.log(`open-file limit ${openFileLimit()}: sizes capped to ${sizes.join(', ')}`);
    const fleet = await Fleet.start(ctx, Math.max(...sizes), 'idle');
    const raw = await baselineCurve(ctx, 'raw', fleet, sizes);
    const plain = ctx.profile.memory.plainGraphqlWs ? await baselineCurve(ctx, 'graphql-ws', fleet, sizes) : [];
    const started = await ctx.gateway();
    const gateway = 'skipped' in started ? null : await gatewayCurve(ctx, started, fleet, sizes);
    return sizes.map((n, i) =>
      figureResult({
        figure: `memory-${requested[i] ?? n}`,
        unit: 'KiB/sub',
        target: (requested[i] ?? n) >= 20_000 ? { kind: 'max', value: 8 } : { kind: 'none' },
        gateway: gateway?.[i] ?? null,
        baseline: raw[i] ?? null,
        skipped: 'skipped' in started ? started.skipped : undefined,
        context: { subscriptions: n, graphqlWsKibPerSub: plain[i] ?? null },
      }),
    );
  },
};

/** Opening tens of thousands of subscriptions, each with its SNAPSHOT, takes minutes on a loaded machine. */
const MANY_CONNECT_TIMEOUT_MS = 600_000;
/** The first deliveries after the idle spell run code not yet optimised: they are left out of the window. */
const DELIVERY_WARM_MS = 1_000;

/**
 * Raises the open-file limit of server `pid` to hold `wanted` clients and returns how many it can
 * hold then: fewer than `wanted` when the limit could not be raised (not root, no `prlimit`).
 */
function roomFor(ctx: FigureContext, pid: number, wanted: number): number {
  const limit = raiseOpenFileLimit(pid, wanted + RESERVED_FDS);
  if (limit < wanted + RESERVED_FDS) ctx.log(`pid ${pid}: open-file limit ${limit}, could not raise it to ${wanted + RESERVED_FDS}`);
  return Math.min(wanted, limit - RESERVED_FDS);
}

/**
 * How `wanted` subscriptions are spread over sockets when a server holds `room` sockets at most: one
 * each when it can, else as few per socket as fit (a fallback the figure's context says).
 */
function spread(wanted: number, room: number): { sockets: number; perSocket: number } {
  const perSocket = Math.ceil(wanted / room);
  return { sockets: Math.ceil(wanted / perSocket), perSocket };
}

/** What the gateway did with its idle subscriptions, then delivering progress events to them. */
interface ManyRun {
  subscriptions: number;
  kibPerSub: number;
  context: Record<string, ContextValue>;
}

/** Subscribes `sockets` × `perSocket` subscriptions to running jobs, reads RSS, then delivers progress events for a window. */
async function manyOnGateway(ctx: FigureContext, gateway: Gateway, fleet: Fleet, sockets: number, perSocket: number): Promise<ManyRun> {
  const { jobs, eventsPerSec, windowMs } = ctx.profile.manySubscriptions;
  const subscriptions = sockets * perSocket;
  const queue = ctx.useQueue(await queueOf(gateway, JOB_TYPE));
  const init: WorkerInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue, concurrency: jobs, jobName: JOB_TYPE };
  const worker = await ctx.child<ProgressWorkerApi>('load/progress-worker.ts', init, 'worker');
  const ids = await enqueueThroughGateway(gateway, jobs);
  const { active } = await worker.call('waitActive', { count: jobs, timeoutMs: 60_000 }, 70_000);
  if (active < jobs) throw new Error(`expected ${jobs} active jobs, got ${active}`);
  await sleep(ctx.profile.memory.settleMs);
  const before = rssKib(gateway.pid);
  const t0 = performance.now();
  const missing = shortfall(await fleet.watch(gateway, sockets, perSocket, ids, MANY_CONNECT_TIMEOUT_MS), subscriptions);
  if (missing) throw new Error(missing);
  const connectS = (performance.now() - t0) / 1000;
  await sleep(ctx.profile.memory.settleMs);
  const idle = rssKib(gateway.pid);
  ctx.log(`${subscriptions} subscriptions on ${sockets} sockets in ${connectS.toFixed(0)} s, gateway RSS ${(idle / 1024).toFixed(0)} MiB`);
  const emitting = {
    rate: eventsPerSec,
    jobs,
    maxInFlight: 100,
    maxMs: DELIVERY_WARM_MS + windowMs + 30_000,
    via: 'updateProgress',
  } as const;
  await worker.call('startEmitting', emitting, 10_000);
  await sleep(DELIVERY_WARM_MS);
  const cpuBefore = cpuMs(gateway.pid);
  const window = await fleet.measure(windowMs);
  const cpuPct = ((cpuMs(gateway.pid) - cpuBefore) / window.elapsedMs) * 100;
  const emitted = await worker.call('stopEmitting', {}, 10_000);
  const latency = window.latency.summary();
  return {
    subscriptions,
    kibPerSub: (idle - before) / subscriptions,
    context: {
      gatewayKibPerSocket: (idle - before) / sockets,
      subscriptions,
      sockets,
      subscriptionsPerSocket: perSocket,
      gatewayRssMiB: idle / 1024,
      connectS,
      rssAfterDeliveryMiB: rssKib(gateway.pid) / 1024,
      deliveriesPerSec: (window.messages / window.elapsedMs) * 1000,
      expectedDeliveriesPerSec: (eventsPerSec * subscriptions) / jobs,
      p50Ms: latency.p50,
      p99Ms: latency.p99,
      maxMs: latency.max,
      gatewayCpuPct: cpuPct,
      progressSent: emitted.sent,
      errors: window.errors + emitted.errors,
      ...(window.firstError ? { firstError: window.firstError.slice(0, 200) } : {}),
    },
  };
}

/** Figure `many-subscriptions`: 50,000 idle subscriptions on one gateway process (KiB each vs raw `ws`), then deliveries to them. */
export const manySubscriptions: Figure = {
  name: 'many-subscriptions',
  note: ({ manySubscriptions: m }) =>
    `many-subscriptions-N: N = ${m.subscriptions} jobEvents subscriptions on one gateway process, one WebSocket each (SNAPSHOT received), from fleet processes bound to source addresses 127.0.0.2, 127.0.0.3, … (one address's ephemeral ports would run out). The bench raises the gateway's open-file limit with \`prlimit\`; when it cannot (raising a hard limit needs CAP_SYS_RESOURCE), the subscriptions share sockets, as few per socket as fit, and the context says so. (RSS − RSS before clients) / N against a raw \`ws\` server's RSS per idle connection, with as many connections as the gateway has sockets (so with shared sockets the two are not like for like: the gateway's RSS per socket is in context). Then ${m.jobs} active jobs, each watched by N / ${m.jobs} subscriptions, get ${m.eventsPerSec} \`updateProgress\` calls a second in all for ${m.windowMs / 1000} s: deliveries/s, p50/p99 latency (arrival − \`sentAt\`) and the gateway's CPU in context.`,
  async run(ctx): Promise<FigureResult[]> {
    const wanted = ctx.profile.manySubscriptions.subscriptions;
    const fleet = await Fleet.start(ctx, wanted, 'many', true);
    const started = await ctx.gateway();
    const gateway = 'skipped' in started ? null : started;
    const { sockets, perSocket } = spread(wanted, gateway ? roomFor(ctx, gateway.pid, wanted) : wanted);
    const shared: Record<string, ContextValue> = {};
    if (perSocket > 1)
      shared.sharedSockets = `open-file limit ${openFileLimit(gateway?.pid)} could not be raised: ${perSocket} subscriptions per socket`;
    const run = gateway ? await manyOnGateway(ctx, gateway, fleet, sockets, perSocket).finally(() => fleet.close()) : null;
    await gateway?.stop();
    const baseline = await startBaseline(ctx, 'raw', fleet);
    const rawCount = roomFor(ctx, baseline.server.pid, sockets);
    let raw: number;
    try {
      [raw = Number.NaN] = await curve(ctx, baseline.server.pid, [rawCount], (count, total) =>
        baseline.subscribe(count, baselineTopics(JOBS), total),
      );
    } finally {
      await baseline.stop();
    }
    return [
      figureResult({
        figure: `many-subscriptions-${wanted}`,
        unit: 'KiB/sub',
        target: { kind: 'none' },
        gateway: run?.kibPerSub ?? null,
        baseline: raw,
        skipped: 'skipped' in started ? started.skipped : undefined,
        context: { ...run?.context, rawConnections: rawCount, ...shared },
      }),
    ];
  },
};
