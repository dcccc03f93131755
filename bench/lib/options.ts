/** Command-line options of `bench/run.ts` and the sizes and durations of each mode. */
import path from 'node:path';

/** Figure names in run order. */
export const FIGURES = [
  'enqueue-single',
  'enqueue-bulk',
  'event-latency',
  'fanout',
  'fanout-latency',
  'memory',
  'many-subscriptions',
  'sse',
  'polling-vs-push',
  'flows',
  'tracing',
  'end-to-end',
] as const;
/** One figure's name. */
export type FigureName = (typeof FIGURES)[number];

/** Sizes and durations of one mode. */
export interface Profile {
  mode: 'smoke' | 'quick' | 'full';
  /**
   * The whole run is aborted (children killed, partial results written) after this, plus the
   * `end-to-end` figure's two sides when it runs (see {@link runDeadlineMs}).
   */
  deadlineMs: number;
  /**
   * `rounds` of `roundMs` each: the gateway and the baselines its lines are measured against, in
   * alternating rounds; `windowMs`: the windows of what is only context (bare jobs).
   */
  enqueue: { windowMs: number; httpClients: number; inFlight: number; bulkSize: number; rounds: number; roundMs: number };
  /** Progress events at `rate`/s in total, spread over N jobs each watched by one of the N subscribers. */
  latency: { subscribers: number[]; rate: number; windowMs: number };
  fanout: { subscribers: number[]; jobs: number; windowMs: number };
  /**
   * `jobs` jobs reporting progress 10 times a second for `steadyMs`, then completing, each watched by
   * subscribers / `jobs` sockets, through the gateway and the raw relay in `roundsPerSide` alternating rounds each.
   */
  fanoutLatency: { subscribers: number[]; jobs: number; roundsPerSide: number; steadyMs: number };
  /** `plainGraphqlWs`: also measure the plain graphql-ws server (context only). */
  memory: { subscriptions: number[]; settleMs: number; plainGraphqlWs: boolean };
  /**
   * `subscriptions` idle jobEvents subscriptions, one socket each, on one gateway process (its open-file
   * limit raised), then progress events at `eventsPerSec` over the `jobs` watched jobs for `windowMs`.
   */
  manySubscriptions: { subscriptions: number; jobs: number; eventsPerSec: number; windowMs: number };
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
  /**
   * `rate` jobs a second for `durationMs` per side, each reporting progress `updates` times `gapMs` apart;
   * through the gateway with `watchers` sockets following the running jobs, and with workers alone.
   */
  endToEnd: { rate: number; durationMs: number; watchers: number; updates: number; gapMs: number };
}

/** A short run (two to three minutes on a 2-core machine): short windows, the sizes only where affordable; rough ratios. */
const QUICK: Profile = {
  mode: 'quick',
  deadlineMs: 5 * 60_000,
  enqueue: { windowMs: 1_000, httpClients: 64, inFlight: 64, bulkSize: 1_000, rounds: 1, roundMs: 1_000 },
  latency: { subscribers: [1, 1_000], rate: 500, windowMs: 1_500 },
  fanout: { subscribers: [1_000], jobs: 100, windowMs: 1_000 },
  fanoutLatency: { subscribers: [1_000], jobs: 100, roundsPerSide: 2, steadyMs: 1_500 },
  memory: { subscriptions: [2_000], settleMs: 500, plainGraphqlWs: false },
  manySubscriptions: { subscriptions: 5_000, jobs: 100, eventsPerSec: 20, windowMs: 2_000 },
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
  endToEnd: { rate: 280, durationMs: 30_000, watchers: 5_000, updates: 10, gapMs: 100 },
};

/**
 * CI's smoke test (`--smoke`): every figure's code path end to end (each baseline and the gateway
 * started, something measured, everything stopped) at the smallest sizes, in one to two minutes on
 * a 2-core machine. Its numbers mean nothing. Measuring windows stay at a second, since a side that
 * counts nothing is a failure: at half a second, a gateway starved by other work once delivered
 * nothing. A figure not named here runs at its quick sizes, so a new figure is in the smoke at once.
 */
const SMOKE: Profile = {
  ...QUICK,
  mode: 'smoke',
  deadlineMs: 5 * 60_000,
  enqueue: { windowMs: 1_000, httpClients: 8, inFlight: 8, bulkSize: 100, rounds: 1, roundMs: 1_000 },
  latency: { subscribers: [1, 50], rate: 200, windowMs: 1_000 },
  fanout: { subscribers: [100], jobs: 10, windowMs: 1_000 },
  fanoutLatency: { subscribers: [100], jobs: 10, roundsPerSide: 1, steadyMs: 1_000 },
  memory: { subscriptions: [500], settleMs: 200, plainGraphqlWs: true },
  manySubscriptions: { subscriptions: 500, jobs: 10, eventsPerSec: 20, windowMs: 1_000 },
  sse: { subscribers: 100, eventsPerSec: 2_000, rounds: 1 },
  polling: { jobs: 20, watchers: 20, sameJobs: 1, sameWatchers: 20, warmMs: 200, windowMs: 500 },
  flows: {
    children: 20,
    rounds: 2,
    windowMs: 1_000,
    watchChildren: 10,
    watchers: [1, 3],
    steps: 2,
    stepMs: 20,
    runMs: 800,
    watchRounds: 1,
  },
  tracing: { rounds: 1, windowMs: 1_000, httpClients: 8, subscribers: 100, jobs: 10, eventsPerSec: 2_000 },
  endToEnd: { rate: 50, durationMs: 5_000, watchers: 200, updates: 10, gapMs: 100 },
};

/** The issue's sizes, longer windows; bounded by 30 minutes besides `end-to-end`'s two long sides. */
const FULL: Profile = {
  mode: 'full',
  deadlineMs: 30 * 60_000,
  enqueue: { windowMs: 10_000, httpClients: 64, inFlight: 64, bulkSize: 1_000, rounds: 4, roundMs: 5_000 },
  latency: { subscribers: [1, 1_000, 5_000], rate: 500, windowMs: 15_000 },
  fanout: { subscribers: [1_000, 5_000], jobs: 100, windowMs: 8_000 },
  fanoutLatency: { subscribers: [1_000, 5_000], jobs: 100, roundsPerSide: 5, steadyMs: 3_000 },
  memory: { subscriptions: [1_000, 5_000, 20_000], settleMs: 3_000, plainGraphqlWs: true },
  manySubscriptions: { subscriptions: 50_000, jobs: 100, eventsPerSec: 20, windowMs: 10_000 },
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
  tracing: { rounds: 4, windowMs: 6_000, httpClients: 64, subscribers: 1_000, jobs: 100, eventsPerSec: 20_000 },
  // The 1 million jobs an hour (≈ 280/s) for 10 minutes.
  endToEnd: { rate: 280, durationMs: 600_000, watchers: 5_000, updates: 10, gapMs: 100 },
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
  /** Markdown output file (default bench/RESULTS.md for a full run, else bench/.runs/RESULTS-<mode>.md). */
  out: string;
}

/** Usage text for `--help`. */
export const USAGE = `usage: node --import tsx bench/run.ts [--quick | --smoke] [--only fig,fig] [--no-gateway] [--cpu-prof] [--redis-url URL] [--out FILE]
       [--end-to-end-seconds N] [--end-to-end-watchers N]   (end-to-end: each side's length, the gateway side's watchers)
figures: ${FIGURES.join(', ')}`;

/** When the run is aborted: the mode's deadline, plus the two sides of `end-to-end` when it runs, whose length can be chosen. */
export function runDeadlineMs(options: Pick<Options, 'profile' | 'figures'>): number {
  const endToEnd = options.figures.includes('end-to-end') ? 2 * options.profile.endToEnd.durationMs : 0;
  return options.profile.deadlineMs + endToEnd;
}

function isFigure(name: string): name is FigureName {
  return (FIGURES as readonly string[]).includes(name);
}

/** Parses argv; throws with a plain message on a bad flag. */
export function parseOptions(argv: readonly string[]): Options {
  const options: Omit<Options, 'out'> = {
    profile: FULL,
    figures: [...FIGURES],
    gateway: true,
    redisUrl: null,
    cpuProf: false,
  };
  let out: string | null = null;
  const endToEnd: Partial<Profile['endToEnd']> = {};
  const count = (flag: string, text: string, min: number): number => {
    const n = Number(text);
    if (!(n >= min) || !Number.isFinite(n)) throw new Error(`expected a number of at least ${min} after ${flag}, got ${text}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`expected a value after ${flag}`);
      return v;
    };
    if (flag === '--quick') options.profile = QUICK;
    else if (flag === '--smoke') options.profile = SMOKE;
    else if (flag === '--no-gateway') options.gateway = false;
    else if (flag === '--cpu-prof') options.cpuProf = true;
    else if (flag === '--redis-url') options.redisUrl = value();
    else if (flag === '--out') out = value();
    else if (flag === '--end-to-end-seconds') endToEnd.durationMs = count(flag, value(), 1) * 1000;
    else if (flag === '--end-to-end-watchers') endToEnd.watchers = Math.floor(count(flag, value(), 0));
    else if (flag === '--only') {
      const names = value().split(',');
      const bad = names.filter((n) => !isFigure(n));
      if (bad.length > 0) throw new Error(`expected figures among ${FIGURES.join(', ')}, got ${bad.join(', ')}`);
      options.figures = FIGURES.filter((f) => names.includes(f));
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  options.profile = { ...options.profile, endToEnd: { ...options.profile.endToEnd, ...endToEnd } };
  // Only a full run's results belong in the tracked RESULTS.md; shorter runs go to an ignored folder.
  const mode = options.profile.mode;
  const defaultOut =
    mode === 'full' ? path.resolve(__dirname, '..', 'RESULTS.md') : path.resolve(__dirname, '..', '.runs', `RESULTS-${mode}.md`);
  return { ...options, out: out ?? defaultOut };
}
