import type { ChildLink, FlowNode, FlowProgressView } from './flow-reader';
import { toGlobalId } from './job-id';
import { FINAL_STATES, JobState, type JobView } from './job-view';

type Bucket = 'waiting' | 'active' | 'completed' | 'failed' | 'cancelled';

/** Where a job in `state` counts; undefined for UNKNOWN (a job seen gone: it keeps where it was). */
function bucketOf(state: JobState): Bucket | undefined {
  switch (state) {
    case JobState.WAITING:
    case JobState.PRIORITIZED:
    case JobState.DELAYED:
    case JobState.WAITING_CHILDREN:
      return 'waiting';
    case JobState.ACTIVE:
      return 'active';
    case JobState.COMPLETED:
      return 'completed';
    case JobState.FAILED:
      return 'failed';
    case JobState.CANCELLED:
      return 'cancelled';
    case JobState.UNKNOWN:
      return undefined;
  }
}

/** How a job gone from Redis counts, by how its parent held it: a pending child will never run. */
function goneBucket(link: ChildLink): Bucket {
  if (link === 'completed') return 'completed';
  if (link === 'pending') return 'cancelled';
  return 'failed';
}

/** A job's share of the mean: 100 once finished, else its progress percent (0 when it reported none). */
function percentOf(view: Pick<JobView, 'state' | 'progress'>): number {
  if (FINAL_STATES.has(view.state)) return 100;
  return Math.min(100, Math.max(0, view.progress?.percent ?? 0));
}

/**
 * A flow's aggregate (`FlowProgress`) over its descendants, kept up to date one job at a time:
 * a watch of the flow updates it from each event's job without reading the tree again.
 */
export class FlowTally {
  private readonly jobs = new Map<string, { bucket: Bucket; percent: number }>();
  private readonly counts: Record<Bucket, number> = { waiting: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
  private percentSum = 0;

  /** The tally of `tree` (every descendant of a root) whose jobs read as `views`, in the same order (undefined: gone). */
  constructor(tree: readonly FlowNode[], views: readonly (JobView | undefined)[]) {
    tree.forEach((node, index) => {
      const view = views[index];
      const known = view && bucketOf(view.state);
      if (view && known) this.put(toGlobalId(node.address), known, percentOf(view));
      else this.put(toGlobalId(node.address), goneBucket(node.link), 100);
    });
  }

  /** Whether `id` (a global job id) is one of the descendants. */
  has(id: string): boolean {
    return this.jobs.has(id);
  }

  /** Takes the state and progress of `view`, a descendant as of one of its events; other jobs and UNKNOWN states change nothing. */
  update(view: JobView): void {
    const current = this.jobs.get(view.id);
    const bucket = bucketOf(view.state);
    if (!current || !bucket) return;
    this.counts[current.bucket] -= 1;
    this.percentSum -= current.percent;
    this.put(view.id, bucket, percentOf(view));
  }

  view(): FlowProgressView {
    const total = this.jobs.size;
    return { total, ...this.counts, percent: total === 0 ? 0 : Math.round((this.percentSum / total) * 100) / 100 };
  }

  private put(id: string, bucket: Bucket, percent: number): void {
    this.jobs.set(id, { bucket, percent });
    this.counts[bucket] += 1;
    this.percentSum += percent;
  }
}
