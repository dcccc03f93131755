/**
 * The IPC contracts of the `end-to-end` figure's processes (see `lib/ipc.ts`): the paced enqueuer
 * (and its bounds), the workers that run the jobs, and the pool of watchers that follows the running jobs.
 */
import type { HistogramData } from '../lib/histogram';
import type { QueueInit, RawJobOptions } from './api';

type Empty = Record<string, never>;

/** Requests the enqueuer has outstanding at most: a stalled gateway or Redis shows as late jobs, not as unbounded memory. */
export const MAX_IN_FLIGHT = 2_000;
/**
 * Jobs still unsent this long after the window's end are not sent at all (counted `unsent`): a side that
 * cannot keep up shows in the figure, and the run still ends in its time.
 */
export const SEND_GRACE_MS = 10_000;

/** Options of `load/paced-enqueue.ts`: through the gateway's HTTP `enqueue`, or raw `Queue.add` with `opts`. */
export type PacedEnqueueInit =
  { via: 'gateway'; url: string; token: string; jobType: string } | ({ via: 'raw'; jobName: string; opts: RawJobOptions } & QueueInit);

/** What the enqueuer did over its window. */
export interface EnqueueReport {
  /** Jobs the gateway or Redis acknowledged. */
  enqueued: number;
  errors: number;
  firstError?: string;
  /** Most requests outstanding at once. */
  maxInFlight: number;
  /** Jobs sent later than their due time (the in-flight cap was reached, or this process lagged). */
  late: number;
  /** Jobs not sent at all: still waiting for room in flight well after the window's end. */
  unsent: number;
  elapsedMs: number;
  /** From sending a job to its acknowledgement, ms. */
  latency: HistogramData;
}

/** `load/paced-enqueue.ts`: adds jobs at a steady rate, open loop, and hands out their ids. */
export type PacedEnqueueApi = {
  /**
   * Starts adding `rate` jobs a second for `durationMs`: rate × duration jobs in all, whatever the answers'
   * latency, except those that found no room in flight until well after the window (`unsent`).
   */
  start: { args: { rate: number; durationMs: number }; result: Empty };
  /** The ids acknowledged since the last call (the gateway's ids, or BullMQ's), and whether every job has been answered. */
  take: { args: Empty; result: { ids: string[]; done: boolean } };
  /** Waits until every job sent has been answered (at most `timeoutMs`) and reports. */
  finish: { args: { timeoutMs: number }; result: EnqueueReport };
};

/** Options of `load/end-to-end-worker.ts`. */
export interface EndToEndWorkerInit extends QueueInit {
  concurrency: number;
  /** Progress updates per job, each `gapMs` after the previous one (the first `gapMs` after the job starts). */
  updates: number;
  gapMs: number;
}

/** What a worker did since it started. */
export interface WorkerReport {
  completed: number;
  failed: number;
  /** Jobs it completed more than once (a stalled job taken again). */
  repeated: number;
  progressSent: number;
  errors: number;
  firstError?: string;
}

/** Jobs in each state of the queue, from `Queue.getJobCounts`. */
export type JobCounts = Record<string, number>;

/** `load/end-to-end-worker.ts`: a plain BullMQ Worker whose jobs each report progress `updates` times and complete. */
export type EndToEndWorkerApi = {
  report: { args: Empty; result: WorkerReport };
  /** The queue's job counts by state. */
  counts: { args: Empty; result: JobCounts };
  /** Closes the worker, letting its active jobs finish (at most `timeoutMs`). */
  close: { args: { timeoutMs: number }; result: WorkerReport };
};

/** Options of `load/job-watchers.ts`. */
export interface JobWatchersInit {
  url: string;
  /** The gateway's JWT secret: each socket presents a viewer token of its own owner. */
  tokenSecret: string;
  /** Index of this process's first socket, so owners differ across processes. */
  offset: number;
}

/** What the watchers saw over a window. */
export interface WatchReport {
  /** Subscriptions opened (one per watcher per job it was given). */
  subscribed: number;
  /** Subscriptions the gateway ended (its `complete` after the job's final event). */
  ended: number;
  /** PROGRESS events delivered, timed from `sentAt`. */
  progress: number;
  /** Every `next` message: SNAPSHOT, PROGRESS and final events. */
  messages: number;
  /** Watcher places left empty: a job was fed while fewer than `perJob` watchers were idle. */
  unfilled: number;
  /** Mean of the subscriptions open, sampled every 100 ms. */
  meanOpen: number;
  errors: number;
  firstError?: string;
  /** Sockets that closed. */
  closed: number;
  elapsedMs: number;
  latency: HistogramData;
}

/** `load/job-watchers.ts`: a pool of WebSockets, each watching one job at a time and taking a new one when it ends. */
export type JobWatchersApi = {
  /** Opens `sockets` sockets (connection acknowledged, no subscription yet), `concurrency` at once. */
  open: { args: { sockets: number; concurrency: number; timeoutMs: number }; result: { opened: number; firstError?: string } };
  /** Each job of `ids` gets up to `perJob` idle watchers, which subscribe to its `jobEvents`. */
  feed: { args: { ids: string[]; perJob: number }; result: Empty };
  /** Starts a new window. */
  reset: { args: Empty; result: Empty };
  /** The window so far. */
  report: { args: Empty; result: WatchReport };
  /** Waits until no subscription is open (at most `timeoutMs`). */
  settle: { args: { timeoutMs: number }; result: { open: number } };
};
