import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config';
import type { RedisClient } from '../../src/redis/connections';
import { EnqueueRateLimiter } from '../../src/services/rate-limiter';

// The count lives in Redis (a Lua script): these tests use the local Redis with a key prefix of
// their own, deleted afterwards. The clock is Date.now(), mocked with node:test's timers (Date
// only: the limiter's setImmediate and ioredis' timers stay real).
const PREFIX = `unit-rate-${randomUUID()}`;
const MINUTE = 60_000;
/** A minute boundary, as the limiter counts windows. */
const WINDOW_START = 29_921_000 * MINUTE;

let redis: Redis;

function limiter(enqueuesPerMinute: number, client: RedisClient = redis): EnqueueRateLimiter {
  return new EnqueueRateLimiter(loadConfig({ ENQUEUES_PER_MINUTE: String(enqueuesPerMinute), QUEUE_PREFIX: PREFIX }), client);
}

const keyOf = (owner: string, at: number): string => `${PREFIX}:jobgate:rate:{${owner}}:${Math.floor(at / MINUTE)}`;

/** 'ok', or the error code and retry delay of a refusal. */
async function outcome(take: Promise<void>): Promise<string> {
  try {
    await take;
    return 'ok';
  } catch (error) {
    const { extensions } = error as { extensions: { code: string; retryAfterSeconds: number } };
    return `${extensions.code} ${extensions.retryAfterSeconds}s`;
  }
}

describe('EnqueueRateLimiter', () => {
  before(() => {
    redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterEach(() => mock.timers.reset());
  after(async () => {
    const keys = await redis.keys(`${PREFIX}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('lets an owner enqueue up to the limit per minute, then refuses with the seconds left', async () => {
    mock.timers.enable({ apis: ['Date'], now: WINDOW_START + 45_000 });
    const limit = limiter(5);
    assert.equal(await outcome(limit.take('ana', 3)), 'ok');
    assert.equal(await outcome(limit.take('ana', 2)), 'ok');
    assert.equal(await outcome(limit.take('ana', 1)), 'RATE_LIMITED 15s');
    assert.equal(await outcome(limit.take('val', 5)), 'ok', 'owners are counted apart');
    const ttl = await redis.ttl(keyOf('ana', WINDOW_START));
    assert.ok(ttl > 60 && ttl <= 120, `a window's key expires after it (ttl ${ttl})`);
  });

  it('starts counting again in the next minute', async () => {
    mock.timers.enable({ apis: ['Date'], now: WINDOW_START + 10 * MINUTE + 59_000 });
    const limit = limiter(2);
    assert.equal(await outcome(limit.take('ana', 2)), 'ok');
    assert.equal(await outcome(limit.take('ana', 1)), 'RATE_LIMITED 1s');
    mock.timers.setTime(WINDOW_START + 11 * MINUTE);
    assert.equal(await outcome(limit.take('ana', 2)), 'ok');
    assert.equal(await outcome(limit.take('ana', 1)), 'RATE_LIMITED 60s');
  });

  it('judges the takes of one turn in the order they came, counting them all once', async () => {
    mock.timers.enable({ apis: ['Date'], now: WINDOW_START + 2 * MINUTE });
    const limit = limiter(5);
    const outcomes = await Promise.all(
      [limit.take('ana', 2), limit.take('ana', 2), limit.take('ana', 2), limit.take('ana', 1)].map(outcome),
    );
    assert.deepEqual(outcomes, ['ok', 'ok', 'RATE_LIMITED 60s', 'RATE_LIMITED 60s']);
    assert.equal(await redis.get(keyOf('ana', WINDOW_START + 2 * MINUTE)), '7', 'refused takes still count, as one call per take would');
  });

  it('does not let a large take through because a smaller one came first', async () => {
    mock.timers.enable({ apis: ['Date'], now: WINDOW_START + 3 * MINUTE });
    const limit = limiter(4);
    assert.deepEqual(await Promise.all([limit.take('ana', 1), limit.take('ana', 4)].map(outcome)), ['ok', 'RATE_LIMITED 60s']);
  });

  it('never asks Redis when there is no limit', async () => {
    const unreachable = { defineCommand: () => undefined } as unknown as RedisClient;
    const limit = limiter(0, unreachable);
    assert.equal(await outcome(limit.take('ana', 1_000_000)), 'ok');
  });

  it('fails every take of the turn when Redis fails', async () => {
    const failing = {
      defineCommand(this: Record<string, unknown>, name: string) {
        this[name] = () => Promise.reject(new Error('connection lost'));
      },
    } as unknown as RedisClient;
    const limit = limiter(5, failing);
    const results = await Promise.allSettled([limit.take('ana', 1), limit.take('val', 1)]);
    assert.deepEqual(
      results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'ok')),
      ['connection lost', 'connection lost'],
    );
  });
});
