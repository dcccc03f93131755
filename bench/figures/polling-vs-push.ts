/**
 * Figure 6: what watching costs Redis and the gateway. 1,000 jobs update once
 * per second; Redis commands/s (private server, INFO deltas, minus the
 * workload's own commands measured with no watcher) and gateway CPU, for
 * 1,000 browsers polling `job(id)` at 1 Hz vs 1,000 `jobEvents` subscribers,
 * and for 1 vs 1,000 watchers of the same jobs.
 */
import type { PollersApi } from '../load/api';
import type { Figure, FigureContext } from '../lib/context';
import { Fleet, shortfall } from '../lib/fleet';
import type { Gateway } from '../lib/gateway';
import { POLL_JOB } from '../lib/gateway-jobs';
import { sleep } from '../lib/net';
import { CpuMeter } from '../lib/procfs';
import { Histogram } from '../lib/histogram';
import { figureResult, type ContextValue, type FigureResult } from '../lib/report';
import { holdJobs, releaseJobs, type HeldJobs } from './held-jobs';

const CONNECT_TIMEOUT_MS = 60_000;

/** Redis and gateway load over one window. */
interface Load {
  cmdsPerSec: number;
  cpuPct: number;
  /** Calls per second of each command. */
  rates: Record<string, number>;
}

/** The commands whose rate grew most over `base`, e.g. `hgetall:1000 xread:40` (per second). */
function topGrowth(load: Load, base?: Load): string {
  return Object.entries(load.rates)
    .map(([name, perSec]) => [name, perSec - (base?.rates[name] ?? 0)] as const)
    .filter(([name, perSec]) => perSec >= 1 && name !== 'info')
    .sort((a, b) => b[1] - a[1])
    .slice(0, 4)
    .map(([name, perSec]) => `${name}:${perSec.toFixed(0)}`)
    .join(' ');
}

async function measureLoad(ctx: FigureContext, gateway: Gateway, ms: number): Promise<Load> {
  const redis = ctx.run.redis;
  const stats0 = await redis.commandStats();
  const total0 = await redis.commandsProcessed();
  const cpu = new CpuMeter(gateway.pid);
  const t0 = performance.now();
  await sleep(ms);
  const total1 = await redis.commandsProcessed();
  const seconds = (performance.now() - t0) / 1000;
  const cpuPct = cpu.percent();
  const stats1 = await redis.commandStats();
  const rates = Object.fromEntries(Object.entries(stats1).map(([name, calls]) => [name, (calls - (stats0[name] ?? 0)) / seconds]));
  return { cmdsPerSec: (total1 - total0 - 1) / seconds, cpuPct, rates };
}

/** A phase's watchers, once started: why they are not all live (or null), and how to end them. */
interface Watching {
  missing: string | null;
  /** Ends the watchers; returns context about them. */
  teardown(): Promise<Record<string, ContextValue>>;
}

/** A measured phase, or why it was not measured. */
type PhaseLoad = (Load & { top: string; context: Record<string, ContextValue> }) | { skipped: string };

/** Starts a phase's watchers, lets them warm up, measures, then ends them. */
async function during(ctx: FigureContext, gateway: Gateway, quiet: Load, name: string, start: () => Promise<Watching>): Promise<PhaseLoad> {
  const { warmMs, windowMs } = ctx.profile.polling;
  const watching = await start();
  if (watching.missing) {
    await watching.teardown();
    return { skipped: watching.missing };
  }
  const measured = await sleep(warmMs)
    .then(() => measureLoad(ctx, gateway, windowMs))
    .catch(async (error: unknown) => {
      await watching.teardown();
      throw error;
    });
  const context = await watching.teardown();
  const top = topGrowth(measured, quiet);
  ctx.log(`${name}: ${measured.cmdsPerSec.toFixed(0)} Redis cmds/s (over no watcher: ${top}), gateway CPU ${measured.cpuPct.toFixed(0)} %`);
  return { ...measured, top, context };
}

/** `connections` sockets, each subscribed to `perConnection` of `topics`; counts those that got their SNAPSHOT. */
function subscribers(
  gateway: Gateway,
  fleet: Fleet,
  topics: string[],
  connections: number,
  perConnection: number,
): () => Promise<Watching> {
  return async () => {
    const report = await fleet.watch(gateway, connections, perConnection, topics, CONNECT_TIMEOUT_MS);
    return { missing: shortfall(report, connections * perConnection), teardown: async () => (await fleet.close(), {}) };
  };
}

/** 1 Hz HTTP pollers of `job(id)`, one per job. */
function pollers(ctx: FigureContext, gateway: Gateway, held: HeldJobs): () => Promise<Watching> {
  const { watchers, warmMs, windowMs } = ctx.profile.polling;
  return async () => {
    const child = await ctx.child<PollersApi>('load/pollers.ts', { url: gateway.url, token: gateway.token }, 'pollers');
    await child.call('start', { query: POLL_JOB, ids: held.ids, watchers, hz: 1, maxMs: warmMs + windowMs + 30_000 }, 10_000);
    const teardown = async (): Promise<Record<string, ContextValue>> => {
      const polled = await child.call('stop', {}, 30_000);
      await child.stop();
      const p99 = Histogram.from(polled.latency).summary().p99;
      return {
        pollsPerSec: (polled.count / polled.elapsedMs) * 1000,
        pollP99Ms: p99,
        pollErrors: polled.errors,
        ...(polled.firstError ? { pollFirstError: polled.firstError.slice(0, 200) } : {}),
      };
    };
    return { missing: null, teardown };
  };
}

async function measureAll(ctx: FigureContext, gateway: Gateway): Promise<FigureResult[]> {
  const { jobs, watchers, sameJobs, sameWatchers, warmMs, windowMs } = ctx.profile.polling;
  const held = await holdJobs(ctx, gateway, jobs);
  const maxMs = 10 * (warmMs + windowMs) + 300_000;
  await held.worker.call('startEmitting', { rate: jobs, jobs, maxInFlight: 256, maxMs, via: 'updateProgress' }, 10_000);
  try {
    await sleep(warmMs);
    const quiet = await measureLoad(ctx, gateway, windowMs);
    ctx.log(`no watcher: ${quiet.cmdsPerSec.toFixed(0)} Redis cmds/s (${topGrowth(quiet)})`);
    const poll = await during(ctx, gateway, quiet, 'poll', pollers(ctx, gateway, held));
    const fleet = await Fleet.start(ctx, Math.max(watchers, sameWatchers), 'watchers');
    const push = await during(ctx, gateway, quiet, 'push', subscribers(gateway, fleet, held.ids, watchers, 1));
    const same = held.ids.slice(0, sameJobs);
    const one = await during(ctx, gateway, quiet, 'one watcher', subscribers(gateway, fleet, same, 1, sameJobs));
    const many = await during(ctx, gateway, quiet, `${sameWatchers} watchers`, subscribers(gateway, fleet, same, sameWatchers, sameJobs));
    const net = (l: PhaseLoad): number | null => ('skipped' in l ? null : l.cmdsPerSec - quiet.cmdsPerSec);
    const cpu = (l: PhaseLoad): number | null => ('skipped' in l ? null : l.cpuPct);
    const top = (l: PhaseLoad): string | null => ('skipped' in l ? null : l.top);
    const skipped = (...loads: PhaseLoad[]): string | undefined => loads.map((l) => ('skipped' in l ? l.skipped : undefined)).find(Boolean);
    const pollContext = 'skipped' in poll ? {} : poll.context;
    const common = { jobs, updatesPerSec: jobs, workloadCmdsPerSec: quiet.cmdsPerSec, workloadTop: topGrowth(quiet) };
    return [
      figureResult({
        figure: 'push-vs-poll-redis',
        unit: 'cmds/s',
        target: { kind: 'max-ratio', value: 0.1 },
        gateway: net(push),
        baseline: net(poll),
        skipped: skipped(push),
        context: { watchers, ...common, pushTop: top(push), pollTop: top(poll), ...pollContext },
      }),
      figureResult({
        figure: 'push-vs-poll-cpu',
        unit: '% of a core',
        target: { kind: 'none' },
        gateway: cpu(push),
        baseline: cpu(poll),
        skipped: skipped(push),
        context: { watchers, jobs, idleCpuPct: quiet.cpuPct },
      }),
      figureResult({
        figure: `watchers-${sameWatchers}-vs-1-redis`,
        unit: 'cmds/s',
        target: { kind: 'max-ratio', value: 1.1 },
        gateway: net(many),
        baseline: net(one),
        skipped: skipped(many, one),
        context: { watchedJobs: sameJobs, ...common, manyTop: top(many), oneTop: top(one), manyCpuPct: cpu(many), oneCpuPct: cpu(one) },
      }),
    ];
  } finally {
    await held.worker.call('stopEmitting', {}, 30_000);
    await releaseJobs(held);
  }
}

/** Figure 6: push ≤ 1/10 of 1 Hz polling in Redis commands/s; 1,000 watchers within 10 % of 1. */
export const pollingVsPush: Figure = {
  name: 'polling-vs-push',
  note: ({ polling: p }) =>
    `push-vs-poll-*, watchers-*: a plain BullMQ worker updates ${p.jobs} jobs once per second each; on a private Redis, commands/s during each window minus the same workload with no watcher (\`workloadCmdsPerSec\`), and gateway CPU, for ${p.watchers} HTTP pollers of \`job(id)\` at 1 Hz vs ${p.watchers} \`jobEvents\` subscribers (one socket each), and for 1 socket vs ${p.sameWatchers} sockets subscribed to the same ${p.sameJobs} job(s).`,
  async run(ctx): Promise<FigureResult[]> {
    const started = await ctx.gateway();
    if ('skipped' in started) {
      const skip = { gateway: null, baseline: null, skipped: started.skipped };
      return [
        figureResult({ ...skip, figure: 'push-vs-poll-redis', unit: 'cmds/s', target: { kind: 'max-ratio', value: 0.1 } }),
        figureResult({ ...skip, figure: 'push-vs-poll-cpu', unit: '% of a core', target: { kind: 'none' } }),
        figureResult({
          ...skip,
          figure: `watchers-${ctx.profile.polling.sameWatchers}-vs-1-redis`,
          unit: 'cmds/s',
          target: { kind: 'max-ratio', value: 1.1 },
        }),
      ];
    }
    if (!ctx.run.redis.private) ctx.log('Redis is shared (--redis-url): command counts include other clients');
    return measureAll(ctx, started);
  },
};
