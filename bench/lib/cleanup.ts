/** Removes everything a run wrote to Redis: its queues, then any key left under its prefix. */
import { Queue } from 'bullmq';
import Redis from 'ioredis';

const MAX_SCAN_ROUNDS = 100_000;

/** Obliterates `queues`, then UNLINKs remaining keys under `<runPrefix>-*`; returns keys unlinked by the sweep. */
export async function cleanRun(redisUrl: string, runPrefix: string, queues: ReadonlyArray<{ prefix: string; queue: string }>): Promise<number> {
  for (const { prefix, queue: name } of queues) {
    const queue = new Queue(name, { prefix, connection: { url: redisUrl, maxRetriesPerRequest: 1 } });
    await queue.obliterate({ force: true }).finally(() => queue.close());
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    let cursor = '0';
    for (let round = 0; round < MAX_SCAN_ROUNDS; round += 1) {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${runPrefix}-*`, 'COUNT', 1000);
      if (keys.length > 0) removed += await redis.unlink(...keys);
      cursor = next;
      if (cursor === '0') break;
    }
  } finally {
    redis.disconnect();
  }
  return removed;
}
