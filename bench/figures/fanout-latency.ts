/**
 * Figure `fanout-latency` (issue 24, target 1): progress latency under fan-out. Each round, `jobs`
 * jobs run in a plain BullMQ worker, each calling `updateProgress` 10 times a second with its send
 * time in the payload, then complete; each job is watched by subscribers / jobs sockets, through the
 * gateway (graphql-ws `jobEvents`) or through the raw relay (one `QueueEvents` listener and `ws`).
 * Rounds alternate between the two servers, both started afresh for each subscriber count, so each
 * side's first round is the first after its start. Latency is arrival at the client minus `sentAt`,
 * split by arrival time into the steady phase and the completion phase (from just before the first
 * job completes: the jobs completing over one period while the others still report, and every
 * subscription ending). A COMPLETED event carries the job's last progress, so it counts as a sample
 * of the completion phase, timed from that last update, on both sides alike.
 */
import type { Figure, FigureContext } from '../lib/context';
import { Fleet, shortfall, type FleetWindow } from '../lib/fleet';
import type { Gateway } from '../lib/gateway';
import { gatewayGc, gatewaySubscriptions } from '../lib/gateway-metrics';
import { enqueueThroughGateway, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import { mergeAll } from '../lib/histogram';
import type { Child } from '../lib/ipc';
import { sleep } from '../lib/net';
import { cpuMs } from '../lib/procfs';
import { figureResult, type ContextValue, type FigureResult, type Target } from '../lib/report';
import type { WorkerInit } from '../load/api';
import type { GcTotals, RunReport, RunningJobsWorkerApi } from '../load/fanout-latency-api';
import { startRelay, type RelayServer } from './baseline-servers';

/** Each job reports progress 10 times a second. */
const PERIOD_MS = 100;
/** Time for the `run` command to reach the worker before the first update is due. */
const LEAD_MS = 200;
/**
 * The completion window opens this long before the first job completes: the fleet gets the call a little
 * late on a loaded machine (timers, IPC), and a window opening after the first completion would leave the
 * fastest deliveries of the completion phase to the steady window, the faster side's more than the other's.
 */
const COMPLETION_MARGIN_MS = 50;
/**
 * The steady window closes this long before the completion window opens, which is then asked for at its
 * time: the steady window's answer comes back late on a loaded machine, and waiting for it would delay it.
 */
const STEADY_GAP_MS = 100;
/** The jobs complete within one period; the completion phase is measured in windows this long until it is over. */
const COMPLETION_WINDOW_MS = 500;
/** A completion phase still delivering after this is cut short (a saturated machine). */
const COMPLETION_MAX_MS = 30_000;
const SETUP_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 180_000;

/** The server a round goes through; `relay` is the baseline. */
type Side = 'gateway' | 'relay';

/** What one subscriber count's rounds share: the clients, the worker and both servers. */
interface Stage {
  ctx: FigureContext;
  subscribers: number;
  fleet: Fleet;
  worker: Child<RunningJobsWorkerApi>;
  gateway: Gateway | null;
  relay: RelayServer;
}

/** One round's latency and cost. */
interface Round {
  side: Side;
  firstOfSide: boolean;
  /** Over the whole round, steady and completion phases. */
  p50Ms: number;
  p99Ms: number;
  completionP99Ms: number;
  completionSamples: number;
  /** When the completion window was asked for, ms after the first completion (negative: before). */
  completionOpenedMs: number;
  /** How long the completion phase delivered (until a window without deliveries). */
  completionMs: number;
  maxMs: number;
  /** The serving process's CPU over the steady window per delivery in it, µs. */
  cpuUsPerDelivery: number;
  /** The serving process's CPU over the completion phase per subscription, µs: what ending a watch costs, with the last events. */
  completionCpuUsPerSubscription: number;
  /** Deliveries a second over the steady window (fewer than updates × watchers: lost or coalesced on the way). */
  deliveriesPerSec: number;
  /** The fleet processes' CPU over the steady window, % of one core: clients that cannot keep up show here. */
  clientCpuPct: number;
  /** Collections during the round, or null when they could not be read. */
  gc: GcTotals | null;
  /** Subscriptions the server no longer had open at the end of the round. */
  ended: number;
  errors: number;
  firstError?: string;
  run: RunReport;
}

const now = (): number => performance.timeOrigin + performance.now();

function median(values: readonly number[]): number | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const fmt = (v: number): string => (Number.isFinite(v) ? String(Number(v.toPrecision(3))) : '–');

async function gcTotals(stage: Stage, side: Side): Promise<GcTotals | null> {
  if (side === 'relay') return stage.relay.server.call('gc', {}, 5_000);
  return stage.gateway ? gatewayGc(stage.gateway).catch(() => null) : null;
}

function gcDelta(before: GcTotals | null, after: GcTotals | null): GcTotals | null {
  if (!before || !after) return null;
  return {
    minor: after.minor - before.minor,
    minorMs: after.minorMs - before.minorMs,
    major: after.major - before.major,
    majorMs: after.majorMs - before.majorMs,
  };
}

/** Adds the round's jobs, waits until they are active and subscribes the fleet to them through `side`. */
async function subscribe(stage: Stage, side: Side): Promise<void> {
  const { ctx, worker, gateway, fleet, subscribers } = stage;
  const { jobs } = ctx.profile.fanoutLatency;
  const gatewayIds = gateway ? await enqueueThroughGateway(gateway, jobs) : null;
  if (!gatewayIds) await worker.call('addJobs', { count: jobs }, SETUP_TIMEOUT_MS);
  const { ids } = await worker.call('waitActive', { count: jobs, timeoutMs: SETUP_TIMEOUT_MS }, SETUP_TIMEOUT_MS + 5_000);
  if (side === 'relay') return stage.relay.subscribe(subscribers, ids);
  if (!gateway || !gatewayIds) throw new Error('expected a gateway for a gateway round, got none');
  const missing = shortfall(await fleet.watch(gateway, subscribers, 1, gatewayIds, CONNECT_TIMEOUT_MS), subscribers);
  if (missing) throw new Error(`gateway round: ${missing}`);
}

/** Subscriptions `side`'s server has open now, as it counts them (the clients miss what arrives between two windows). */
async function openSubscriptions(stage: Stage, side: Side): Promise<number> {
  if (side === 'relay') return (await stage.relay.server.call('status', {}, 5_000)).subscribers;
  return stage.gateway ? gatewaySubscriptions(stage.gateway) : 0;
}

/**
 * Measures the completion phase, merged into one window: windows of {@link COMPLETION_WINDOW_MS} until `side`'s
 * server has no subscription left (asked after a window without deliveries, so as not to load it in the burst)
 * and a whole window after that delivers nothing: what it ended but had not yet written, or a backlog behind a
 * stall of the server or the clients, is measured to its end. Deliveries between two windows (one IPC round
 * trip) are missed.
 */
async function untilQuiet(stage: Stage, side: Side): Promise<FleetWindow> {
  const started = performance.now();
  const windows: FleetWindow[] = [];
  let ended = false;
  for (;;) {
    const window = await stage.fleet.measure(COMPLETION_WINDOW_MS);
    windows.push(window);
    if ((window.messages === 0 && ended) || performance.now() - started >= COMPLETION_MAX_MS) break;
    if (window.messages === 0) ended = (await openSubscriptions(stage, side)) === 0;
  }
  const sum = (pick: (w: FleetWindow) => number): number => windows.reduce((total, w) => total + pick(w), 0);
  return {
    messages: sum((w) => w.messages),
    bytes: sum((w) => w.bytes),
    errors: sum((w) => w.errors),
    firstError: windows.find((w) => w.firstError)?.firstError,
    completed: sum((w) => w.completed),
    closed: sum((w) => w.closed),
    elapsedMs: sum((w) => w.elapsedMs),
    latency: mergeAll(windows.map((w) => w.latency.toData())),
  };
}

/** Runs one round through `side`: jobs reporting for `steadyMs`, then completing. */
async function playRound(stage: Stage, side: Side, firstOfSide: boolean): Promise<Round> {
  const { ctx, worker, fleet, relay } = stage;
  const { steadyMs } = ctx.profile.fanoutLatency;
  await subscribe(stage, side);
  const pid = side === 'gateway' ? (stage.gateway?.pid ?? -1) : relay.server.pid;
  const gcBefore = await gcTotals(stage, side);
  const startAt = now() + LEAD_MS;
  await worker.call('run', { startAt, steadyMs, periodMs: PERIOD_MS }, SETUP_TIMEOUT_MS);
  await sleep(startAt - now());
  const cpuBefore = cpuMs(pid);
  const clientCpuBefore = fleet.cpuMs();
  const steady = await fleet.measure(steadyMs - COMPLETION_MARGIN_MS - STEADY_GAP_MS);
  const steadyCpuMs = cpuMs(pid) - cpuBefore;
  const clientCpuPct = ((fleet.cpuMs() - clientCpuBefore) / steady.elapsedMs) * 100;
  await sleep(startAt + steadyMs - COMPLETION_MARGIN_MS - now());
  const completionOpenedMs = now() - (startAt + steadyMs);
  const completionCpuBefore = cpuMs(pid);
  const completion = await untilQuiet(stage, side);
  const completionCpuMs = cpuMs(pid) - completionCpuBefore;
  const run = await worker.call('settle', { timeoutMs: SETUP_TIMEOUT_MS }, SETUP_TIMEOUT_MS + 5_000);
  const gc = gcDelta(gcBefore, await gcTotals(stage, side));
  const ended = stage.subscribers - (await openSubscriptions(stage, side));
  await fleet.close();
  const whole = mergeAll([steady.latency.toData(), completion.latency.toData()]).summary();
  const tail = completion.latency.summary();
  const firstError = steady.firstError ?? completion.firstError;
  return {
    side,
    firstOfSide,
    p50Ms: whole.p50,
    p99Ms: steady.latency.summary().p99,
    completionP99Ms: tail.p99,
    completionSamples: tail.count,
    completionOpenedMs,
    completionMs: completion.elapsedMs,
    maxMs: whole.max,
    cpuUsPerDelivery: steady.messages > 0 ? (steadyCpuMs * 1000) / steady.messages : Number.NaN,
    completionCpuUsPerSubscription: (completionCpuMs * 1000) / stage.subscribers,
    deliveriesPerSec: (steady.messages / steady.elapsedMs) * 1000,
    clientCpuPct,
    gc,
    ended,
    errors: steady.errors + completion.errors,
    ...(firstError ? { firstError: firstError.slice(0, 150) } : {}),
    run,
  };
}

/** One round as a line of context: every figure of it, since the spread between rounds is large. */
function describeRound(round: Round, subscribers: number): string {
  const gc = round.gc ? `${round.gc.minor} minor GC ${fmt(round.gc.minorMs)} ms, ${round.gc.major} major` : 'GC not read';
  const { run } = round;
  return [
    `${round.side}${round.firstOfSide ? ' (first after start)' : ''}: p50 ${fmt(round.p50Ms)} ms, p99 ${fmt(round.p99Ms)} ms`,
    `completion p99 ${fmt(round.completionP99Ms)} ms (${round.completionSamples} samples, window asked for at ${fmt(round.completionOpenedMs)} ms, measured over ${fmt(round.completionMs)} ms), max ${fmt(round.maxMs)} ms`,
    `${fmt(round.deliveriesPerSec)} deliveries/s, ${fmt(round.cpuUsPerDelivery)} µs CPU/delivery, completion ${fmt(round.completionCpuUsPerSubscription)} µs CPU/subscription, ${gc}, clients ${fmt(round.clientCpuPct)}% of a core`,
    `${round.ended}/${subscribers} ended, ${run.completed}/${run.jobs} jobs completed over ${fmt(run.completionSpreadMs)} ms`,
    `${run.progressSent} updates, worker lag ≤ ${fmt(run.maxTickLagMs)} ms`,
    ...(round.errors + run.errors > 0 ? [`${round.errors + run.errors} errors: ${round.firstError ?? run.firstError ?? ''}`] : []),
  ].join('; ');
}

/** The three figure lines of one subscriber count: medians over each side's rounds, every round in context. */
function figureLines(ctx: FigureContext, subscribers: number, rounds: readonly Round[], skipped: string | undefined): FigureResult[] {
  const { jobs, roundsPerSide, steadyMs } = ctx.profile.fanoutLatency;
  const of = (side: Side, pick: (r: Round) => number): number | null => median(rounds.filter((r) => r.side === side).map(pick));
  const context: Record<string, ContextValue> = {
    subscribers,
    jobs,
    watchersPerJob: subscribers / jobs,
    progressPerSec: (jobs * 1000) / PERIOD_MS,
    roundsPerSide,
    steadyMs,
    gatewayCpuUsPerDelivery: of('gateway', (r) => r.cpuUsPerDelivery),
    relayCpuUsPerDelivery: of('relay', (r) => r.cpuUsPerDelivery),
    gatewayCompletionCpuUsPerSubscription: of('gateway', (r) => r.completionCpuUsPerSubscription),
    relayCompletionCpuUsPerSubscription: of('relay', (r) => r.completionCpuUsPerSubscription),
    gatewayMinorGcPerRound: of('gateway', (r) => r.gc?.minor ?? Number.NaN),
    gatewayMinorGcMsPerRound: of('gateway', (r) => r.gc?.minorMs ?? Number.NaN),
    relayMinorGcPerRound: of('relay', (r) => r.gc?.minor ?? Number.NaN),
    relayMinorGcMsPerRound: of('relay', (r) => r.gc?.minorMs ?? Number.NaN),
  };
  rounds.forEach((round, i) => (context[`round${String(i + 1).padStart(2, '0')}`] = describeRound(round, subscribers)));
  const p99: Target = { kind: 'max-over-baseline', value: subscribers >= 5_000 ? 10 : 5 };
  const line = (suffix: string, target: Target, pick: (r: Round) => number): FigureResult =>
    figureResult({
      figure: `fanout-latency-${subscribers}-${suffix}`,
      unit: 'ms',
      target,
      gateway: of('gateway', pick),
      baseline: of('relay', pick),
      skipped,
      context,
    });
  return [
    line('p50', { kind: 'max-over-baseline', value: 1 }, (r) => r.p50Ms),
    line('p99', p99, (r) => r.p99Ms),
    line('p99-completion', p99, (r) => r.completionP99Ms),
  ];
}

/** Starts both servers for one subscriber count, plays the alternating rounds and stops the servers. */
async function measureAt(
  ctx: FigureContext,
  fleet: Fleet,
  subscribers: number,
  workerOn: (queue: string) => Promise<Child<RunningJobsWorkerApi>>,
): Promise<FigureResult[]> {
  const started = await ctx.gateway();
  const gateway = 'skipped' in started ? null : started;
  const queue = ctx.useQueue(gateway ? await queueOf(gateway, JOB_TYPE) : 'bench-jobs');
  const stage: Stage = {
    ctx,
    subscribers,
    fleet,
    worker: await workerOn(queue),
    gateway,
    relay: await startRelay(ctx, { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue }, fleet),
  };
  const rounds: Round[] = [];
  try {
    for (let i = 0; i < ctx.profile.fanoutLatency.roundsPerSide; i += 1) {
      if (gateway) rounds.push(await playRound(stage, 'gateway', i === 0));
      rounds.push(await playRound(stage, 'relay', i === 0));
      ctx.log(
        `${subscribers} subscribers, round pair ${i + 1}: ${rounds
          .slice(-2)
          .map((r) => describeRound(r, subscribers))
          .join(' | ')}`,
      );
    }
  } finally {
    await stage.relay.server.stop();
    await gateway?.stop();
  }
  return figureLines(ctx, subscribers, rounds, 'skipped' in started ? started.skipped : undefined);
}

/** Figure `fanout-latency`: gateway p50 ≤ relay + 1 ms, p99 ≤ relay + 5 ms at 1,000 subscribers (+10 ms at 5,000). */
export const fanoutLatency: Figure = {
  name: 'fanout-latency',
  note: ({ fanoutLatency: f }) =>
    `fanout-latency-N-*: ${f.jobs} jobs in a plain BullMQ worker, each calling \`updateProgress\` every ${PERIOD_MS} ms (${(f.jobs * 1000) / PERIOD_MS} updates/s, \`sentAt\` in the payload) for ${f.steadyMs} ms, then completing (over one period, while the others still report); each job watched by N / ${f.jobs} sockets through the gateway (graphql-ws \`jobEvents\`) or through the raw relay (\`bench/baselines/raw-relay-server.ts\`: one \`QueueEvents\` listener, each event serialized once and sent to its job's sockets), ${f.roundsPerSide} alternating rounds per side on servers started afresh for each N (the first round of each is the first after start). Per round: p50 over the round, p99 of the steady phase (arrivals until ${COMPLETION_MARGIN_MS + STEADY_GAP_MS} ms before the first completion), p99 of the completion phase (arrivals from ${COMPLETION_MARGIN_MS} ms before the first completion until the server had ended every subscription and a whole ${COMPLETION_WINDOW_MS} ms window after that had no delivery; a COMPLETED event, which carries the job's last progress, counts as a sample timed from that update), CPU per delivery over the steady window, CPU over the completion phase per subscription (the last events of the round and every subscription's end, a few progress events of the other jobs included) and young-generation GC over the round of the serving process (the gateway's from its /metrics); the lines are medians over each side's rounds, every round in context.`,
  async run(ctx): Promise<FigureResult[]> {
    const { subscribers } = ctx.profile.fanoutLatency;
    const fleet = await Fleet.start(ctx, Math.max(...subscribers), 'subscribers');
    let worker: Child<RunningJobsWorkerApi> | null = null;
    // The worker needs the queue's name, which the first gateway tells; later counts reuse it.
    const workerOn = async (queue: string): Promise<Child<RunningJobsWorkerApi>> => {
      const { jobs } = ctx.profile.fanoutLatency;
      const init: WorkerInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue, concurrency: jobs, jobName: JOB_TYPE };
      worker ??= await ctx.child<RunningJobsWorkerApi>('load/running-jobs-worker.ts', init, 'worker');
      return worker;
    };
    const results: FigureResult[] = [];
    for (const n of subscribers) results.push(...(await measureAt(ctx, fleet, n, workerOn)));
    return results;
  },
};
