/**
 * Figure 3: time from `updateProgress` in a worker to the event's arrival at
 * graphql-ws subscribers of the gateway, against a raw `QueueEvents` listener
 * in its own process, with the same jobs emitting at the same rate.
 */
import type { QueueEventsApi, QueueInit } from '../load/api';
import type { Figure, FigureContext } from '../lib/context';
import { Fleet, shortfall } from '../lib/fleet';
import type { Gateway } from '../lib/gateway';
import { Histogram, type Summary } from '../lib/histogram';
import { sleep } from '../lib/net';
import { figureResult, type FigureResult, type Side, type Target } from '../lib/report';
import { holdJobs, releaseJobs, whileEmitting, type EmitPlan, type HeldJobs } from './held-jobs';

const WARM_MS = 500;
const CONNECT_TIMEOUT_MS = 90_000;

/** The targets: +5 ms at 1,000 subscribers, +25 ms at 5,000; none for fewer. */
function targetFor(subscribers: number): Target {
  if (subscribers >= 5_000) return { kind: 'max-over-baseline', value: 25 };
  if (subscribers >= 1_000) return { kind: 'max-over-baseline', value: 5 };
  return { kind: 'none' };
}

async function baselineLatency(ctx: FigureContext, held: HeldJobs, plan: EmitPlan): Promise<{ summary: Summary; eventsPerSec: number }> {
  const init: QueueInit = { redisUrl: ctx.run.redis.url, prefix: ctx.prefix, queue: held.queue };
  const listener = await ctx.child<QueueEventsApi>('load/queue-events-listener.ts', init, 'queue-events');
  const { result, emitted } = await whileEmitting(held, plan, async () => {
    await listener.call('start', {}, 30_000);
    await sleep(ctx.profile.latency.windowMs);
    return listener.call('collect', {}, 30_000);
  });
  await listener.stop();
  return { summary: Histogram.from(result.latency).summary(), eventsPerSec: (emitted.sent / emitted.elapsedMs) * 1000 };
}

async function gatewayLatency(
  ctx: FigureContext,
  gateway: Gateway,
  fleet: Fleet,
  held: HeldJobs,
  plan: EmitPlan,
  subscribers: number,
): Promise<Side> {
  const connected = await fleet.watch(gateway, subscribers, 1, held.ids, CONNECT_TIMEOUT_MS);
  ctx.log(
    `${subscribers} subscribers: ${connected.firstMessages} snapshots in ${connected.elapsedMs.toFixed(0)} ms, ${connected.failed} failed`,
  );
  const missing = shortfall(connected, subscribers);
  if (missing) {
    await fleet.close();
    return { value: null, skipped: missing, context: {} };
  }
  const { result } = await whileEmitting(held, { ...plan, jobs: subscribers }, () => fleet.measure(ctx.profile.latency.windowMs));
  await fleet.close();
  const summary = result.latency.summary();
  return {
    value: summary.count > 0 ? summary.p99 : null,
    ...(summary.count === 0 ? { skipped: 'no progress event reached the subscribers' } : {}),
    context: {
      gatewayP50Ms: summary.p50,
      gatewayMaxMs: summary.max,
      gatewaySamples: summary.count,
      deliveriesPerSec: (result.messages / result.elapsedMs) * 1000,
      deliveryErrors: result.errors,
      ...(result.firstError ? { firstError: result.firstError.slice(0, 200) } : {}),
    },
  };
}

/** Figure 3: p99 event latency at 1, 1,000 and 5,000 subscribers vs raw QueueEvents. */
export const eventLatency: Figure = {
  name: 'event-latency',
  note: ({ latency }) =>
    `event-latency-N: a plain BullMQ worker calls \`updateProgress\` ${latency.rate} times/s in total, round-robin over N active jobs, with \`sentAt\` in the payload; p99 of arrival − sentAt at N graphql-ws \`jobEvents\` subscribers, one socket and one job each, vs a raw \`QueueEvents\` listener process receiving the same rate.`,
  async run(ctx): Promise<FigureResult[]> {
    const { subscribers, rate, windowMs } = ctx.profile.latency;
    const jobs = Math.max(...subscribers);
    const started = await ctx.gateway();
    const gateway = 'skipped' in started ? null : started;
    const held = await holdJobs(ctx, gateway, jobs);
    const fleet = gateway ? await Fleet.start(ctx, jobs, 'subscribers') : null;
    const plan: EmitPlan = { rate, jobs, maxInFlight: 64, warmMs: WARM_MS, maxMs: windowMs + 30_000 };
    try {
      const baseline = await baselineLatency(ctx, held, plan);
      ctx.log(`raw QueueEvents p99 ${baseline.summary.p99.toFixed(2)} ms at ${baseline.eventsPerSec.toFixed(0)} events/s`);
      const results: FigureResult[] = [];
      for (const n of subscribers) {
        const measured: Side =
          gateway && fleet
            ? await gatewayLatency(ctx, gateway, fleet, held, plan, n)
            : { value: null, skipped: 'skipped' in started ? started.skipped : undefined, context: {} };
        results.push(
          figureResult({
            figure: `event-latency-${n}`,
            unit: 'ms',
            target: targetFor(n),
            gateway: measured.value,
            baseline: baseline.summary.p99,
            skipped: measured.skipped,
            context: {
              subscribers: n,
              eventsPerSec: baseline.eventsPerSec,
              ...measured.context,
              baselineP50Ms: baseline.summary.p50,
              baselineMaxMs: baseline.summary.max,
              baselineSamples: baseline.summary.count,
            },
          }),
        );
      }
      return results;
    } finally {
      await releaseJobs(held);
    }
  },
};
