/**
 * Figure `sse`: subscriptions over Server-Sent Events (graphql-sse, distinct connections) against
 * the same subscriptions over WebSocket (graphql-ws) on the same gateway, in the same run: fan-out
 * deliveries/s to N subscribers (target: SSE at least 0.8× WebSocket), and resident memory per
 * idle subscription. The clients of both transports live in the same fleet processes, and their
 * own CPU is reported, so a ratio that moves can be told from a client that could not keep up.
 */
import type { Figure, FigureContext } from '../lib/context';
import { Fleet, shortfall } from '../lib/fleet';
import type { Gateway } from '../lib/gateway';
import { enqueueThroughGateway, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import { sleep } from '../lib/net';
import { cpuMs, openFileLimit, rssKib } from '../lib/procfs';
import { figureResult, type ContextValue, type FigureResult } from '../lib/report';
import { holdJobs, releaseJobs, whileEmitting, type HeldJobs } from './held-jobs';

/** The two transports compared; `ws` is the baseline. */
type Transport = 'ws' | 'sse';

const WARM_MS = 500;
/** After a side's clients are dropped, time for the gateway to end their subscriptions before the next side. */
const DROP_SETTLE_MS = 1_000;
/** Descriptors a server needs besides its client connections (Redis, listeners, stdio, libuv). */
const RESERVED_FDS = 256;
/** Waiting jobs the idle subscriptions watch. */
const IDLE_JOBS = 100;

/** One transport's window of fan-out. */
interface FanoutWindow {
  perSec: number;
  bytesPerMessage: number;
  p99Ms: number;
  /** The gateway's CPU per delivery, µs. */
  cpuUsPerDelivery: number;
  /** The fleet processes' CPU per delivery, µs, and in all as a percentage of one core. */
  clientCpuUsPerDelivery: number;
  clientCpuPct: number;
  emittedPerSec: number;
  errors: number;
  firstError?: string;
}

/** Subscribes the fleet over `transport`, measures one window of fan-out, then drops the clients. */
async function fanoutWindow(
  ctx: FigureContext,
  gateway: Gateway,
  fleet: Fleet,
  held: HeldJobs,
  transport: Transport,
): Promise<FanoutWindow> {
  const { subscribers, eventsPerSec } = ctx.profile.sse;
  const { jobs, windowMs } = ctx.profile.fanout;
  try {
    const missing = shortfall(await fleet.watch(gateway, subscribers, 1, held.ids, 90_000, transport), subscribers);
    if (missing) throw new Error(`${transport}: ${missing}`);
    const plan = { rate: eventsPerSec, jobs, maxInFlight: 256, warmMs: WARM_MS, maxMs: windowMs + 30_000, via: 'stream' as const };
    const { result, emitted } = await whileEmitting(held, plan, async () => {
      const gatewayBefore = cpuMs(gateway.pid);
      const clientsBefore = fleet.cpuMs();
      const window = await fleet.measure(windowMs);
      return { window, gatewayMs: cpuMs(gateway.pid) - gatewayBefore, clientMs: fleet.cpuMs() - clientsBefore };
    });
    const { window, gatewayMs, clientMs } = result;
    const perMessage = (ms: number): number => (window.messages > 0 ? (ms * 1000) / window.messages : Number.NaN);
    return {
      perSec: (window.messages / window.elapsedMs) * 1000,
      bytesPerMessage: window.messages > 0 ? window.bytes / window.messages : Number.NaN,
      p99Ms: window.latency.summary().p99,
      cpuUsPerDelivery: perMessage(gatewayMs),
      clientCpuUsPerDelivery: perMessage(clientMs),
      clientCpuPct: (clientMs / window.elapsedMs) * 100,
      emittedPerSec: (emitted.sent / emitted.elapsedMs) * 1000,
      errors: window.errors,
      ...(window.firstError ? { firstError: window.firstError.slice(0, 200) } : {}),
    };
  } finally {
    await fleet.close();
    await sleep(DROP_SETTLE_MS);
  }
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/** The mean of each number over the rounds, under `prefix` (the first error kept). */
function summary(prefix: Transport, windows: readonly FanoutWindow[]): Record<string, ContextValue> {
  const of = (pick: (w: FanoutWindow) => number): number => mean(windows.map(pick));
  const firstError = windows.find((w) => w.firstError)?.firstError;
  return {
    [`${prefix}PerSec`]: of((w) => w.perSec),
    [`${prefix}BytesPerMessage`]: of((w) => w.bytesPerMessage),
    [`${prefix}P99Ms`]: of((w) => w.p99Ms),
    [`${prefix}CpuUsPerDelivery`]: of((w) => w.cpuUsPerDelivery),
    [`${prefix}ClientCpuUsPerDelivery`]: of((w) => w.clientCpuUsPerDelivery),
    [`${prefix}ClientCpuPct`]: of((w) => w.clientCpuPct),
    [`${prefix}EmittedEventsPerSec`]: of((w) => w.emittedPerSec),
    [`${prefix}DeliveryErrors`]: windows.reduce((sum, w) => sum + w.errors, 0),
    ...(firstError ? { [`${prefix}FirstError`]: firstError } : {}),
  };
}

/** Fan-out over both transports, in alternating rounds on one gateway and the same held jobs. */
async function fanout(ctx: FigureContext): Promise<FigureResult> {
  const { subscribers, eventsPerSec, rounds } = ctx.profile.sse;
  const { jobs } = ctx.profile.fanout;
  const figure = `sse-fanout-${subscribers}-vs-gateway-ws`;
  const base = { figure, unit: 'deliveries/s', target: { kind: 'min-ratio', value: 0.8 } as const };
  const started = await ctx.gateway();
  if ('skipped' in started) return figureResult({ ...base, gateway: null, baseline: null, skipped: started.skipped });
  const held = await holdJobs(ctx, started, jobs);
  const fleet = await Fleet.start(ctx, subscribers, 'subscribers');
  const windows: Record<Transport, FanoutWindow[]> = { ws: [], sse: [] };
  try {
    for (let round = 0; round < rounds; round += 1) {
      const order: Transport[] = round % 2 === 0 ? ['ws', 'sse'] : ['sse', 'ws'];
      for (const transport of order) {
        const window = await fanoutWindow(ctx, started, fleet, held, transport);
        windows[transport].push(window);
        ctx.log(
          `round ${round + 1} ${transport}: ${window.perSec.toFixed(0)} deliveries/s, gateway ${window.cpuUsPerDelivery.toFixed(1)} µs/delivery, clients ${window.clientCpuPct.toFixed(0)}% of a core`,
        );
      }
    }
  } finally {
    await releaseJobs(held).catch((error: unknown) => ctx.log(`releasing jobs failed: ${String(error)}`));
    await fleet.stop();
    await held.worker.stop();
    await started.stop();
  }
  const overSse = summary('sse', windows.sse);
  const overWs = summary('ws', windows.ws);
  return figureResult({
    ...base,
    gateway: mean(windows.sse.map((w) => w.perSec)),
    baseline: mean(windows.ws.map((w) => w.perSec)),
    context: {
      subscribers,
      jobs,
      offeredEventsPerSec: eventsPerSec,
      rounds,
      // The ratio a CPU-bound gateway would reach: it moves less with other load than deliveries/s do.
      cpuRatio: Number(overWs.wsCpuUsPerDelivery) / Number(overSse.sseCpuUsPerDelivery),
      ...overSse,
      ...overWs,
    },
  });
}

/** KiB of gateway RSS per idle subscription over `transport`, at each size, on a fresh gateway. */
async function idleCurve(ctx: FigureContext, transport: Transport, sizes: readonly number[]): Promise<number[]> {
  const { settleMs } = ctx.profile.memory;
  const started = await ctx.gateway();
  if ('skipped' in started) throw new Error(started.skipped);
  // Jobs nobody processes stay waiting: their subscriptions get a SNAPSHOT, then stay idle.
  ctx.useQueue(await queueOf(started, JOB_TYPE));
  const ids = await enqueueThroughGateway(started, IDLE_JOBS);
  const fleet = await Fleet.start(ctx, Math.max(...sizes), `idle-${transport}`);
  try {
    await sleep(settleMs);
    const before = rssKib(started.pid);
    const perSubscription: number[] = [];
    let total = 0;
    for (const size of sizes) {
      const missing = shortfall(await fleet.watch(started, size - total, 1, ids, 180_000, transport), size - total);
      if (missing) throw new Error(`${transport}: ${missing}`);
      total = size;
      await sleep(settleMs);
      const rss = rssKib(started.pid);
      perSubscription.push((rss - before) / size);
      ctx.log(`${transport}: ${size} idle subscriptions, gateway RSS ${(rss / 1024).toFixed(0)} MiB`);
    }
    return perSubscription;
  } finally {
    await fleet.close();
    await fleet.stop();
    await started.stop();
  }
}

/** Memory per idle subscription over both transports, each on a gateway of its own (RSS does not shrink back). */
async function memory(ctx: FigureContext): Promise<FigureResult[]> {
  const cap = openFileLimit() - RESERVED_FDS;
  const requested = ctx.profile.memory.subscriptions;
  const sizes = requested.map((n) => Math.min(n, cap));
  if (sizes.some((n, i) => n !== requested[i])) ctx.log(`open-file limit ${openFileLimit()}: sizes capped to ${sizes.join(', ')}`);
  const results = (ws: number[] | null, sse: number[] | null, skipped?: string): FigureResult[] =>
    sizes.map((n, i) =>
      figureResult({
        figure: `sse-memory-${requested[i] ?? n}-vs-gateway-ws`,
        unit: 'KiB/sub',
        target: { kind: 'none' },
        gateway: sse?.[i] ?? null,
        baseline: ws?.[i] ?? null,
        skipped,
        context: { subscriptions: n },
      }),
    );
  try {
    const ws = await idleCurve(ctx, 'ws', sizes);
    const sse = await idleCurve(ctx, 'sse', sizes);
    return results(ws, sse);
  } catch (error) {
    return results(null, null, error instanceof Error ? error.message.slice(0, 200) : String(error));
  }
}

/** Figure `sse`: SSE fan-out vs WebSocket fan-out on the same gateway (target ≥ 0.8×), and memory per idle subscription of each. */
export const sse: Figure = {
  name: 'sse',
  note: ({ sse: s, fanout: f, memory: m }) =>
    `sse-*-vs-gateway-ws: the gateway over Server-Sent Events (graphql-sse's distinct connections mode: one \`POST /graphql/stream\` per subscription, read by plain \`http\` requests) as "gateway" vs the same gateway over WebSocket (graphql-ws, one socket per subscription) as "baseline", the clients of both in the same fleet processes, their CPU in context (\`*ClientCpuPct\`: % of one core, all fleet processes together). sse-fanout-${s.subscribers}: ${s.subscribers} subscribers over ${f.jobs} held jobs getting ${s.eventsPerSec} progress events/s (XADDed as for fanout-N), ${s.rounds} alternating round(s) of ${f.windowMs} ms per transport on one gateway, means over the rounds. sse-memory-N: N idle jobEvents subscriptions on ${IDLE_JOBS} waiting jobs, (gateway RSS − RSS before clients) / N, each transport on a fresh gateway, N at ${m.subscriptions.join(', ')} capped at the open-file limit − ${RESERVED_FDS}.`,
  async run(ctx): Promise<FigureResult[]> {
    const fanoutResult = await fanout(ctx).catch((error: unknown) =>
      figureResult({
        figure: `sse-fanout-${ctx.profile.sse.subscribers}-vs-gateway-ws`,
        unit: 'deliveries/s',
        target: { kind: 'min-ratio', value: 0.8 },
        gateway: null,
        baseline: null,
        skipped: `error: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`,
      }),
    );
    return [fanoutResult, ...(await memory(ctx))];
  },
};
