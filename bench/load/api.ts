/**
 * The IPC contracts between the runner and the processes it forks: one
 * command map per script (see `lib/ipc.ts`) and the options each script is
 * forked with. Load generators live in `bench/load/`, baseline servers in
 * `bench/baselines/`.
 */
import type { HistogramData } from '../lib/histogram';

type Empty = Record<string, never>;

/** Redis and queue a BullMQ-speaking script works on. */
export interface QueueInit {
  redisUrl: string;
  /** BullMQ key prefix, unique per run. */
  prefix: string;
  queue: string;
}

/** Counted operations with their latency, over a measured window. */
export interface Measured {
  count: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  latency: HistogramData;
}

/** BullMQ job options a raw baseline adds its jobs with (none: BullMQ's defaults), as plain JSON. */
export type RawJobOptions = Record<string, unknown> | null;

/** `load/raw-enqueue.ts`: raw `Queue.add` / `Queue.addBulk`. */
export type RawEnqueueApi = {
  single: { args: { durationMs: number; inFlight: number; maxJobs: number; opts: RawJobOptions }; result: Measured };
  bulk: { args: { durationMs: number; batchSize: number; maxBatches: number; opts: RawJobOptions }; result: Measured };
};

/** Options of `load/http-load.ts`. */
export interface HttpInit {
  url: string;
  token: string;
}

/** `load/http-load.ts`: closed-loop HTTP POST load from keep-alive clients; `count` is jobs (requests × jobsPerRequest). */
export type HttpLoadApi = {
  run: {
    args: { body: string; concurrency: number; durationMs: number; maxRequests: number; jobsPerRequest: number };
    result: Measured;
  };
};

/** Options of `baselines/http-enqueue-server.ts`: where it adds jobs, and with which options. */
export interface HttpFloorInit extends QueueInit {
  opts: RawJobOptions;
}

/** `baselines/http-enqueue-server.ts`: a bare HTTP server adding one job per POST. */
export type HttpFloorApi = {
  listen: { args: Empty; result: { url: string } };
};

/** Options of `load/progress-worker.ts`; `concurrency` bounds how many jobs it holds active. */
export interface WorkerInit extends QueueInit {
  concurrency: number;
  /** Only jobs of this name are held; any other job of the queue completes at once. */
  jobName: string;
}

/** How progress updates are produced (see `startEmitting`). */
export type EmitVia = 'updateProgress' | 'stream';

/** What an emission phase did. */
export interface EmitReport {
  sent: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
}

/** `load/progress-worker.ts`: a plain BullMQ Worker that holds jobs active and calls `updateProgress`. */
export type ProgressWorkerApi = {
  /** Adds jobs 0 … count−1 raw (`data.name` is the index) and returns their BullMQ ids in that order. */
  addJobs: { args: { count: number }; result: { ids: string[] } };
  waitActive: { args: { count: number; timeoutMs: number }; result: { active: number } };
  /**
   * Emits `rate` progress updates per second in total, round-robin over jobs 0 … jobs−1; stops by itself after `maxMs`.
   * `via`: `updateProgress` (BullMQ's call, as a processor makes it) or `stream` (the same stream entry, XADDed
   * directly and auto-pipelined: what a gateway reads, at a fraction of the producer's CPU).
   */
  startEmitting: { args: { rate: number; jobs: number; maxInFlight: number; maxMs: number; via: EmitVia }; result: Empty };
  stopEmitting: { args: Empty; result: EmitReport };
  /** Lets every held job complete. */
  finish: { args: { timeoutMs: number }; result: { completed: number } };
};

/** `load/queue-events-listener.ts`: a raw `QueueEvents` listener timing progress events. */
export type QueueEventsApi = {
  start: { args: Empty; result: Empty };
  collect: { args: Empty; result: Measured };
};

/** Arguments of a fleet's `connect`. */
export interface ConnectArgs {
  url: string;
  /**
   * `graphql-ws` speaks graphql-transport-ws; `raw` names its topic once, then just listens; `sse`
   * POSTs one subscription per connection to a graphql-sse endpoint (distinct connections mode).
   */
  protocol: 'graphql-ws' | 'raw' | 'sse';
  connections: number;
  subscriptionsPerConnection: number;
  /** Subscription document with an `$id` variable (graphql-ws, sse), ignored by `raw`. */
  query: string;
  /** Topic of subscription i is `topics[(offset + i) % topics.length]`. */
  topics: string[];
  offset: number;
  /** The gateway's JWT secret: each socket presents a viewer token of its own owner; empty for no credentials. */
  tokenSecret: string;
  /** Wait for each subscription's first message (e.g. the SNAPSHOT) before resolving. */
  awaitFirst: boolean;
  /** Connections opened at once. */
  concurrency: number;
  timeoutMs: number;
}

/** What a fleet's `connect` achieved. */
export interface ConnectReport {
  connected: number;
  subscribed: number;
  firstMessages: number;
  failed: number;
  firstError?: string;
  elapsedMs: number;
}

/** Messages received in a window; latency from `sentAt` in the payload when present. */
export interface ReceiveReport extends Measured {
  bytes: number;
  completed: number;
  closed: number;
}

/** `load/ws-fleet.ts`: many WebSocket (or SSE) clients in one process. */
export type FleetApi = {
  connect: { args: ConnectArgs; result: ConnectReport };
  measure: { args: { durationMs: number }; result: ReceiveReport };
  close: { args: Empty; result: { closed: number } };
};

/** `load/pollers.ts`: watchers polling `job(id)` over HTTP at a fixed rate. */
export type PollersApi = {
  start: { args: { query: string; ids: string[]; watchers: number; hz: number; maxMs: number }; result: Empty };
  stop: { args: Empty; result: Measured };
};

/** What a baseline server's publishing phase did. */
export interface PublishReport {
  events: number;
  sends: number;
  elapsedMs: number;
}

/** `baselines/raw-ws-server.ts` and `baselines/graphql-ws-server.ts`: a server broadcasting to its subscribers. */
export type BroadcastServerApi = {
  listen: { args: Empty; result: { port: number } };
  subscribers: { args: Empty; result: { count: number } };
  /** Publishes sample job events round-robin over `topics` as fast as the sockets drain; stops by itself after `maxMs`. */
  startPublishing: { args: { topics: string[]; maxBufferedBytes: number; maxMs: number }; result: Empty };
  stopPublishing: { args: Empty; result: PublishReport };
};
