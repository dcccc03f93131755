/**
 * Flows (issue 19): `enqueueFlow` of one tree (a root and 1,000 children) through the
 * gateway's HTTP mutation against raw BullMQ `FlowProducer.add` of the same tree on the
 * same Redis, in alternating rounds; and the Redis commands the gateway sends while a flow
 * of 100 children runs, watched by 1 and by 10 `flowEvents` subscribers (the method of the
 * watchers figure: INFO deltas on the private Redis minus the same run with no watcher).
 */
import { randomUUID } from 'node:crypto';
import { FlowProducer, Worker, type FlowJob, type Job, type JobsOptions } from 'bullmq';
import type { HttpLoadApi, Measured } from '../load/api';
import type { Figure, FigureContext } from '../lib/context';
import { Fleet } from '../lib/fleet';
import { BENCH_OWNER, type Gateway } from '../lib/gateway';
import { gatewayJobOptions, JOB_TYPE, queueOf } from '../lib/gateway-jobs';
import { alternate, costed, describeCostedRun, median, roundRatios, summarize } from '../lib/costed-runs';
import { Histogram } from '../lib/histogram';
import type { Child } from '../lib/ipc';
import { sleep } from '../lib/net';
import type { Profile } from '../lib/options';
import { figureResult, type ContextValue, type FigureResult } from '../lib/report';
import { childFailureOptions } from '../../src/services/job-options';

const GRACE_MS = 60_000;
const CONNECT_TIMEOUT_MS = 60_000;
/** The gateway's default MAX_FLOW_JOBS counts the root: a root with 1,000 children needs 1,001. */
const DEFAULT_MAX_FLOW_JOBS = 1_000;
/** Width of the node number in the gateway's flow job ids (`<uuid>.<node number>`). */
const NODE_NUMBER_DIGITS = 6;

const ENQUEUE_FLOW = 'mutation Flow($flow: FlowInput!) { enqueueFlow(flow: $flow) { id } }';

/** What a watcher asks, as the integration test and the contract show it: every event with the job's parent and the aggregate. */
const FLOW_EVENTS = `subscription FlowWatch($id: ID!) {
  flowEvents(id: $id) {
    type cursor gap
    flow { total waiting active completed failed cancelled percent }
    job { id queue state parent { id } progress { percent current } }
  }
}`;

/** The same without `job.parent` (a field rendered per caller), for context. */
const FLOW_EVENTS_NO_PARENT = `subscription FlowWatch($id: ID!) {
  flowEvents(id: $id) {
    type cursor gap
    flow { total waiting active completed failed cancelled percent }
    job { id queue state progress { percent current } }
  }
}`;

/** `FlowInput` of a root with `children` children, all of the bench's job type; child i's name is i. */
function flowInput(children: number): { type: string; data: { name: string }; children: Array<{ type: string; data: { name: string } }> } {
  return {
    type: JOB_TYPE,
    data: { name: 'root' },
    children: Array.from({ length: children }, (_, i) => ({ type: JOB_TYPE, data: { name: String(i) } })),
  };
}

/** A measured side: its count, time and latency, and the CPU its process spent per job. */
/**
 * Raw BullMQ: the tree the gateway adds for {@link flowInput}, built as its FlowService builds it
 * (the options it sets on each job, a child's failure policy, ids `<uuid>.<node number>`).
 */
class RawFlows {
  private readonly producer: FlowProducer;
  private readonly rootOpts: JobsOptions;
  private readonly childOpts: JobsOptions;

  constructor(
    redisUrl: string,
    private readonly prefix: string,
    private readonly queue: string,
    private readonly children: number,
  ) {
    this.producer = new FlowProducer({ prefix, connection: { url: redisUrl, maxRetriesPerRequest: null } });
    this.producer.on('error', () => undefined);
    this.rootOpts = { ...gatewayJobOptions(BENCH_OWNER) };
    this.childOpts = { ...this.rootOpts, ...childFailureOptions(null) };
  }

  private tree(): FlowJob {
    const flow = randomUUID();
    const id = (node: number): string => `${flow}.${String(node).padStart(NODE_NUMBER_DIGITS, '0')}`;
    const { queue, prefix } = this;
    return {
      name: JOB_TYPE,
      queueName: queue,
      prefix,
      data: { name: 'root' },
      opts: { ...this.rootOpts, jobId: id(0) },
      children: Array.from({ length: this.children }, (_, i) => ({
        name: JOB_TYPE,
        queueName: queue,
        prefix,
        data: { name: String(i) },
        opts: { ...this.childOpts, jobId: id(i + 1) },
      })),
    };
  }

  /** Adds trees back to back for `durationMs`; counts jobs (children + root per tree). */
  async run(durationMs: number): Promise<Measured> {
    const latency = new Histogram();
    const start = performance.now();
    let flows = 0;
    let errors = 0;
    let firstError: string | undefined;
    while (performance.now() < start + durationMs) {
      const t0 = performance.now();
      try {
        await this.producer.add(this.tree());
        flows += 1;
        latency.record(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= String(error);
      }
    }
    const elapsedMs = performance.now() - start;
    return { count: flows * (this.children + 1), errors, firstError, elapsedMs, latency: latency.toData() };
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}

/** Figure 1: `enqueueFlow` of a root with N children vs `FlowProducer.add` of the same tree, alternating rounds. */
async function enqueueFigure(ctx: FigureContext, gateway: Gateway, queue: string): Promise<FigureResult> {
  const { children, rounds, windowMs } = ctx.profile.flows;
  const raw = new RawFlows(ctx.run.redis.url, ctx.prefix, queue, children);
  const http: Child<HttpLoadApi> = await ctx.child<HttpLoadApi>('load/http-load.ts', { url: gateway.url, token: gateway.token }, 'http');
  const body = JSON.stringify({ query: ENQUEUE_FLOW, variables: { flow: flowInput(children) } });
  const gatewayRun = (durationMs: number): Promise<Measured> =>
    http.call('run', { body, concurrency: 1, durationMs, maxRequests: 10_000_000, jobsPerRequest: children + 1 }, durationMs + GRACE_MS);
  try {
    await raw.run(windowMs / 4);
    await gatewayRun(windowMs / 4);
    const [rawRuns = [], gatewayRuns = []] = await alternate(
      rounds,
      [
        { name: 'raw', measure: () => costed(process.pid, () => raw.run(windowMs)) },
        { name: 'gateway', measure: () => costed(gateway.pid, () => gatewayRun(windowMs)) },
      ],
      () => ctx.emptyRedis(),
      (line) => ctx.log(line),
      describeCostedRun,
    );
    const g = summarize(gatewayRuns);
    const b = summarize(rawRuns);
    const ratios = roundRatios(gatewayRuns, rawRuns);
    const firstError = gatewayRuns.find((r) => r.firstError)?.firstError ?? rawRuns.find((r) => r.firstError)?.firstError;
    return figureResult({
      figure: `flow-enqueue-${children}`,
      unit: 'jobs/s',
      target: { kind: 'min-ratio', value: 0.8 },
      gateway: g.perSec > 0 ? g.perSec : null,
      baseline: b.perSec,
      skipped: g.perSec > 0 ? undefined : `no flow added through the gateway (${(firstError ?? 'no error').slice(0, 150)})`,
      context: {
        children,
        rounds,
        roundRatioMedian: ratios.median,
        roundRatioMin: ratios.min,
        roundRatioMax: ratios.max,
        gatewayFlowP50Ms: g.p50,
        gatewayFlowP99Ms: g.p99,
        gatewayCpuUsPerJob: g.cpuUsPerJob,
        gatewayErrors: g.errors,
        baselineFlowP50Ms: b.p50,
        baselineFlowP99Ms: b.p99,
        baselineCpuUsPerJob: b.cpuUsPerJob,
        baselineErrors: b.errors,
        ...(firstError ? { firstError: firstError.slice(0, 200) } : {}),
      },
    });
  } finally {
    await raw.close();
    await http.stop();
  }
}

/** Calls per command name, as INFO commandstats counts them (commands run by scripts included). */
type Counts = Record<string, number>;

async function readCounts(ctx: FigureContext): Promise<Counts> {
  return ctx.run.redis.commandStats();
}

/** Calls between two readings, without the readings' own INFO calls. */
function delta(before: Counts, after: Counts): Counts {
  const out: Counts = {};
  for (const [name, calls] of Object.entries(after)) {
    const d = calls - (before[name] ?? 0);
    if (d !== 0 && name !== 'info') out[name] = d;
  }
  return out;
}

const total = (counts: Counts): number => Object.values(counts).reduce((s, n) => s + n, 0);

/** Per-command medians of several runs' counts. */
function medianCounts(runs: readonly Counts[]): Counts {
  const names = new Set(runs.flatMap((r) => Object.keys(r)));
  return Object.fromEntries([...names].map((name) => [name, median(runs.map((r) => r[name] ?? 0))]));
}

/** The commands that grew most over `base`, e.g. `hgetall:1010 xread:12`. */
function topGrowth(counts: Counts, base: Counts = {}): string {
  return Object.entries(counts)
    .map(([name, n]) => [name, n - (base[name] ?? 0)] as const)
    .filter(([, n]) => n >= 1)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, n]) => `${name}:${n.toFixed(0)}`)
    .join(' ');
}

/** What one flow run cost Redis, and what its watchers got. */
interface FlowRun {
  /** Commands while the subscriptions started (enqueue done, worker not started). */
  start: Counts;
  /** Commands from the worker's start to the end of the window. */
  run: Counts;
  rootCompleted: boolean;
  messages: number;
  completedSubscriptions: number;
  errors: number;
  firstError?: string;
}

/**
 * A plain BullMQ worker, as a user writes one, in the runner process: each child reports
 * `steps` progress updates `stepMs` apart, then completes; the root completes at once.
 */
function startWorker(
  ctx: FigureContext,
  queue: string,
  rootId: string,
  steps: number,
  stepMs: number,
): { worker: Worker; rootDone: Promise<void> } {
  let done: () => void = () => undefined;
  const rootDone = new Promise<void>((resolve) => (done = resolve));
  const worker = new Worker(
    queue,
    async (job: Job) => {
      if (job.id === rootId) return { root: true };
      for (let step = 1; step <= steps; step += 1) {
        await sleep(stepMs);
        await job.updateProgress({ percent: (100 * step) / steps, current: step, total: steps });
      }
      return { ok: true };
    },
    {
      prefix: ctx.prefix,
      connection: { url: ctx.run.redis.url, maxRetriesPerRequest: null },
      concurrency: ctx.profile.flows.watchChildren,
      lockDuration: 600_000,
      stalledInterval: 600_000,
    },
  );
  worker.on('completed', (job) => {
    if (job.id === rootId) done();
  });
  worker.on('error', (error) => ctx.log(`worker error: ${String(error)}`));
  return { worker, rootDone };
}

/** The BullMQ id of a gateway job id (`<queue>:<id>`). */
function bullId(globalId: string, queue: string): string {
  return globalId.startsWith(`${queue}:`) ? globalId.slice(queue.length + 1) : globalId;
}

/** One flow of `watchChildren` children run to its end while `watchers` sockets each watch it with `query`. */
async function flowRun(
  ctx: FigureContext,
  gateway: Gateway,
  fleet: Fleet,
  queue: string,
  watchers: number,
  query: string,
): Promise<FlowRun> {
  const { watchChildren, steps, stepMs, runMs } = ctx.profile.flows;
  const { enqueueFlow } = await gateway.graphql<{ enqueueFlow: { id: string } }>(ENQUEUE_FLOW, { flow: flowInput(watchChildren) });
  await sleep(200);
  const s0 = await readCounts(ctx);
  if (watchers > 0) {
    const report = await fleet.connect({
      url: gateway.wsUrl,
      protocol: 'graphql-ws',
      connections: watchers,
      subscriptionsPerConnection: 1,
      query,
      topics: [enqueueFlow.id],
      tokenSecret: gateway.secret,
      awaitFirst: true,
      concurrency: 100,
      timeoutMs: CONNECT_TIMEOUT_MS,
    });
    if (report.firstMessages < watchers) {
      await fleet.close();
      throw new Error(
        `only ${report.firstMessages} of ${watchers} flowEvents subscriptions got a SNAPSHOT: ${(report.firstError ?? '').slice(0, 200)}`,
      );
    }
  }
  const s1 = await readCounts(ctx);
  const { worker, rootDone } = startWorker(ctx, queue, bullId(enqueueFlow.id, queue), steps, stepMs);
  const [window] = await Promise.all([fleet.measure(runMs), sleep(runMs)]);
  const s2 = await readCounts(ctx);
  const rootCompleted = await Promise.race([rootDone.then(() => true), sleep(0).then(() => false)]);
  await worker.close();
  await fleet.close();
  return {
    start: delta(s0, s1),
    run: delta(s1, s2),
    rootCompleted,
    messages: window.messages,
    completedSubscriptions: window.completed,
    errors: window.errors,
    firstError: window.firstError,
  };
}

/** Figure 2: Redis commands of a flow of N children watched by 1 and by M `flowEvents` subscribers, net of the same run unwatched. */
async function watchersFigure(ctx: FigureContext, gateway: Gateway, queue: string): Promise<FigureResult[]> {
  const { watchChildren, watchers, watchRounds } = ctx.profile.flows;
  const [one, many] = [Math.min(...watchers), Math.max(...watchers)];
  const fleet = await Fleet.start(ctx, many, 'flow-watchers');
  const variants = [
    { name: 'parent', query: FLOW_EVENTS },
    { name: 'noParent', query: FLOW_EVENTS_NO_PARENT },
  ];
  /** Runs by `<variant>:<watchers>`; `none:0` is the unwatched workload. */
  const runs = new Map<string, FlowRun[]>();
  const plan = [
    { key: 'none:0', watchers: 0, query: FLOW_EVENTS },
    ...variants.flatMap((v) => [one, many].map((n) => ({ key: `${v.name}:${n}`, watchers: n, query: v.query }))),
  ];
  try {
    for (let round = 0; round < watchRounds; round += 1) {
      for (const step of round % 2 === 0 ? plan : [...plan].reverse()) {
        const run = await flowRun(ctx, gateway, fleet, queue, step.watchers, step.query);
        runs.set(step.key, [...(runs.get(step.key) ?? []), run]);
        ctx.log(
          `round ${round + 1}/${watchRounds} ${step.key}: start ${total(run.start)} cmds (${topGrowth(run.start)}), run ${total(run.run)} cmds (${topGrowth(run.run)}), ${run.messages} messages, ${run.completedSubscriptions} completed${run.rootCompleted ? '' : ', ROOT NOT COMPLETED'}`,
        );
      }
    }
  } finally {
    await fleet.stop();
  }
  const workload = medianCounts((runs.get('none:0') ?? []).map((r) => r.run));
  const idleStart = medianCounts((runs.get('none:0') ?? []).map((r) => r.start));
  // The figures are medians of each run's total; the per-command medians above are for the breakdowns.
  const workloadTotal = median((runs.get('none:0') ?? []).map((r) => total(r.run)));
  const idleStartTotal = median((runs.get('none:0') ?? []).map((r) => total(r.start)));
  const results: FigureResult[] = [];
  for (const variant of variants) {
    const of = (n: number): FlowRun[] => runs.get(`${variant.name}:${n}`) ?? [];
    const net = (n: number): number => median(of(n).map((r) => total(r.run))) - workloadTotal;
    const startPerSub = (n: number): number => (median(of(n).map((r) => total(r.start))) - idleStartTotal) / n;
    const check = (n: number): Record<string, ContextValue> => {
      const all = of(n);
      const incomplete = all.filter((r) => !r.rootCompleted || r.completedSubscriptions < n).length;
      return {
        [`messagesPerRun${n}`]: median(all.map((r) => r.messages)),
        [`incompleteRuns${n}`]: incomplete,
        [`errors${n}`]: all.reduce((s, r) => s + r.errors, 0),
      };
    };
    const firstError = [...of(one), ...of(many)].find((r) => r.firstError)?.firstError;
    const figure = variant.name === 'parent' ? `flow-watchers-${many}-vs-${one}-redis` : `flow-watchers-${many}-vs-${one}-redis-no-parent`;
    results.push(
      figureResult({
        figure,
        unit: 'cmds/flow',
        target: variant.name === 'parent' ? { kind: 'max-ratio', value: 1.1 } : { kind: 'none' },
        gateway: net(many),
        baseline: net(one),
        context: {
          children: watchChildren,
          rounds: watchRounds,
          workloadCmdsPerFlow: workloadTotal,
          workloadTop: topGrowth(workload),
          manyTop: topGrowth(medianCounts(of(many).map((r) => r.run)), workload),
          oneTop: topGrowth(medianCounts(of(one).map((r) => r.run)), workload),
          [`startCmdsPerSubscription${one}`]: startPerSub(one),
          [`startCmdsPerSubscription${many}`]: startPerSub(many),
          startTop: topGrowth(medianCounts(of(many).map((r) => r.start)), idleStart),
          ...check(one),
          ...check(many),
          ...(firstError ? { firstError: firstError.slice(0, 200) } : {}),
        },
      }),
    );
  }
  return results;
}

/** Starts the gateway with MAX_FLOW_JOBS raised to fit a root and its `children` when the default does not. */
async function flowGateway(ctx: FigureContext, children: number): Promise<Gateway | { skipped: string }> {
  const saved = process.env.MAX_FLOW_JOBS;
  if (children + 1 > DEFAULT_MAX_FLOW_JOBS) process.env.MAX_FLOW_JOBS = String(children + 1);
  try {
    return await ctx.gateway();
  } finally {
    if (saved === undefined) delete process.env.MAX_FLOW_JOBS;
    else process.env.MAX_FLOW_JOBS = saved;
  }
}

function skippedAll(profile: Profile, reason: string): FigureResult[] {
  const { children, watchers } = profile.flows;
  const [one, many] = [Math.min(...watchers), Math.max(...watchers)];
  const skip = { gateway: null, baseline: null, skipped: reason };
  return [
    figureResult({ ...skip, figure: `flow-enqueue-${children}`, unit: 'jobs/s', target: { kind: 'min-ratio', value: 0.8 } }),
    figureResult({
      ...skip,
      figure: `flow-watchers-${many}-vs-${one}-redis`,
      unit: 'cmds/flow',
      target: { kind: 'max-ratio', value: 1.1 },
    }),
  ];
}

/** Issue 19's figures: `enqueueFlow` ≥ 0.8× raw `FlowProducer.add`; Redis commands of a watched flow do not grow with watchers. */
export const flows: Figure = {
  name: 'flows',
  note: ({ flows: f }) =>
    `flow-enqueue-*: one client sending \`enqueueFlow\` of a root with ${f.children} \`${JOB_TYPE}\` children back to back vs raw \`FlowProducer.add\` of the same tree (same data, the options and ids the gateway sets, a child's failure policy) back to back from the runner process, ${f.rounds} alternating rounds of ${f.windowMs / 1000} s per side, each side starting on an emptied Redis; jobs/s counts every node (children + root); the gateway runs with MAX_FLOW_JOBS=${Math.max(DEFAULT_MAX_FLOW_JOBS, f.children + 1)} (its default of ${DEFAULT_MAX_FLOW_JOBS} counts the root). flow-watchers-*: a flow of ${f.watchChildren} children enqueued through the gateway and run by a plain BullMQ worker (each child ${f.steps} \`updateProgress\` calls ${f.stepMs} ms apart, all children at once, then the root); Redis commands (private server, INFO commandstats) over a fixed ${f.runMs / 1000} s window from the worker's start, median of ${f.watchRounds} runs, minus the same run with no watcher, for ${Math.min(...f.watchers)} socket vs ${Math.max(...f.watchers)} sockets each holding one \`flowEvents\` subscription (selection with \`job { parent { id } }\` as the contract shows; \`-no-parent\` without it); the commands each subscription costs to start (before the worker starts) are in context (\`startCmdsPerSubscription*\`), not in the figure.`,
  async run(ctx): Promise<FigureResult[]> {
    if (!ctx.run.redis.private) ctx.log('Redis is shared (--redis-url): command counts include other clients');
    const gateway = await flowGateway(ctx, ctx.profile.flows.children);
    if ('skipped' in gateway) return skippedAll(ctx.profile, gateway.skipped);
    const queue = ctx.useQueue(await queueOf(gateway, JOB_TYPE));
    const enqueue = await enqueueFigure(ctx, gateway, queue);
    await ctx.emptyRedis();
    return [enqueue, ...(await watchersFigure(ctx, gateway, queue))];
  },
};
