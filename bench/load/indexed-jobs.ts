/**
 * The jobs the bench's worker processes hold: job i carries its index in `data.name` (as the
 * gateway-side jobs of lib/gateway-jobs.ts do), so a worker can order the jobs it holds.
 */
import { Queue, type Job } from 'bullmq';
import type { WorkerInit } from './api';

/** Adds jobs 0 … count−1 of `init.jobName` raw and returns their BullMQ ids in that order. */
export async function addIndexedJobs(init: WorkerInit, count: number): Promise<{ ids: string[] }> {
  const queue = new Queue(init.queue, { prefix: init.prefix, connection: { url: init.redisUrl, maxRetriesPerRequest: null } });
  const jobs = await queue.addBulk(Array.from({ length: count }, (_, i) => ({ name: init.jobName, data: { name: String(i) } })));
  await queue.close();
  return { ids: jobs.map((j) => j.id ?? '') };
}

/** The index a job carries in `data.name`; unknown jobs sort last. */
export function indexOf(job: Job): number {
  const data: unknown = job.data;
  const name = typeof data === 'object' && data !== null && 'name' in data ? Number(data.name) : Number.NaN;
  return Number.isInteger(name) ? name : Number.MAX_SAFE_INTEGER;
}
