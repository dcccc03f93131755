/**
 * Figure 5: resident memory per idle subscription, each on its own
 * WebSocket, read from /proc as (RSS now − RSS before any client) / clients.
 * Sizes are reached incrementally on one server process.
 */
import type { Figure, FigureContext } from '../lib/context';
import { Fleet, shortfall } from '../lib/fleet';
import type { Gateway } from '../lib/gateway';
import { enqueueThroughGateway, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import { sleep } from '../lib/net';
import { openFileLimit, rssKib } from '../lib/procfs';
import { figureResult, type FigureResult } from '../lib/report';
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

/** Figure 5: gateway KiB per idle subscription vs raw `ws` idle connection; target ≤ 15 at 20,000. */
export const memory: Figure = {
  name: 'memory',
  note: ({ memory: m }) =>
    `memory-N: N idle jobEvents subscriptions, one WebSocket each (SNAPSHOT received), on ${JOBS} waiting jobs; (server RSS − RSS before clients) / N vs a raw \`ws\` server with N idle connections${m.plainGraphqlWs ? '; plain graphql-ws in context' : ''}. N is capped at the open-file limit − ${RESERVED_FDS}.`,
  async run(ctx): Promise<FigureResult[]> {
    const cap = openFileLimit() - RESERVED_FDS;
    const requested = ctx.profile.memory.subscriptions;
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
        target: (requested[i] ?? n) >= 20_000 ? { kind: 'max', value: 15 } : { kind: 'none' },
        gateway: gateway?.[i] ?? null,
        baseline: raw[i] ?? null,
        skipped: 'skipped' in started ? started.skipped : undefined,
        context: { subscriptions: n, graphqlWsKibPerSub: plain[i] ?? null },
      }),
    );
  },
};
