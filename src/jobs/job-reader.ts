import type { Job } from 'bullmq';
import type { JobAddress } from './job-id';
import type { JobView } from './job-view';

/**
 * How a job is read: what the event hub needs of the job store (`services/job-store.ts`,
 * which implements it). Declared here so that the events depend on the job model, not on the
 * services that are built on top of them.
 */
export interface JobReader {
  /** The BullMQ job, or undefined when absent. One HGETALL. */
  fetch(address: JobAddress): Promise<Job | undefined>;
  /** The job with its current state, or its tombstone when it was cancelled before it ran. */
  load(address: JobAddress): Promise<JobView | undefined>;
  /** The view kept for a job cancelled (and removed) before it ran. */
  tombstone(address: JobAddress): Promise<JobView | undefined>;
}
