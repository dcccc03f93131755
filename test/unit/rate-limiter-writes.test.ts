import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import { EnqueueRateLimiter } from '../../src/services/rate-limiter';

// Against the local Redis, under a key prefix of its own, deleted afterwards.
const PREFIX = `unit-rate-writes-${randomUUID()}`;

let redis: Redis;

/** How many writes reach `redis`'s socket while `run` runs (each is one system call). */
async function socketWrites(run: () => Promise<unknown>): Promise<number> {
  const socket = redis.stream as typeof redis.stream & { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };
  const write = socket._write;
  const writev = socket._writev;
  let writes = 0;
  socket._write = (...args) => {
    writes += 1;
    write.apply(socket, args);
  };
  socket._writev = (...args) => {
    writes += 1;
    writev.apply(socket, args);
  };
  try {
    await run();
  } finally {
    socket._write = write;
    socket._writev = writev;
  }
  return writes;
}

describe('EnqueueRateLimiter writes', () => {
  before(async () => {
    redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
    await redis.ping();
  });
  after(async () => {
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('sends the enqueues of single-job takes released together in one write', async () => {
    const limit = new EnqueueRateLimiter(loadConfig({ ENQUEUES_PER_MINUTE: '100', QUEUE_PREFIX: PREFIX }), redis);
    // Each take then sends its "enqueue" at once, as EnqueueService does.
    const enqueue = (index: number) => limit.take('ana', 1).then(() => redis.set(`${PREFIX}:job:${index}`, 'x'));
    const writes = await socketWrites(() => Promise.all([0, 1, 2, 3, 4].map(enqueue)));
    // One for the limiter's count, one for the five sets.
    assert.equal(writes, 2);
    assert.deepEqual(await redis.mget([0, 1, 2, 3, 4].map((index) => `${PREFIX}:job:${index}`)), ['x', 'x', 'x', 'x', 'x']);
  });

  it('leaves a batch to write its chunks as it encodes them', async () => {
    const limit = new EnqueueRateLimiter(loadConfig({ ENQUEUES_PER_MINUTE: '100', QUEUE_PREFIX: PREFIX }), redis);
    const batch = (index: number) =>
      limit.take('val', 3).then(async () => {
        await redis.set(`${PREFIX}:chunk:${index}:a`, 'x');
        await redis.set(`${PREFIX}:chunk:${index}:b`, 'x');
      });
    const writes = await socketWrites(() => Promise.all([0, 1].map(batch)));
    assert.equal(writes, 5);
  });
});
