/**
 * Baseline for figures 1 and 2: raw BullMQ `Queue.add` (one at a time or with
 * N in flight) and `Queue.addBulk`, timed inside this process.
 */
import { Queue, type JobsOptions } from 'bullmq';
import { Histogram } from '../lib/histogram';
import { initArgs, serve } from '../lib/ipc';
import type { Measured, QueueInit, RawEnqueueApi, RawJobOptions } from './api';

const init = initArgs<QueueInit>();
const queue = new Queue(init.queue, { prefix: init.prefix, connection: { url: init.redisUrl, maxRetriesPerRequest: null } });
const JOB = { name: 'helloWorld', data: { name: 'x' } };

/** Runs `lanes` loops, each awaiting `op` back to back, until the deadline or `maxOps` operations. */
async function closedLoop(
  lanes: number,
  durationMs: number,
  maxOps: number,
  op: () => Promise<unknown>,
): Promise<Omit<Measured, 'count'> & { ops: number }> {
  const latency = new Histogram();
  const start = performance.now();
  const deadline = start + durationMs;
  let ops = 0;
  let errors = 0;
  let firstError: string | undefined;
  const lane = async (): Promise<void> => {
    while (performance.now() < deadline && ops < maxOps) {
      ops += 1;
      const t0 = performance.now();
      try {
        await op();
        latency.record(performance.now() - t0);
      } catch (error) {
        errors += 1;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  return { ops, errors, firstError, elapsedMs: performance.now() - start, latency: latency.toData() };
}

/** The options as BullMQ takes them: none given means BullMQ's defaults. */
function jobOptions(opts: RawJobOptions): JobsOptions | undefined {
  return opts ?? undefined;
}

serve<RawEnqueueApi>({
  async single({ durationMs, inFlight, maxJobs, opts }) {
    await queue.waitUntilReady();
    const options = jobOptions(opts);
    const r = await closedLoop(inFlight, durationMs, maxJobs, () => queue.add(JOB.name, JOB.data, options));
    return { ...r, count: r.ops - r.errors };
  },
  async bulk({ durationMs, batchSize, maxBatches, opts }) {
    await queue.waitUntilReady();
    const options = jobOptions(opts);
    const batch = Array.from({ length: batchSize }, (_, i) => ({ name: JOB.name, data: { name: String(i) }, opts: options }));
    const r = await closedLoop(1, durationMs, maxBatches, () => queue.addBulk(batch));
    return { ...r, count: (r.ops - r.errors) * batchSize };
  },
});
