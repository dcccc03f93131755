import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis/connections';

/**
 * BullMQ scores a delayed job `runAt × 2^12 + n` (the low 12 bits keep jobs of one millisecond in
 * order): the score divided by this, rounded down, is when it runs.
 */
const DELAYED_SCORE_SHIFT = 0x1000;

/**
 * When a delayed job of `queue` runs, read from the queue's delayed set; null when the job is not
 * there (it ran, or it was promoted). The job hash does not hold it: BullMQ writes a retry's delay,
 * not when the failed attempt ended.
 */
export async function delayedUntil(redis: RedisClient, queue: Queue, jobId: string): Promise<Date | null> {
  const score = await redis.zscore(queue.keys.delayed, jobId);
  return score === null ? null : new Date(Math.floor(Number(score) / DELAYED_SCORE_SHIFT));
}
