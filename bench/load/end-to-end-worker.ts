/**
 * One of the `end-to-end` figure's two worker processes: a plain BullMQ Worker, as a user would
 * write it, whose processor calls `updateProgress` `updates` times, `gapMs` apart, with the send
 * time in the payload (`{ percent, data: { sentAt, seq } }`, as `progress-worker.ts` does), and
 * then completes. Locks and stall checks keep BullMQ's defaults: their commands are part of the
 * workload on both sides.
 */
import { Queue, Worker, type Job } from 'bullmq';
import { initArgs, serve } from '../lib/ipc';
import { sleep } from '../lib/net';
import type { EndToEndWorkerApi, EndToEndWorkerInit, WorkerReport } from './end-to-end-api';

const init = initArgs<EndToEndWorkerInit>();
const connection = { url: init.redisUrl, maxRetriesPerRequest: null };
const report: WorkerReport = { completed: 0, failed: 0, repeated: 0, progressSent: 0, errors: 0 };
/** Ids of the jobs completed here, so a job completed twice shows. */
const done = new Set<string>();

async function run(job: Job): Promise<{ ok: true }> {
  for (let seq = 1; seq <= init.updates; seq += 1) {
    await sleep(init.gapMs);
    const sentAt = performance.timeOrigin + performance.now();
    try {
      await job.updateProgress({ percent: Math.round((seq / init.updates) * 100), data: { sentAt, seq } });
      report.progressSent += 1;
    } catch (error) {
      report.errors += 1;
      report.firstError ??= String(error);
    }
  }
  return { ok: true };
}

const worker = new Worker(init.queue, run, { prefix: init.prefix, connection, concurrency: init.concurrency });
worker.on('completed', (job) => {
  const id = job.id ?? '';
  if (done.has(id)) report.repeated += 1;
  else {
    done.add(id);
    report.completed += 1;
  }
});
worker.on('failed', (_job, error) => {
  report.failed += 1;
  report.firstError ??= String(error);
});
worker.on('error', (error) => {
  report.errors += 1;
  report.firstError ??= String(error);
});

serve<EndToEndWorkerApi>({
  async report() {
    return { ...report };
  },
  async counts() {
    const queue = new Queue(init.queue, { prefix: init.prefix, connection });
    try {
      return await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'failed', 'completed');
    } finally {
      await queue.close();
    }
  },
  async close({ timeoutMs }) {
    await Promise.race([worker.close(), sleep(timeoutMs)]);
    return { ...report };
  },
});
