/**
 * Figures 1 and 2: enqueue throughput through the gateway's HTTP mutations
 * against raw BullMQ `Queue.add` / `Queue.addBulk` on the same Redis.
 */
import type { HttpLoadApi, Measured, QueueInit, RawEnqueueApi } from '../load/api';
import type { Figure, FigureContext } from '../lib/context';
import { ENQUEUE_MANY, ENQUEUE_ONE, manyJobs, queueOf, JOB_TYPE } from '../lib/gateway-jobs';
import { Histogram } from '../lib/histogram';
import type { Child } from '../lib/ipc';
import { figureResult, type FigureResult, type Side } from '../lib/report';

const GRACE_MS = 60_000;

/** Jobs per second and latency percentiles of a measured run. */
function rate(m: Measured): { perSec: number; p50: number; p99: number } {
  const latency = Histogram.from(m.latency).summary();
  return { perSec: (m.count / m.elapsedMs) * 1000, p50: latency.p50, p99: latency.p99 };
}

async function rawEnqueuer(ctx: FigureContext): Promise<Child<RawEnqueueApi>> {
  const init: QueueInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue: ctx.useQueue('bench-raw') };
  return ctx.child<RawEnqueueApi>('load/raw-enqueue.ts', init, 'raw');
}

/** Runs the HTTP load against a fresh gateway after a warm-up; null with the reason when there is no gateway. */
async function gatewayLoad(ctx: FigureContext, body: string, concurrency: number, jobsPerRequest: number): Promise<Measured | { skipped: string }> {
  const gateway = await ctx.gateway();
  if ('skipped' in gateway) return gateway;
  ctx.useQueue(await queueOf(gateway, JOB_TYPE));
  const load = await ctx.child<HttpLoadApi>('load/http-load.ts', { url: gateway.url, token: gateway.token }, 'http');
  const { windowMs } = ctx.profile.enqueue;
  const args = { body, concurrency, jobsPerRequest, maxRequests: 10_000_000 };
  await load.call('run', { ...args, durationMs: windowMs / 4 }, windowMs + GRACE_MS);
  return load.call('run', { ...args, durationMs: windowMs }, windowMs + GRACE_MS);
}

function gatewaySide(m: Measured | { skipped: string }): Side {
  if ('skipped' in m) return { value: null, skipped: m.skipped, context: {} };
  const r = rate(m);
  const context = { gatewayP50Ms: r.p50, gatewayP99Ms: r.p99, gatewayErrors: m.errors, ...(m.firstError ? { gatewayFirstError: m.firstError.slice(0, 200) } : {}) };
  return { value: m.count > 0 ? r.perSec : null, context };
}

/** Figure 1: one job per request from 64 keep-alive clients vs `Queue.add` one at a time (and 64 in flight). */
export const enqueueSingle: Figure = {
  name: 'enqueue-single',
  note: ({ enqueue }) =>
    `enqueue-single: \`enqueue\` mutations from ${enqueue.httpClients} keep-alive HTTP clients (closed loop) vs raw \`Queue.add\` awaited one at a time; context has raw \`Queue.add\` with ${enqueue.inFlight} in flight.`,
  async run(ctx): Promise<FigureResult[]> {
    const { windowMs, inFlight, httpClients } = ctx.profile.enqueue;
    const raw = await rawEnqueuer(ctx);
    await raw.call('single', { durationMs: windowMs / 4, inFlight: 1, maxJobs: 10_000_000 }, windowMs + GRACE_MS);
    const one = rate(await raw.call('single', { durationMs: windowMs, inFlight: 1, maxJobs: 10_000_000 }, windowMs + GRACE_MS));
    const many = rate(await raw.call('single', { durationMs: windowMs, inFlight, maxJobs: 10_000_000 }, windowMs + GRACE_MS));
    ctx.log(`raw Queue.add: ${one.perSec.toFixed(0)}/s one at a time, ${many.perSec.toFixed(0)}/s with ${inFlight} in flight`);
    const gateway = gatewaySide(await gatewayLoad(ctx, JSON.stringify({ query: ENQUEUE_ONE }), httpClients, 1));
    return [
      figureResult({
        figure: 'enqueue-single',
        unit: 'jobs/s',
        target: { kind: 'min-ratio', value: 1.0 },
        gateway: gateway.value,
        baseline: one.perSec,
        skipped: gateway.skipped,
        context: {
          clients: httpClients,
          ...gateway.context,
          baselineP50Ms: one.p50,
          baselineP99Ms: one.p99,
          baselineInFlight: inFlight,
          baselineInFlightJobsPerSec: many.perSec,
          baselineInFlightP99Ms: many.p99,
          ratioVsInFlight: gateway.value === null ? null : gateway.value / many.perSec,
        },
      }),
    ];
  },
};

/** Figure 2: `enqueueMany` of 1,000 jobs per request vs `Queue.addBulk` of 1,000. */
export const enqueueBulk: Figure = {
  name: 'enqueue-bulk',
  note: ({ enqueue }) => `enqueue-bulk: one client sending \`enqueueMany\` of ${enqueue.bulkSize} jobs per request back to back vs raw \`Queue.addBulk\` of ${enqueue.bulkSize} back to back.`,
  async run(ctx): Promise<FigureResult[]> {
    const { windowMs, bulkSize } = ctx.profile.enqueue;
    const raw = await rawEnqueuer(ctx);
    await raw.call('bulk', { durationMs: windowMs / 4, batchSize: bulkSize, maxBatches: 100_000 }, windowMs + GRACE_MS);
    const bulk = rate(await raw.call('bulk', { durationMs: windowMs, batchSize: bulkSize, maxBatches: 100_000 }, windowMs + GRACE_MS));
    ctx.log(`raw Queue.addBulk: ${bulk.perSec.toFixed(0)} jobs/s`);
    const body = JSON.stringify({ query: ENQUEUE_MANY, variables: { jobs: manyJobs(bulkSize) } });
    const gateway = gatewaySide(await gatewayLoad(ctx, body, 1, bulkSize));
    return [
      figureResult({
        figure: 'enqueue-bulk',
        unit: 'jobs/s',
        target: { kind: 'min-ratio', value: 0.8 },
        gateway: gateway.value,
        baseline: bulk.perSec,
        skipped: gateway.skipped,
        context: { batch: bulkSize, ...gateway.context, baselineBatchP50Ms: bulk.p50, baselineBatchP99Ms: bulk.p99 },
      }),
    ];
  },
};
