/**
 * Figures 1 and 2: enqueue throughput through the gateway's HTTP mutations
 * against raw BullMQ `Queue.add` / `Queue.addBulk` on the same Redis.
 */
import type { HttpFloorApi, HttpFloorInit, HttpLoadApi, Measured, QueueInit, RawEnqueueApi, RawJobOptions } from '../load/api';
import type { Figure, FigureContext } from '../lib/context';
import { BENCH_OWNER } from '../lib/gateway';
import { ENQUEUE_MANY, ENQUEUE_ONE, gatewayJobOptions, manyJobs, queueOf, JOB_TYPE } from '../lib/gateway-jobs';
import { Histogram } from '../lib/histogram';
import type { Child } from '../lib/ipc';
import { alternate, costed, describeCostedRun, roundRatios, summarize, type CostedRun, type RoundSide } from '../lib/costed-runs';
import { figureResult, type FigureResult, type Side } from '../lib/report';

const GRACE_MS = 60_000;

/**
 * Operations each side runs before it is measured, at least, besides a quarter of the window:
 * single requests (or `Queue.add` calls), or batches. A freshly started gateway needs thousands
 * of requests before its JIT settles, and quick mode's quarter window (250 ms) measured it cold,
 * at several times its steady CPU per job, against baselines of a few functions that warm at once.
 * Every side gets the same warm-up, so none is measured cold.
 */
const WARM_REQUESTS = 5_000;
const WARM_BATCHES = 20;
/** The longest a warm-up tops up, whatever it has done by then. */
const WARM_CAP_MS = 20_000;

/**
 * Warms a side: a quarter window of `run`, then more until {@link WARM_REQUESTS} (or
 * {@link WARM_BATCHES} of `jobsPerOp` jobs) are done. `run` gets a duration and a cap on operations.
 */
async function warmUp(windowMs: number, jobsPerOp: number, run: (durationMs: number, maxOps: number) => Promise<Measured>): Promise<void> {
  const wanted = jobsPerOp > 1 ? WARM_BATCHES : WARM_REQUESTS;
  const done = (await run(windowMs / 4, 10_000_000)).count / jobsPerOp;
  if (done < wanted) await run(WARM_CAP_MS, Math.ceil(wanted - done));
}

/** Jobs per second and latency percentiles of a measured run. */
function rate(m: Measured): { perSec: number; p50: number; p99: number } {
  const latency = Histogram.from(m.latency).summary();
  return { perSec: (m.count / m.elapsedMs) * 1000, p50: latency.p50, p99: latency.p99 };
}

async function rawEnqueuer(ctx: FigureContext): Promise<Child<RawEnqueueApi>> {
  const init: QueueInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue: ctx.useQueue('bench-raw') };
  return ctx.child<RawEnqueueApi>('load/raw-enqueue.ts', init, 'raw');
}

/** Where HTTP load goes, and the process whose CPU its jobs are charged. */
interface HttpTarget {
  url: string;
  token: string;
  pid: number;
}

/**
 * A closed-loop HTTP load on `target`, warmed up; `measure` runs it for `measureMs`, charging
 * the CPU of the target's process to the jobs.
 */
async function warmedHttpLoad(
  ctx: FigureContext,
  target: HttpTarget,
  body: string,
  concurrency: number,
  jobsPerRequest: number,
  measureMs: number,
): Promise<{ measure(): Promise<CostedRun> }> {
  const load = await ctx.child<HttpLoadApi>('load/http-load.ts', { url: target.url, token: target.token }, 'http');
  const { windowMs } = ctx.profile.enqueue;
  const args = { body, concurrency, jobsPerRequest, maxRequests: 10_000_000 };
  await warmUp(windowMs, jobsPerRequest, (durationMs, maxRequests) =>
    load.call('run', { ...args, durationMs, maxRequests }, durationMs + GRACE_MS),
  );
  return { measure: () => costed(target.pid, () => load.call('run', { ...args, durationMs: measureMs }, measureMs + GRACE_MS)) };
}

/** A fresh gateway on an emptied Redis, its job type's queue in use; the reason when there is no gateway. */
async function freshGateway(ctx: FigureContext): Promise<HttpTarget | { skipped: string }> {
  await ctx.emptyRedis();
  const gateway = await ctx.gateway();
  if ('skipped' in gateway) return gateway;
  ctx.useQueue(await queueOf(gateway, JOB_TYPE));
  return gateway;
}

/** The bare HTTP server that adds the same jobs (the floor of any gateway on `node:http`), on an emptied Redis. */
async function httpFloor(ctx: FigureContext, opts: RawJobOptions): Promise<HttpTarget> {
  await ctx.emptyRedis();
  const init: HttpFloorInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue: ctx.useQueue('bench-http-floor'), opts };
  const server = await ctx.child<HttpFloorApi>('baselines/http-enqueue-server.ts', init, 'http-floor');
  const { url } = await server.call('listen', {}, GRACE_MS);
  return { url, token: '', pid: server.pid };
}

/** The gateway's value over a baseline's, or null when the gateway side was not measured. */
function ratioTo(gateway: Side, perSec: number): number | null {
  return gateway.value === null ? null : gateway.value / perSec;
}

/** The gateway's side of a figure from its measured runs (every round's requests together), or why it was not measured. */
function gatewaySide(runs: readonly CostedRun[] | { skipped: string }): Side {
  if ('skipped' in runs) return { value: null, skipped: runs.skipped, context: {} };
  const r = summarize(runs);
  const firstError = runs.find((run) => run.firstError)?.firstError;
  const context = {
    gatewayP50Ms: r.p50,
    gatewayP99Ms: r.p99,
    gatewayCpuUsPerJob: r.cpuUsPerJob,
    gatewayErrors: r.errors,
    ...(firstError ? { gatewayFirstError: firstError.slice(0, 200) } : {}),
  };
  return { value: r.perSec > 0 ? r.perSec : null, context };
}

/** Each side's runs of {@link againstGateway}, and how many rounds they ran. */
interface Rounds {
  baselineRuns: CostedRun[][];
  gatewayRuns: CostedRun[] | { skipped: string };
  rounds: number;
}

/**
 * Measures `baselines` (warmed by the caller) and a fresh gateway, warmed here, under `body`'s
 * closed-loop load in the profile's alternating rounds, every round on an emptied Redis; without
 * a gateway, the baselines alone in one round.
 */
async function againstGateway(
  ctx: FigureContext,
  baselines: readonly RoundSide[],
  body: string,
  concurrency: number,
  jobsPerRequest: number,
): Promise<Rounds> {
  const { rounds: wanted, roundMs } = ctx.profile.enqueue;
  const target = await freshGateway(ctx);
  const sides = [...baselines];
  if (!('skipped' in target))
    sides.push({ name: 'gateway', ...(await warmedHttpLoad(ctx, target, body, concurrency, jobsPerRequest, roundMs)) });
  const rounds = 'skipped' in target ? 1 : wanted;
  const runs = await alternate(
    rounds,
    sides,
    () => ctx.emptyRedis(),
    (line) => ctx.log(line),
    describeCostedRun,
  );
  return {
    baselineRuns: runs.slice(0, baselines.length),
    gatewayRuns: 'skipped' in target ? target : (runs[baselines.length] ?? []),
    rounds,
  };
}

/** What a line's context says of its alternating rounds: how many, and each round's ratio of the gateway to `baselineRuns` (none when the gateway was not measured). */
function roundContext(
  rounds: number,
  gatewayRuns: readonly CostedRun[] | { skipped: string },
  baselineRuns: readonly CostedRun[],
): Record<string, number | string> {
  if ('skipped' in gatewayRuns) return { rounds };
  const ratios = roundRatios(gatewayRuns, baselineRuns);
  return {
    rounds,
    roundRatioMedian: ratios.median,
    roundRatioMin: ratios.min,
    roundRatioMax: ratios.max,
    roundRatios: ratios.all.map((ratio) => ratio.toFixed(3)).join(' '),
  };
}

/**
 * Figure 1: one job per request from 64 keep-alive clients vs `Queue.add` of the same jobs one at a time (target ≥ 1.0; bare
 * jobs and 64 in flight in context), and vs the bare HTTP floor (target ≥ 0.75).
 */
export const enqueueSingle: Figure = {
  name: 'enqueue-single',
  note: ({ enqueue }) =>
    `enqueue-single: \`enqueue\` mutations from ${enqueue.httpClients} keep-alive HTTP clients (closed loop) vs raw \`Queue.add\` awaited one at a time of the same jobs (the options the gateway sets: attempts, retention, owner); context has raw \`Queue.add\` of bare jobs (no options) one at a time and with ${enqueue.inFlight} in flight, the CPU each side spent per job, and the HTTP floor: the same load on a bare \`node:http\` server answering each POST with one \`Queue.add\` of the same job (no GraphQL, authentication, validation or metrics), its rate, CPU per job and ratio to the baseline (the ratio any gateway on Node's HTTP server could reach here); line \`enqueue-single-vs-http-floor\` is the gateway against that floor (target ≥ 0.75). \`Queue.add\` one at a time, the floor and the gateway are warmed, then measured in ${enqueue.rounds} round(s) of ${enqueue.roundMs / 1000} s each, in that order in odd rounds and reversed in even ones, each on an emptied Redis; a side's value is its jobs over all its rounds, and every round's ratio of the gateway to each baseline is in context. The bare sides run one ${enqueue.windowMs / 1000} s window each, on an emptied Redis. Each side is warmed by a quarter window and at least ${WARM_REQUESTS} requests.`,
  async run(ctx): Promise<FigureResult[]> {
    const { windowMs, inFlight, httpClients, roundMs } = ctx.profile.enqueue;
    const raw = await rawEnqueuer(ctx);
    const opts = gatewayJobOptions(BENCH_OWNER);
    const single = (lanes: number, options: typeof opts, durationMs: number) =>
      raw.call('single', { durationMs, inFlight: lanes, maxJobs: 10_000_000, opts: options }, durationMs + GRACE_MS);
    await warmUp(windowMs, 1, (durationMs, maxJobs) =>
      raw.call('single', { durationMs, inFlight: 1, maxJobs, opts }, durationMs + GRACE_MS),
    );
    const sameSide = { name: 'Queue.add', measure: () => costed(raw.pid, () => single(1, opts, roundMs)) };
    await ctx.emptyRedis();
    const bare = rate(await single(1, null, windowMs));
    await ctx.emptyRedis();
    const many = rate(await single(inFlight, null, windowMs));
    ctx.log(`raw Queue.add, bare: ${bare.perSec.toFixed(0)}/s one at a time, ${many.perSec.toFixed(0)}/s with ${inFlight} in flight`);
    const body = JSON.stringify({ query: ENQUEUE_ONE });
    const floorSide = { name: 'HTTP floor', ...(await warmedHttpLoad(ctx, await httpFloor(ctx, opts), body, httpClients, 1, roundMs)) };
    const {
      baselineRuns: [sameRuns = [], floorRuns = []],
      gatewayRuns,
      rounds,
    } = await againstGateway(ctx, [sameSide, floorSide], body, httpClients, 1);
    const same = summarize(sameRuns);
    const floor = summarize(floorRuns);
    const gateway = gatewaySide(gatewayRuns);
    return [
      figureResult({
        figure: 'enqueue-single',
        unit: 'jobs/s',
        target: { kind: 'min-ratio', value: 1.0 },
        gateway: gateway.value,
        baseline: same.perSec,
        skipped: gateway.skipped,
        context: {
          clients: httpClients,
          ...gateway.context,
          ...roundContext(rounds, gatewayRuns, sameRuns),
          baselineP50Ms: same.p50,
          baselineP99Ms: same.p99,
          baselineCpuUsPerJob: same.cpuUsPerJob,
          bareJobsPerSec: bare.perSec,
          ratioVsBare: ratioTo(gateway, bare.perSec),
          bareInFlight: inFlight,
          bareInFlightJobsPerSec: many.perSec,
          bareInFlightP99Ms: many.p99,
          ratioVsInFlight: ratioTo(gateway, many.perSec),
          httpFloorJobsPerSec: floor.perSec,
          httpFloorCpuUsPerJob: floor.cpuUsPerJob,
          httpFloorErrors: floor.errors,
          httpFloorRatio: floor.perSec / same.perSec,
        },
      }),
      figureResult({
        figure: 'enqueue-single-vs-http-floor',
        unit: 'jobs/s',
        target: { kind: 'min-ratio', value: 0.75 },
        gateway: gateway.value,
        baseline: floor.perSec,
        skipped: gateway.skipped,
        context: {
          clients: httpClients,
          ...roundContext(rounds, gatewayRuns, floorRuns),
          gatewayCpuUsPerJob: gateway.context.gatewayCpuUsPerJob,
          httpFloorCpuUsPerJob: floor.cpuUsPerJob,
          httpFloorP50Ms: floor.p50,
          httpFloorP99Ms: floor.p99,
          httpFloorErrors: floor.errors,
        },
      }),
    ];
  },
};

/** Figure 2: `enqueueMany` of 1,000 jobs per request vs `Queue.addBulk` of the same 1,000 jobs (bare jobs in context). */
export const enqueueBulk: Figure = {
  name: 'enqueue-bulk',
  note: ({ enqueue }) =>
    `enqueue-bulk: one client sending \`enqueueMany\` of ${enqueue.bulkSize} jobs per request back to back vs raw \`Queue.addBulk\` of the same ${enqueue.bulkSize} jobs (same data, the options the gateway sets) back to back; context has \`addBulk\` of ${enqueue.bulkSize} bare jobs (no options, one ${enqueue.windowMs / 1000} s window on an emptied Redis) and the CPU each side spent per job. \`addBulk\` and the gateway are warmed by a quarter window and at least ${WARM_BATCHES} batches, then measured in ${enqueue.rounds} round(s) of ${enqueue.roundMs / 1000} s each, in that order in odd rounds and reversed in even ones, each on an emptied Redis; a side's value is its jobs over all its rounds, every round's ratio in context.`,
  async run(ctx): Promise<FigureResult[]> {
    const { windowMs, bulkSize, roundMs } = ctx.profile.enqueue;
    const raw = await rawEnqueuer(ctx);
    const opts = gatewayJobOptions(BENCH_OWNER);
    const bulkOf = (options: typeof opts, durationMs: number) =>
      raw.call('bulk', { durationMs, batchSize: bulkSize, maxBatches: 100_000, opts: options }, durationMs + GRACE_MS);
    await warmUp(windowMs, bulkSize, (durationMs, maxBatches) =>
      raw.call('bulk', { durationMs, batchSize: bulkSize, maxBatches, opts }, durationMs + GRACE_MS),
    );
    await ctx.emptyRedis();
    const bare = rate(await bulkOf(null, windowMs));
    ctx.log(`raw Queue.addBulk, bare: ${bare.perSec.toFixed(0)} jobs/s`);
    const body = JSON.stringify({ query: ENQUEUE_MANY, variables: { jobs: manyJobs(bulkSize) } });
    const sameSide = { name: 'Queue.addBulk', measure: () => costed(raw.pid, () => bulkOf(opts, roundMs)) };
    const {
      baselineRuns: [sameRuns = []],
      gatewayRuns,
      rounds,
    } = await againstGateway(ctx, [sameSide], body, 1, bulkSize);
    const same = summarize(sameRuns);
    const gateway = gatewaySide(gatewayRuns);
    return [
      figureResult({
        figure: 'enqueue-bulk',
        unit: 'jobs/s',
        target: { kind: 'min-ratio', value: 1.0 },
        gateway: gateway.value,
        baseline: same.perSec,
        skipped: gateway.skipped,
        context: {
          batch: bulkSize,
          ...gateway.context,
          ...roundContext(rounds, gatewayRuns, sameRuns),
          baselineBatchP50Ms: same.p50,
          baselineBatchP99Ms: same.p99,
          baselineCpuUsPerJob: same.cpuUsPerJob,
          bareJobsPerSec: bare.perSec,
          ratioVsBare: ratioTo(gateway, bare.perSec),
        },
      }),
    ];
  },
};
