/** One batch of events applied to the list: when its first event arrived, when its frame was committed. */
export interface AppliedBatch {
  events: number;
  /** performance.now() when the batch's first event arrived. */
  firstEventAt: number;
  /** performance.now() when the rows showing the batch were committed to the DOM. */
  committedAt: number;
  /** Time spent applying and rendering the batch (from its flush to its commit), ms. */
  workMs: number;
}

const KEPT_BATCHES = 500;

declare global {
  interface Window {
    /** The last batches the jobs list applied: how long live updates take, read by the browser test and by anyone curious in devtools. */
    jobgateJobsList?: { batches: AppliedBatch[] };
  }
}

/** Records a batch for `window.jobgateJobsList`, keeping the last few hundred. */
export function recordBatch(batch: AppliedBatch): void {
  const metrics = (window.jobgateJobsList ??= { batches: [] });
  metrics.batches.push(batch);
  if (metrics.batches.length > KEPT_BATCHES) metrics.batches.splice(0, metrics.batches.length - KEPT_BATCHES);
}
