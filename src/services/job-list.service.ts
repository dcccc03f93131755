import type { JobType as BullJobState } from 'bullmq';
import { badInput } from '../errors';
import type { JobStore } from './job-store';
import { JobState, stateOf, viewOf, type JobView } from './job-view';

/** One page of jobs, newest first within each state. */
export interface JobPage {
  views: JobView[];
  /** Offset of each view, for its cursor. */
  offsets: number[];
  totalCount: number;
  hasNextPage: boolean;
}

const LISTED: [JobState, BullJobState][] = [
  [JobState.ACTIVE, 'active'],
  [JobState.WAITING, 'waiting'],
  [JobState.PRIORITIZED, 'prioritized'],
  [JobState.DELAYED, 'delayed'],
  [JobState.WAITING_CHILDREN, 'waiting-children'],
  [JobState.COMPLETED, 'completed'],
  [JobState.FAILED, 'failed'],
];

/** Opaque page cursors: the offset in the listing, base64url-encoded. */
export const encodeOffset = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

export function decodeOffset(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badInput('after', `"${cursor.slice(0, 50)}" is not a cursor of this listing`);
  return Number(match[1]);
}

/**
 * Lists a queue's jobs by state with offset cursors. The page is read with one count call,
 * one range read per state it spans, and one HGETALL per job: three round trips in all.
 */
export class JobListService {
  constructor(private readonly store: JobStore) {}

  async list(queue: string, states: JobState[] | undefined, first: number, after: string | undefined): Promise<JobPage> {
    if (!Number.isInteger(first) || first < 0 || first > 500) throw badInput('first', 'first must be an integer from 0 to 500');
    const start = after === undefined ? 0 : decodeOffset(after) + 1;
    const wanted = new Set(states && states.length > 0 ? states : Object.values(JobState));
    const types = LISTED.filter(([state]) => wanted.has(state) || (state === JobState.FAILED && wanted.has(JobState.CANCELLED)));
    const bullQueue = this.store.queues.get(queue);
    const counts = await bullQueue.getJobCounts(...types.map(([, type]) => type));
    const totalCount = types.reduce((sum, [, type]) => sum + (counts[type] ?? 0), 0);
    const slices: { type: BullJobState; base: number; from: number; to: number }[] = [];
    let base = 0;
    for (const [, type] of types) {
      const count = counts[type] ?? 0;
      const from = Math.max(start - base, 0);
      const to = Math.min(start + first - base, count) - 1;
      if (to >= from) slices.push({ type, base, from, to });
      base += count;
    }
    // Ids first, then each hash once, every read of a step issued together. BullMQ's
    // `getJobs` would read each hash twice: inside its script, then again by id.
    const ids = await Promise.all(slices.map(({ type, from, to }) => bullQueue.getRanges([type], from, to, false)));
    const jobs = await Promise.all(ids.map((slice) => Promise.all(slice.map((jobId) => this.store.fetch({ queue, jobId })))));
    const views: JobView[] = [];
    const offsets: number[] = [];
    slices.forEach(({ type, base: sliceBase, from }, index) => {
      jobs[index].forEach((job, rank) => {
        if (!job) return;
        const view = viewOf(job, stateOf(type, job.failedReason));
        if (wanted.has(view.state)) {
          views.push(view);
          offsets.push(sliceBase + from + rank);
        }
      });
    });
    return { views, offsets, totalCount, hasNextPage: start + first < totalCount };
  }
}
