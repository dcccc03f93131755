/**
 * Figure 4: deliveries per second to N subscribers watching 100 jobs, pushed
 * until the server is CPU-bound, for the gateway, a raw `ws` broadcast and a
 * plain graphql-ws server with in-memory pub/sub.
 */
import type { Figure, FigureContext } from '../lib/context';
import { Fleet, shortfall, type FleetWindow } from '../lib/fleet';
import type { Gateway } from '../lib/gateway';
import { sleep } from '../lib/net';
import { withCpuOf } from '../lib/procfs';
import { figureResult, type FigureResult, type Side, type Target } from '../lib/report';
import { baselineTopics, startBaseline, type BaselineKind } from './baseline-servers';
import { holdJobs, releaseJobs, whileEmitting, type HeldJobs } from './held-jobs';

const WARM_MS = 500;
/** A socket with more than this waiting makes a baseline server pause publishing. */
const MAX_BUFFERED_BYTES = 256 * 1024;
/** The gateway is offered this many times the raw broadcast's delivery rate, so it saturates. */
const OVERLOAD = 1.5;

/** Delivery rate, message size, latency and the server's CPU per message of a window. */
interface Throughput {
  perSec: number;
  bytesPerMessage: number;
  p99Ms: number;
  cpuUsPerMessage: number;
}

/** Measures a window, charging the CPU process `pid` spent during it to the messages the clients got. */
async function measured(pid: number, measure: () => Promise<FleetWindow>): Promise<{ window: FleetWindow; cpuUsPerMessage: number }> {
  const { result: window, cpuMs } = await withCpuOf(pid, measure);
  return { window, cpuUsPerMessage: window.messages > 0 ? (cpuMs * 1000) / window.messages : Number.NaN };
}

function throughput(w: FleetWindow, cpuUsPerMessage: number): Throughput {
  return {
    perSec: (w.messages / w.elapsedMs) * 1000,
    bytesPerMessage: w.messages ? w.bytes / w.messages : Number.NaN,
    p99Ms: w.latency.summary().p99,
    cpuUsPerMessage,
  };
}

async function baselineThroughput(ctx: FigureContext, kind: BaselineKind, fleet: Fleet, subscribers: number): Promise<Throughput> {
  const { jobs, windowMs } = ctx.profile.fanout;
  const topics = baselineTopics(jobs);
  const baseline = await startBaseline(ctx, kind, fleet);
  try {
    await baseline.subscribe(subscribers, topics, subscribers);
    await baseline.server.call(
      'startPublishing',
      { topics, maxBufferedBytes: MAX_BUFFERED_BYTES, maxMs: WARM_MS + windowMs + 30_000 },
      10_000,
    );
    await sleep(WARM_MS);
    const { window, cpuUsPerMessage } = await measured(baseline.server.pid, () => fleet.measure(windowMs));
    await baseline.server.call('stopPublishing', {}, 30_000);
    return throughput(window, cpuUsPerMessage);
  } finally {
    await baseline.stop();
  }
}

async function gatewayThroughput(
  ctx: FigureContext,
  gateway: Gateway,
  fleet: Fleet,
  held: HeldJobs,
  subscribers: number,
  rawPerSec: number,
): Promise<Side> {
  const { jobs, windowMs } = ctx.profile.fanout;
  try {
    const connected = await fleet.watch(gateway, subscribers, 1, held.ids, 90_000);
    const missing = shortfall(connected, subscribers);
    if (missing) return { value: null, skipped: missing, context: {} };
    const offered = (OVERLOAD * rawPerSec * jobs) / subscribers;
    const plan = { rate: offered, jobs, maxInFlight: 256, warmMs: WARM_MS, maxMs: windowMs + 30_000, via: 'stream' as const };
    const { result, emitted } = await whileEmitting(held, plan, () => measured(gateway.pid, () => fleet.measure(windowMs)));
    const t = throughput(result.window, result.cpuUsPerMessage);
    return {
      value: result.window.messages > 0 ? t.perSec : null,
      context: {
        gatewayBytesPerMessage: t.bytesPerMessage,
        gatewayP99Ms: t.p99Ms,
        gatewayCpuUsPerDelivery: t.cpuUsPerMessage,
        offeredEventsPerSec: offered,
        emittedEventsPerSec: (emitted.sent / emitted.elapsedMs) * 1000,
        deliveryErrors: result.window.errors,
        ...(result.window.firstError ? { firstError: result.window.firstError.slice(0, 200) } : {}),
      },
    };
  } finally {
    await fleet.close();
  }
}

/**
 * The target against the raw `ws` broadcast: issue 24's ≥ 1.0× at 1,000 subscribers and ≥ 1.3× at 5,000; round
 * one's ≥ 0.5× at the smaller counts of the quick and smoke runs.
 */
function vsWsTarget(subscribers: number): Target {
  if (subscribers >= 5_000) return { kind: 'min-ratio', value: 1.3 };
  if (subscribers >= 1_000) return { kind: 'min-ratio', value: 1.0 };
  return { kind: 'min-ratio', value: 0.5 };
}

/** Figure 4: gateway deliveries/s vs plain graphql-ws (target ≥ 2×) and raw ws broadcast (`vsWsTarget`). */
export const fanout: Figure = {
  name: 'fanout',
  note: ({ fanout: f }) =>
    `fanout-N-vs-*: N subscribers (one socket each) spread over ${f.jobs} jobs; the gateway gets progress events at ${OVERLOAD}× the rate the raw broadcast delivered, written into the queue's event stream as BullMQ's \`updateProgress\` writes them but with pipelined XADDs (a processor's Lua call per update would take a good part of this 2-core machine from the gateway; figure 3 uses real \`updateProgress\`), baselines publish as fast as sockets drain (pausing above ${MAX_BUFFERED_BYTES / 1024} KiB buffered); deliveries/s counted at the clients over the window, and each server's CPU per delivery over it.`,
  async run(ctx): Promise<FigureResult[]> {
    const { subscribers, jobs } = ctx.profile.fanout;
    const started = await ctx.gateway();
    const gateway = 'skipped' in started ? null : started;
    const held = gateway ? await holdJobs(ctx, gateway, jobs) : null;
    const fleet = await Fleet.start(ctx, Math.max(...subscribers), 'subscribers');
    const results: FigureResult[] = [];
    try {
      for (const n of subscribers) {
        const raw = await baselineThroughput(ctx, 'raw', fleet, n);
        const plain = await baselineThroughput(ctx, 'graphql-ws', fleet, n);
        ctx.log(`${n} subscribers: raw ws ${raw.perSec.toFixed(0)}/s, plain graphql-ws ${plain.perSec.toFixed(0)}/s`);
        const side: Side =
          gateway && held
            ? await gatewayThroughput(ctx, gateway, fleet, held, n, raw.perSec)
            : { value: null, skipped: 'skipped' in started ? started.skipped : undefined, context: {} };
        const context = {
          subscribers: n,
          jobs,
          ...side.context,
          wsPerSec: raw.perSec,
          wsBytesPerMessage: raw.bytesPerMessage,
          wsCpuUsPerDelivery: raw.cpuUsPerMessage,
          graphqlWsPerSec: plain.perSec,
          graphqlWsBytesPerMessage: plain.bytesPerMessage,
          graphqlWsP99Ms: plain.p99Ms,
          graphqlWsCpuUsPerDelivery: plain.cpuUsPerMessage,
        };
        const common = { unit: 'deliveries/s', gateway: side.value, skipped: side.skipped, context };
        results.push(
          figureResult({ ...common, figure: `fanout-${n}-vs-graphql-ws`, target: { kind: 'min-ratio', value: 2 }, baseline: plain.perSec }),
        );
        results.push(figureResult({ ...common, figure: `fanout-${n}-vs-ws`, target: vsWsTarget(n), baseline: raw.perSec }));
      }
      return results;
    } finally {
      if (held) await releaseJobs(held);
    }
  },
};
