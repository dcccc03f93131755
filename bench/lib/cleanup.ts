/** Removes what a run or a figure wrote to Redis. */
import { Queue } from 'bullmq';
import Redis from 'ioredis';

const MAX_SCAN_ROUNDS = 100_000;
const LAZYFREE_POLL_MS = 50;
const LAZYFREE_WAIT_MS = 30_000;

/** Waits (bounded) until Redis' background thread has freed what UNLINK handed it. */
async function lazyFreeDone(redis: Redis): Promise<void> {
  const deadline = performance.now() + LAZYFREE_WAIT_MS;
  while (performance.now() < deadline) {
    const pending = /lazyfree_pending_objects:(\d+)/.exec(await redis.info('memory'));
    if (!pending || pending[1] === '0') return;
    await new Promise((resolve) => setTimeout(resolve, LAZYFREE_POLL_MS));
  }
}

/**
 * UNLINKs every key matching the SCAN `pattern` and waits until Redis has freed them, so
 * the freeing does not run beside what is measured next; returns how many were unlinked.
 */
export async function unlinkMatching(redisUrl: string, pattern: string): Promise<number> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    let cursor = '0';
    for (let round = 0; round < MAX_SCAN_ROUNDS; round += 1) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) removed += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
    if (removed > 0) await lazyFreeDone(redis);
  } finally {
    redis.disconnect();
  }
  return removed;
}

/** Obliterates `queues`, then UNLINKs remaining keys under `<runPrefix>-*`; returns keys unlinked by the sweep. */
export async function cleanRun(
  redisUrl: string,
  runPrefix: string,
  queues: ReadonlyArray<{ prefix: string; queue: string }>,
): Promise<number> {
  for (const { prefix, queue: name } of queues) {
    const queue = new Queue(name, { prefix, connection: { url: redisUrl, maxRetriesPerRequest: 1 } });
    await queue.obliterate({ force: true }).finally(() => queue.close());
  }
  return unlinkMatching(redisUrl, `${runPrefix}-*`);
}
