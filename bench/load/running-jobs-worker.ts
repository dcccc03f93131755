/**
 * The job side of the `fanout-latency` figure: a plain BullMQ Worker whose jobs, once told to run,
 * call `updateProgress` on a fixed period with the send time in the payload (`{ percent, data: {
 * sentAt, seq } }`, as `progress-worker.ts` does), and complete right after their last update. Their
 * starts are spread over one period, so the updates come at an even rate and a round ends as real
 * work does: jobs completing over a period while the others still report progress.
 */
import { Worker, type Job } from 'bullmq';
import { initArgs, serve } from '../lib/ipc';
import { sleep } from '../lib/net';
import { addIndexedJobs, indexOf } from './indexed-jobs';
import type { WorkerInit } from './api';
import type { RunReport, RunningJobsWorkerApi } from './fanout-latency-api';

/** When one job reports: its first update, its period and how long it reports before completing. */
interface Slot {
  firstAt: number;
  periodMs: number;
  steadyMs: number;
}

/** A job of the coming round, held active until the round runs. */
interface Waiting {
  job: Job;
  index: number;
  start(slot: Slot): void;
}

/** What the current round did so far: its report, with when its first and last jobs completed. */
type Round = Omit<RunReport, 'completionSpreadMs'> & { firstCompletedAt: number; lastCompletedAt: number };

const init = initArgs<WorkerInit>();
const connection = { url: init.redisUrl, maxRetriesPerRequest: null };
const waiting: Waiting[] = [];
let round: Round = newRound(0);

function newRound(jobs: number): Round {
  return { jobs, completed: 0, progressSent: 0, errors: 0, maxTickLagMs: 0, firstCompletedAt: Number.NaN, lastCompletedAt: Number.NaN };
}

const now = (): number => performance.timeOrigin + performance.now();
const sleepUntil = (at: number): Promise<void> => sleep(Math.max(0, at - now()));

/** Reports from `firstAt` to `firstAt` + `steadyMs` inclusive, the last update at 100%, and returns at once, as a job ends. */
async function report(job: Job, { firstAt, periodMs, steadyMs }: Slot): Promise<void> {
  for (let seq = 0; seq * periodMs <= steadyMs; seq += 1) {
    const at = firstAt + seq * periodMs;
    await sleepUntil(at);
    const sentAt = now();
    round.maxTickLagMs = Math.max(round.maxTickLagMs, sentAt - at);
    try {
      await job.updateProgress({ percent: Math.round(((at - firstAt) / steadyMs) * 100), data: { sentAt, seq } });
      round.progressSent += 1;
    } catch (error) {
      round.errors += 1;
      round.firstError ??= String(error);
    }
  }
}

// Locks and stall checks are pushed far out, as in progress-worker.ts, so their commands stay out of the rounds.
const worker = new Worker(
  init.queue,
  async (job: Job) => {
    if (job.name !== init.jobName) return { skipped: true };
    const slot = await new Promise<Slot>((start) => waiting.push({ job, index: indexOf(job), start }));
    await report(job, slot);
    return { ok: true };
  },
  { prefix: init.prefix, connection, concurrency: init.concurrency, lockDuration: 600_000, stalledInterval: 600_000 },
);
worker.on('completed', (job) => {
  if (job.name !== init.jobName) return;
  const at = now();
  round.completed += 1;
  if (Number.isNaN(round.firstCompletedAt)) round.firstCompletedAt = at;
  round.lastCompletedAt = at;
});
worker.on('error', (error) => console.error('worker error', error));

serve<RunningJobsWorkerApi>({
  addJobs: ({ count }) => addIndexedJobs(init, count),
  async waitActive({ count, timeoutMs }) {
    const deadline = Date.now() + timeoutMs;
    while (waiting.length < count && Date.now() < deadline) await sleep(20);
    if (waiting.length < count) throw new Error(`expected ${count} active jobs, got ${waiting.length}`);
    waiting.sort((a, b) => a.index - b.index);
    return { ids: waiting.map((w) => w.job.id ?? '') };
  },
  async run({ startAt, steadyMs, periodMs }) {
    const jobs = waiting.splice(0);
    if (jobs.length === 0) throw new Error('expected active jobs to run, got none');
    round = newRound(jobs.length);
    jobs.forEach((w, i) => w.start({ firstAt: startAt + (i * periodMs) / jobs.length, periodMs, steadyMs }));
    return {};
  },
  async settle({ timeoutMs }): Promise<RunReport> {
    const deadline = Date.now() + timeoutMs;
    while (round.completed < round.jobs && Date.now() < deadline) await sleep(20);
    const { firstCompletedAt, lastCompletedAt, ...counts } = round;
    return { ...counts, completionSpreadMs: lastCompletedAt - firstCompletedAt };
  },
});
