/**
 * The job side of figures 3, 4 and 6: a plain BullMQ Worker (as any user
 * would write) that holds every job it takes active and, on command, calls
 * `updateProgress` at a steady total rate, round-robin over the jobs, with the
 * send time in the payload: `{ percent, data: { sentAt, seq } }` where
 * `sentAt` is epoch milliseconds with sub-millisecond precision.
 */
import { Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { initArgs, serve } from '../lib/ipc';
import { sleep } from '../lib/net';
import { addIndexedJobs, indexOf } from './indexed-jobs';
import type { EmitReport, EmitVia, ProgressWorkerApi, WorkerInit } from './api';

const init = initArgs<WorkerInit>();
const connection = { url: init.redisUrl, maxRetriesPerRequest: null };
/** For `via: 'stream'`: writes progress entries straight into the queue's event stream, pipelined. */
const streamWriter = new IORedis(init.redisUrl, { enableAutoPipelining: true, lazyConnect: true });
const eventsKey = `${init.prefix}:${init.queue}:events`;
/** BullMQ's default event stream length (`streams.events.maxLen`). */
const EVENTS_MAXLEN = 10_000;
const held: Job[] = [];
let release: () => void = () => undefined;
const released = new Promise<void>((resolve) => (release = resolve));
let completed = 0;

// Locks and stall checks are pushed far out so their periodic bursts of
// commands do not land inside the Redis-command windows of figure 6.
const worker = new Worker(
  init.queue,
  async (job: Job) => {
    if (job.name !== init.jobName) return { skipped: true };
    held.push(job);
    await released;
    return { ok: true };
  },
  { prefix: init.prefix, connection, concurrency: init.concurrency, lockDuration: 600_000, stalledInterval: 600_000 },
);
worker.on('completed', (job) => {
  if (job.name === init.jobName) completed += 1;
});
worker.on('error', (error) => console.error('worker error', error));

/**
 * Paces `updateProgress` calls at `rate` per second (Infinity: as fast as
 * `maxInFlight` outstanding calls allow). When Redis falls behind, backlog
 * beyond 100 ms is skipped rather than sent as a burst.
 */
class Emitter {
  private sent = 0;
  private skipped = 0;
  private inFlight = 0;
  private errors = 0;
  private firstError: string | undefined;
  private running = true;
  private readonly start = performance.now();
  private readonly timer: NodeJS.Timeout;
  private readonly stopTimer: NodeJS.Timeout;

  constructor(
    private readonly rate: number,
    private readonly jobs: readonly Job[],
    private readonly maxInFlight: number,
    maxMs: number,
    private readonly via: EmitVia,
  ) {
    this.timer = setInterval(() => this.pump(), 1);
    this.stopTimer = setTimeout(() => this.halt(), maxMs);
    this.pump();
  }

  private pump(): void {
    if (!this.running) return;
    if (!Number.isFinite(this.rate)) {
      while (this.inFlight < this.maxInFlight) this.send();
      return;
    }
    const target = Math.floor(((performance.now() - this.start) * this.rate) / 1000);
    const limit = Math.max(1, Math.ceil(this.rate / 10));
    const backlog = target - this.sent - this.skipped;
    if (backlog > limit) this.skipped += backlog - limit;
    for (let owed = Math.min(backlog, limit); owed > 0 && this.inFlight < this.maxInFlight; owed -= 1) this.send();
  }

  private send(): void {
    const seq = this.sent;
    const job = this.jobs[seq % this.jobs.length] as Job;
    this.sent += 1;
    this.inFlight += 1;
    const sentAt = performance.timeOrigin + performance.now();
    const progress = { percent: seq % 100, data: { sentAt, seq } };
    const sent =
      this.via === 'stream'
        ? streamWriter.xadd(
            eventsKey,
            'MAXLEN',
            '~',
            EVENTS_MAXLEN,
            '*',
            'event',
            'progress',
            'jobId',
            job.id ?? '',
            'data',
            JSON.stringify(progress),
          )
        : job.updateProgress(progress);
    sent.then(
      () => this.settle(),
      (error: unknown) => {
        this.errors += 1;
        this.firstError ??= String(error);
        this.settle();
      },
    );
  }

  private settle(): void {
    this.inFlight -= 1;
    this.pump();
  }

  private halt(): void {
    this.running = false;
    clearInterval(this.timer);
    clearTimeout(this.stopTimer);
  }

  /** Stops emitting, waits for outstanding calls (at most 5 s) and reports. */
  async stop(): Promise<EmitReport> {
    this.halt();
    const elapsedMs = performance.now() - this.start;
    for (let i = 0; i < 500 && this.inFlight > 0; i += 1) await sleep(10);
    return { sent: this.sent - this.inFlight, errors: this.errors, firstError: this.firstError, elapsedMs };
  }
}

let emitter: Emitter | null = null;

serve<ProgressWorkerApi>({
  addJobs: ({ count }) => addIndexedJobs(init, count),
  async waitActive({ count, timeoutMs }) {
    const deadline = Date.now() + timeoutMs;
    while (held.length < count && Date.now() < deadline) await sleep(20);
    return { active: held.length };
  },
  async startEmitting({ rate, jobs, maxInFlight, maxMs, via }) {
    if (emitter) throw new Error('expected no emission in progress, got one');
    const chosen = held.filter((job) => indexOf(job) < jobs).sort((a, b) => indexOf(a) - indexOf(b));
    if (chosen.length < jobs) throw new Error(`expected jobs 0 to ${jobs - 1} active, got ${chosen.length} of them`);
    emitter = new Emitter(rate, chosen, maxInFlight, maxMs, via);
    return {};
  },
  async stopEmitting() {
    if (!emitter) throw new Error('expected an emission in progress, got none');
    const report = await emitter.stop();
    emitter = null;
    return report;
  },
  async finish({ timeoutMs }) {
    const expected = held.length;
    release();
    const deadline = Date.now() + timeoutMs;
    while (completed < expected && Date.now() < deadline) await sleep(20);
    await worker.close();
    streamWriter.disconnect();
    return { completed };
  },
});
