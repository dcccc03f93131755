/**
 * Tracing's cost: the gateway with OpenTelemetry tracing off (no endpoint: the SDK is not even
 * loaded) and on (sampler `always_on`, every span exported over OTLP/HTTP (protobuf) to a receiver in
 * this process), in alternating rounds of the same run: single enqueues, and fan-out of progress
 * events to watchers (one span per read of the stream). Target: on within 15% of off.
 */
import { OtlpReceiver } from '../../test/support/otlp-receiver';
import type { HttpLoadApi, Measured } from '../load/api';
import type { Figure, FigureContext } from '../lib/context';
import { alternate } from '../lib/costed-runs';
import { Fleet, shortfall } from '../lib/fleet';
import { ENQUEUE_ONE, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import { withCpuOf } from '../lib/procfs';
import { figureResult, type FigureResult } from '../lib/report';
import { holdJobs, releaseJobs, whileEmitting } from './held-jobs';

const GRACE_MS = 60_000;
const WARM_MS = 500;

type Side = 'off' | 'on';

/** One side's measurement: its rate and the CPU the gateway spent per unit. */
interface Sample {
  perSec: number;
  cpuUs: number;
  /** Of `cpuUs`, what the main thread (the event loop) spent. */
  loopCpuUs: number;
}

const mean = (samples: Sample[], key: keyof Sample): number => samples.reduce((sum, s) => sum + s[key], 0) / samples.length;

/** A round's sample: `count` jobs or deliveries over `elapsedMs`, and the gateway's CPU over them (`withCpuOf`). */
function sampleOf(count: number, elapsedMs: number, { cpuMs, mainThreadCpuMs }: { cpuMs: number; mainThreadCpuMs: number }): Sample {
  return { perSec: (count / elapsedMs) * 1000, cpuUs: (cpuMs * 1000) / count, loopCpuUs: (mainThreadCpuMs * 1000) / count };
}

function tracingEnv(side: Side, receiver: OtlpReceiver): Record<string, string> {
  if (side === 'off') return { OTEL_SDK_DISABLED: '', OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '' };
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    // The default encoding, as a deployment would export (the receiver only counts bytes).
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'always_on',
    OTEL_SDK_DISABLED: '',
  };
}

/** Single enqueues from `httpClients` keep-alive clients against a fresh gateway. */
async function enqueueRound(ctx: FigureContext, side: Side, receiver: OtlpReceiver): Promise<Sample> {
  const { windowMs, httpClients } = ctx.profile.tracing;
  const gateway = await ctx.gateway(tracingEnv(side, receiver));
  if ('skipped' in gateway) throw new Error(gateway.skipped);
  try {
    ctx.useQueue(await queueOf(gateway, JOB_TYPE));
    const load = await ctx.child<HttpLoadApi>('load/http-load.ts', { url: gateway.url, token: gateway.token }, `http-${side}`);
    const args = { body: JSON.stringify({ query: ENQUEUE_ONE }), concurrency: httpClients, jobsPerRequest: 1, maxRequests: 10_000_000 };
    await load.call('run', { ...args, durationMs: windowMs / 4 }, windowMs + GRACE_MS);
    const measured = await withCpuOf(
      gateway.pid,
      () => load.call('run', { ...args, durationMs: windowMs }, windowMs + GRACE_MS) as Promise<Measured>,
    );
    const { result } = measured;
    if (result.errors > 0) throw new Error(`${side}: ${result.errors} enqueue errors, first: ${result.firstError ?? ''}`);
    await load.stop();
    return sampleOf(result.count, result.elapsedMs, measured);
  } finally {
    await gateway.stop();
  }
}

/** Progress events at a fixed rate over held jobs, each watched by `subscribers / jobs` sockets of a fresh gateway. */
async function fanoutRound(ctx: FigureContext, side: Side, receiver: OtlpReceiver): Promise<Sample> {
  const { windowMs, subscribers, jobs, eventsPerSec } = ctx.profile.tracing;
  const gateway = await ctx.gateway(tracingEnv(side, receiver));
  if ('skipped' in gateway) throw new Error(gateway.skipped);
  const held = await holdJobs(ctx, gateway, jobs);
  const fleet = await Fleet.start(ctx, subscribers, `subscribers-${side}`);
  try {
    const missing = shortfall(await fleet.watch(gateway, subscribers, 1, held.ids, 90_000), subscribers);
    if (missing) throw new Error(`${side}: ${missing}`);
    const plan = { rate: eventsPerSec, jobs, maxInFlight: 256, warmMs: WARM_MS, maxMs: windowMs + 30_000, via: 'stream' as const };
    const { result: measured } = await whileEmitting(held, plan, () => withCpuOf(gateway.pid, () => fleet.measure(windowMs)));
    return sampleOf(measured.result.messages, measured.result.elapsedMs, measured);
  } finally {
    await fleet.close();
    await releaseJobs(held).catch(() => undefined);
    await fleet.stop();
    await held.worker.stop();
    await gateway.stop();
  }
}

/**
 * Runs `round` for each side in alternating rounds (off, on, on, off, …), each on an emptied
 * Redis, so drift in the machine's load hits both.
 */
async function compare(
  ctx: FigureContext,
  receiver: OtlpReceiver,
  round: (ctx: FigureContext, side: Side, receiver: OtlpReceiver) => Promise<Sample>,
): Promise<Record<Side, Sample[]>> {
  const [off = [], on = []] = await alternate(
    ctx.profile.tracing.rounds,
    (['off', 'on'] as const).map((side) => ({ name: side, measure: () => round(ctx, side, receiver) })),
    () => ctx.emptyRedis(),
    (line) => ctx.log(line),
    (sample) =>
      `${sample.perSec.toFixed(0)}/s, ${sample.cpuUs.toFixed(1)} µs gateway CPU each, ${sample.loopCpuUs.toFixed(1)} on its main thread`,
  );
  return { off, on };
}

function result(figure: string, unit: string, samples: Record<Side, Sample[]>, context: Record<string, number>): FigureResult {
  return figureResult({
    figure,
    unit,
    target: { kind: 'min-ratio', value: 0.85 },
    gateway: mean(samples.on, 'perSec'),
    baseline: mean(samples.off, 'perSec'),
    context: {
      rounds: samples.on.length,
      roundRatios: samples.on.map((on, index) => (on.perSec / (samples.off[index] ?? on).perSec).toFixed(3)).join(' '),
      onCpuUs: mean(samples.on, 'cpuUs'),
      offCpuUs: mean(samples.off, 'cpuUs'),
      cpuRatio: mean(samples.on, 'cpuUs') / mean(samples.off, 'cpuUs'),
      onLoopCpuUs: mean(samples.on, 'loopCpuUs'),
      offLoopCpuUs: mean(samples.off, 'loopCpuUs'),
      ...context,
    },
  });
}

/** Tracing on vs off, same run: single enqueue and fan-out (target: on ≥ 0.85 × off). */
export const tracing: Figure = {
  name: 'tracing',
  note: ({ tracing: t }) =>
    `tracing-*: the gateway with tracing on (\`OTEL_TRACES_SAMPLER=always_on\`, every span exported over OTLP/HTTP protobuf to a receiver in the bench process) as "gateway" vs off (no endpoint: the SDK not loaded) as "baseline", ${t.rounds} alternating round(s) of ${t.windowMs} ms per side, each on a fresh gateway and an emptied Redis: \`tracing-enqueue-single\`, \`enqueue\` mutations from ${t.httpClients} keep-alive clients (one operation span and one enqueue span each); \`tracing-fanout-${t.subscribers}\`, ${t.eventsPerSec} progress events/s over ${t.jobs} jobs watched by ${t.subscribers} sockets (one span per event read); CPU of the gateway per job or delivery in context, all its threads (\`onCpuUs\`, \`offCpuUs\`) and its main thread, the event loop's (\`onLoopCpuUs\`, \`offLoopCpuUs\`).`,
  async run(ctx): Promise<FigureResult[]> {
    const receiver = await OtlpReceiver.start({ keep: false });
    try {
      const enqueue = await compare(ctx, receiver, enqueueRound);
      const enqueueExport = { exportRequests: receiver.requests, exportKiB: receiver.bytes / 1024 };
      const fanout = await compare(ctx, receiver, fanoutRound);
      const fanoutExport = {
        exportRequests: receiver.requests - enqueueExport.exportRequests,
        exportKiB: receiver.bytes / 1024 - enqueueExport.exportKiB,
      };
      const { subscribers, jobs, eventsPerSec } = ctx.profile.tracing;
      return [
        result('tracing-enqueue-single', 'jobs/s', enqueue, { clients: ctx.profile.tracing.httpClients, ...enqueueExport }),
        result(`tracing-fanout-${subscribers}`, 'deliveries/s', fanout, {
          subscribers,
          jobs,
          offeredEventsPerSec: eventsPerSec,
          ...fanoutExport,
        }),
      ];
    } finally {
      await receiver.close();
    }
  },
};
