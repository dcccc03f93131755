/** Command-line options of `bench/run.ts` and the sizes and durations of each mode. */
import path from 'node:path';

/** Figure names in run order. */
export const FIGURES = [
  'enqueue-single',
  'enqueue-bulk',
  'event-latency',
  'fanout',
  'memory',
  'sse',
  'polling-vs-push',
  'flows',
  'tracing',
] as const;
/** One figure's name. */
export type FigureName = (typeof FIGURES)[number];

/** Sizes and durations of one mode. */
export interface Profile {
  mode: 'quick' | 'full';
  /** The whole run is aborted (children killed, partial results written) after this. */
  deadlineMs: number;
  enqueue: { windowMs: number; httpClients: number; inFlight: number; bulkSize: number };
  /** Progress events at `rate`/s in total, spread over N jobs each watched by one of the N subscribers. */
  latency: { subscribers: number[]; rate: number; windowMs: number };
  fanout: { subscribers: number[]; jobs: number; windowMs: number };
  /** `plainGraphqlWs`: also measure the plain graphql-ws server (context only). */
  memory: { subscriptions: number[]; settleMs: number; plainGraphqlWs: boolean };
  /**
   * SSE against WebSocket on the same gateway: `subscribers` over `fanout.jobs` jobs getting
   * `eventsPerSec` progress events, `rounds` alternating rounds of `fanout.windowMs` per transport;
   * memory per idle subscription at `memory.subscriptions`.
   */
  sse: { subscribers: number; eventsPerSec: number; rounds: number };
  /** `jobs` jobs updating at 1 Hz; `sameJobs` × `sameWatchers` for the watcher-count comparison. */
  polling: { jobs: number; watchers: number; sameJobs: number; sameWatchers: number; warmMs: number; windowMs: number };
  /**
   * `enqueueFlow` of a root with `children` children vs raw `FlowProducer.add`, `rounds` alternating rounds of `windowMs` per side;
   * a flow of `watchChildren` children (each `steps` progress updates `stepMs` apart) watched by each count of `watchers`,
   * Redis commands over `runMs` from the worker's start, median of `watchRounds` runs.
   */
  flows: {
    children: number;
    rounds: number;
    windowMs: number;
    watchChildren: number;
    watchers: number[];
    steps: number;
    stepMs: number;
    runMs: number;
    watchRounds: number;
  };
  /**
   * The gateway with tracing off, then on (exporting every span to an in-bench OTLP receiver), in
   * `rounds` alternating rounds of `windowMs` each: single enqueues from `httpClients` clients, and
   * progress events at `eventsPerSec` over `jobs` jobs watched by `subscribers` sockets.
   */
  tracing: { rounds: number; windowMs: number; httpClients: number; subscribers: number; jobs: number; eventsPerSec: number };
}

/** A smoke run of about a minute on an idle 2-core machine: short windows, the sizes only where affordable. */
const QUICK: Profile = {
  mode: 'quick',
  deadlineMs: 5 * 60_000,
  enqueue: { windowMs: 1_000, httpClients: 64, inFlight: 64, bulkSize: 1_000 },
  latency: { subscribers: [1, 1_000], rate: 500, windowMs: 1_500 },
  fanout: { subscribers: [1_000], jobs: 100, windowMs: 1_000 },
  memory: { subscriptions: [2_000], settleMs: 500, plainGraphqlWs: false },
  sse: { subscribers: 1_000, eventsPerSec: 20_000, rounds: 1 },
  polling: { jobs: 300, watchers: 300, sameJobs: 1, sameWatchers: 300, warmMs: 500, windowMs: 1_000 },
  flows: {
    children: 1_000,
    rounds: 4,
    windowMs: 1_000,
    watchChildren: 100,
    watchers: [1, 10],
    steps: 5,
    stepMs: 50,
    runMs: 2_500,
    watchRounds: 1,
  },
  tracing: { rounds: 1, windowMs: 1_000, httpClients: 64, subscribers: 1_000, jobs: 100, eventsPerSec: 20_000 },
};

/** The sizes, longer windows; bounded by 20 minutes. */
const FULL: Profile = {
  mode: 'full',
  deadlineMs: 20 * 60_000,
  enqueue: { windowMs: 10_000, httpClients: 64, inFlight: 64, bulkSize: 1_000 },
  latency: { subscribers: [1, 1_000, 5_000], rate: 500, windowMs: 15_000 },
  fanout: { subscribers: [1_000, 5_000], jobs: 100, windowMs: 8_000 },
  memory: { subscriptions: [1_000, 5_000, 20_000], settleMs: 3_000, plainGraphqlWs: true },
  sse: { subscribers: 1_000, eventsPerSec: 20_000, rounds: 2 },
  polling: { jobs: 1_000, watchers: 1_000, sameJobs: 1, sameWatchers: 1_000, warmMs: 2_000, windowMs: 10_000 },
  flows: {
    children: 1_000,
    rounds: 8,
    windowMs: 4_000,
    watchChildren: 100,
    watchers: [1, 10],
    steps: 5,
    stepMs: 100,
    runMs: 4_000,
    watchRounds: 3,
  },
  tracing: { rounds: 2, windowMs: 6_000, httpClients: 64, subscribers: 1_000, jobs: 100, eventsPerSec: 20_000 },
};

/** Parsed command line. */
export interface Options {
  profile: Profile;
  figures: FigureName[];
  /** Skip the gateway side even when it exists. */
  gateway: boolean;
  /** Use this Redis instead of a private `redis-server`. */
  redisUrl: string | null;
  /** Run each gateway with `--cpu-prof`, writing `.cpuprofile` files to the run's log directory. */
  cpuProf: boolean;
  /** Markdown output file (default bench/RESULTS.md). */
  out: string;
}

/** Usage text for `--help`. */
export const USAGE = `usage: node --import tsx bench/run.ts [--quick] [--only fig,fig] [--no-gateway] [--cpu-prof] [--redis-url URL] [--out FILE]
figures: ${FIGURES.join(', ')}`;

function isFigure(name: string): name is FigureName {
  return (FIGURES as readonly string[]).includes(name);
}

/** Parses argv; throws with a plain message on a bad flag. */
export function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    profile: FULL,
    figures: [...FIGURES],
    gateway: true,
    redisUrl: null,
    cpuProf: false,
    out: path.resolve(__dirname, '..', 'RESULTS.md'),
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`expected a value after ${flag}`);
      return v;
    };
    if (flag === '--quick') options.profile = QUICK;
    else if (flag === '--no-gateway') options.gateway = false;
    else if (flag === '--cpu-prof') options.cpuProf = true;
    else if (flag === '--redis-url') options.redisUrl = value();
    else if (flag === '--out') options.out = value();
    else if (flag === '--only') {
      const names = value().split(',');
      const bad = names.filter((n) => !isFigure(n));
      if (bad.length > 0) throw new Error(`expected figures among ${FIGURES.join(', ')}, got ${bad.join(', ')}`);
      options.figures = FIGURES.filter((f) => names.includes(f));
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return options;
}
