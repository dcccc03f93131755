/**
 * The IPC contracts of the `fanout-latency` figure's processes (see `lib/ipc.ts`): a worker whose
 * jobs run for a scheduled time reporting progress, and the raw relay baseline.
 */
type Empty = Record<string, never>;

/** What one round of running jobs did, as the worker saw it. */
export interface RunReport {
  jobs: number;
  completed: number;
  progressSent: number;
  errors: number;
  firstError?: string;
  /** Latest a progress update started after its scheduled time, ms (timer lag on the loaded machine). */
  maxTickLagMs: number;
  /** From the first job's `completed` to the last one's, as the worker saw them, ms. */
  completionSpreadMs: number;
}

/** `load/running-jobs-worker.ts`: a BullMQ Worker whose jobs, once told to run, report progress on a schedule and complete. */
export type RunningJobsWorkerApi = {
  /** Adds jobs 0 … count−1 raw (`data.name` is the index) and returns their BullMQ ids in that order. */
  addJobs: { args: { count: number }; result: { ids: string[] } };
  /** Waits until `count` jobs of the round are active and returns their BullMQ ids by index. */
  waitActive: { args: { count: number; timeoutMs: number }; result: { ids: string[] } };
  /**
   * Job i of n reports progress every `periodMs` from `startAt` + i × `periodMs` / n (epoch ms), with `sentAt` in
   * the payload, and completes right after its report `steadyMs` after its first: n jobs make n × 1000 / `periodMs`
   * updates a second, and the first completes at `startAt` + `steadyMs`.
   */
  run: { args: { startAt: number; steadyMs: number; periodMs: number }; result: Empty };
  /** Waits until every job of the round has completed (at most `timeoutMs`) and reports the round. */
  settle: { args: { timeoutMs: number }; result: RunReport };
};

/** Young- and old-generation collections since the process started, and their total pause, ms. */
export interface GcTotals {
  minor: number;
  minorMs: number;
  major: number;
  majorMs: number;
}

/** `baselines/raw-relay-server.ts`: one `QueueEvents` listener relaying each job's events to the sockets subscribed to it. */
export type RelayServerApi = {
  listen: { args: Empty; result: { port: number } };
  /** Subscriptions open now. */
  status: { args: Empty; result: { subscribers: number } };
  gc: { args: Empty; result: GcTotals };
};
