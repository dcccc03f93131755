import type { Metrics } from 'bullmq';

const MINUTE_MS = 60_000;

/** Jobs that finished (completed or failed) in a queue, as BullMQ's metrics count them. */
export interface ThroughputView {
  /** Since the queue's metrics began. */
  total: number;
  /** Per minute, newest first: index 0 is the minute in progress, index 1 the last full minute. */
  perMinute: number[];
}

/**
 * Turns BullMQ's lazily kept metrics into `minutes` buckets ending at `now`.
 *
 * BullMQ only writes a data point when a job finishes in a later minute than the previous
 * one (`collectMetrics.lua`): `meta.prevTS` is in the newest, still open minute, whose jobs
 * are `meta.count - meta.prevCount`, and `data[i]` holds the minute `i + 1` before it. Minutes
 * after `prevTS` with no finished job have no point yet; they are zero. Reading `data[0]` as
 * "the last minute" would show an old minute's count for as long as the queue stays idle.
 */
export function throughputOf(metrics: Metrics, now: number, minutes: number): ThroughputView {
  const { count, prevTS, prevCount } = metrics.meta;
  const perMinute = new Array<number>(minutes).fill(0);
  if (prevTS > 0) {
    const openMinute = Math.floor(prevTS / MINUTE_MS);
    const nowMinute = Math.floor(now / MINUTE_MS);
    for (let index = 0; index < minutes; index++) {
      const minute = nowMinute - index;
      if (minute === openMinute) perMinute[index] = Math.max(0, count - prevCount);
      else if (minute < openMinute) perMinute[index] = metrics.data[openMinute - 1 - minute] ?? 0;
    }
  }
  return { total: count, perMinute };
}
