import type { ChildLink, FlowNode, FlowProgressView } from './flow-reader';
import { toGlobalId } from './job-id';
import { JobState, type JobView } from './job-view';

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

/**
 * A job's share of the mean: 100 once finished, its progress percent while it runs (0 when it
 * reported none), 0 before it runs: a job not started yet has done nothing, whatever progress its
 * hash keeps (an event's job may be read after the job went on, or keep an earlier attempt's).
 */
function percentOf(view: Pick<JobView, 'state' | 'progress'>, bucket: Bucket): number {
  if (bucket === 'waiting') return 0;
  if (bucket !== 'active') return 100;
  return Math.min(100, Math.max(0, view.progress?.percent ?? 0));
}

/**
 * Percent points are summed as integers of this many per point: a running float sum of values
 * such as 16.67 drifts with every update, and a mean on a rounding boundary then flips back and
 * forth. Exact up to 90 million jobs at 100.
 */
const UNITS_PER_POINT = 1_000_000;

/** How far along a bucket is: a job only moves forward, but for a retry. */
const RANK: Record<Bucket, number> = { waiting: 0, active: 1, completed: 2, failed: 2, cancelled: 2 };

/**
 * A flow's aggregate (`FlowProgress`) over its descendants, kept up to date one job at a time:
 * a watch of the flow updates it from each event's job without reading the tree again.
 */
export class FlowTally {
  private readonly jobs = new Map<string, { bucket: Bucket; percent: number }>();
  private readonly counts: Record<Bucket, number> = { waiting: 0, active: 0, completed: 0, failed: 0, cancelled: 0 };
  /** The jobs' percents summed, in UNITS_PER_POINT. */
  private unitSum = 0;

  /** The tally of `tree` (every descendant of a root) whose jobs read as `views`, in the same order (undefined: gone). */
  constructor(tree: readonly FlowNode[], views: readonly (JobView | undefined)[]) {
    tree.forEach((node, index) => {
      const view = views[index];
      const known = view && bucketOf(view.state);
      if (view && known) this.put(toGlobalId(node.address), known, percentOf(view, known));
      else this.put(toGlobalId(node.address), goneBucket(node.link), 100);
    });
  }

  /**
   * Takes the state and progress of `view`, a descendant as of one of its events; other jobs and
   * UNKNOWN states change nothing. With `forwardOnly`, for an event the tally may already reflect
   * (it happened before the tree was read), a job does not move back to an earlier state or to
   * less progress.
   */
  update(view: JobView, forwardOnly = false): void {
    const current = this.jobs.get(view.id);
    const bucket = bucketOf(view.state);
    if (!current || !bucket) return;
    const percent = percentOf(view, bucket);
    if (forwardOnly && (RANK[bucket] < RANK[current.bucket] || (bucket === current.bucket && percent < current.percent))) return;
    this.counts[current.bucket] -= 1;
    this.unitSum -= Math.round(current.percent * UNITS_PER_POINT);
    this.put(view.id, bucket, percent);
  }

  /** Whether every descendant has finished (completed, failed or cancelled). */
  get finished(): boolean {
    return this.counts.waiting === 0 && this.counts.active === 0;
  }

  view(): FlowProgressView {
    const total = this.jobs.size;
    return { total, ...this.counts, percent: total === 0 ? 0 : Math.round(this.unitSum / total / (UNITS_PER_POINT / 100)) / 100 };
  }

  private put(id: string, bucket: Bucket, percent: number): void {
    this.jobs.set(id, { bucket, percent });
    this.counts[bucket] += 1;
    this.unitSum += Math.round(percent * UNITS_PER_POINT);
  }
}
