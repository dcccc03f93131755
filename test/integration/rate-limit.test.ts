import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import IORedis from 'ioredis';
import { loadConfig } from '../../src/config';
import { createRedis, type RedisClient } from '../../src/redis/connections';
import { EnqueueRateLimiter } from '../../src/services/rate-limiter';
import { PrivateRedis } from '../support/redis-server';
import { countCommands } from '../support/redis-stats';

const LIMIT = 30;

/** Which of `takes` were refused, as indexes, and the Redis commands they cost. */
async function run(
  limiter: EnqueueRateLimiter,
  stats: IORedis,
  takes: { owner: string; jobs: number }[],
): Promise<{ refused: number[]; counts: Map<string, number> }> {
  const refused: number[] = [];
  const counts = await countCommands(stats, () =>
    Promise.all(
      takes.map(({ owner, jobs }, index) =>
        limiter.take(owner, jobs).catch((error: { extensions?: { code?: string } }) => {
          assert.equal(error.extensions?.code, 'RATE_LIMITED');
          refused.push(index);
        }),
      ),
    ),
  );
  return { refused: refused.sort((a, b) => a - b), counts };
}

describe('the enqueue rate limit, counted in Redis', () => {
  let redis: PrivateRedis;
  let stats: IORedis;
  let client: RedisClient;
  let limiter: EnqueueRateLimiter;
  /** The minute the first test filled. */
  let filledMinute = 0;
  before(async () => {
    redis = await PrivateRedis.start();
    stats = new IORedis(redis.url);
    const config = loadConfig({ REDIS_URL: redis.url, ENQUEUES_PER_MINUTE: String(LIMIT), QUEUE_PREFIX: 'ratetest' });
    client = createRedis(config, 'command', 'rate-limit-test');
    limiter = new EnqueueRateLimiter(config, client);
  });
  after(async () => {
    client.disconnect();
    stats.disconnect();
    await redis.destroy();
  });

  it('judges the takes of one turn in order, with one script call per owner', async () => {
    // 40 takes of 1 job for one owner and a batch of 25 then 10 for another, all in one turn.
    filledMinute = Math.floor(Date.now() / 60_000);
    const takes = [...Array.from({ length: 40 }, () => ({ owner: 'ana', jobs: 1 })), { owner: 'bo', jobs: 25 }, { owner: 'bo', jobs: 10 }];
    const { refused, counts } = await run(limiter, stats, takes);
    assert.deepEqual(refused, [...Array.from({ length: 10 }, (_, i) => 30 + i), 41], 'the 31st to 40th of ana, the second batch of bo');
    const scriptCalls = (counts.get('evalsha') ?? 0) + (counts.get('eval') ?? 0);
    assert.equal(scriptCalls, 2, `script calls: ${JSON.stringify([...counts])}`);
  });

  it('keeps counting across turns: a later take in the same minute is refused', async () => {
    const { refused } = await run(limiter, stats, [{ owner: 'ana', jobs: 1 }]);
    // The first test filled ana's minute; a new minute (the tests ran across its start) is empty.
    assert.deepEqual(refused, Math.floor(Date.now() / 60_000) === filledMinute ? [0] : []);
    const { refused: other } = await run(limiter, stats, [{ owner: 'cy', jobs: LIMIT }]);
    assert.deepEqual(other, []);
  });
});
