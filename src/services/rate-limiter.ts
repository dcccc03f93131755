import type { Config } from '../config';
import { ErrorCode, JobgateError } from '../errors';
import type { RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';

const WINDOW_SECONDS = 60;

/** Adds ARGV[1] to the window's count, gives a new window its expiry, returns the count. */
const TAKE_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return count`;

/**
 * Enqueues per owner per minute, counted in Redis so the limit holds across every gateway:
 * a fixed one-minute window, counted and given its expiry by one script call per enqueue.
 */
export class EnqueueRateLimiter {
  private readonly takeInWindow: (key: string, jobs: number, ttlSeconds: number) => Promise<number>;

  constructor(
    private readonly config: Config,
    redis: RedisClient,
  ) {
    this.takeInWindow = defineScript(redis, 'jobgateRateTake', 1, TAKE_SCRIPT);
  }

  /** Counts `jobs` enqueues for `owner`; RATE_LIMITED when that passes the limit. */
  async take(owner: string, jobs: number): Promise<void> {
    const limit = this.config.enqueuesPerMinute;
    if (limit === 0) return;
    const window = Math.floor(Date.now() / (WINDOW_SECONDS * 1000));
    const key = `${this.config.queuePrefix}:jobgate:rate:{${owner}}:${window}`;
    const count = await this.takeInWindow(key, jobs, WINDOW_SECONDS * 2);
    if (count > limit) {
      const retryAfterSeconds = WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS);
      throw new JobgateError(ErrorCode.RATE_LIMITED, `At most ${limit} jobs per minute; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }
}
