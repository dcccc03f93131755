import type { Config } from '../config';
import { ErrorCode, JobgateError } from '../errors';
import type { RedisClient } from '../redis/connections';

const WINDOW_SECONDS = 60;

/**
 * Enqueues per owner per minute, counted in Redis so the limit holds across every gateway:
 * a fixed one-minute window (`INCRBY` + `EXPIRE` in one MULTI round trip).
 */
export class EnqueueRateLimiter {
  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
  ) {}

  /** Counts `jobs` enqueues for `owner`; RATE_LIMITED when that passes the limit. */
  async take(owner: string, jobs: number): Promise<void> {
    const limit = this.config.enqueuesPerMinute;
    if (limit === 0) return;
    const window = Math.floor(Date.now() / (WINDOW_SECONDS * 1000));
    const key = `${this.config.queuePrefix}:jobgate:rate:{${owner}}:${window}`;
    const results = await this.redis.multi().incrby(key, jobs).expire(key, WINDOW_SECONDS * 2).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    if (count > limit) {
      const retryAfterSeconds = WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS);
      throw new JobgateError(ErrorCode.RATE_LIMITED, `At most ${limit} jobs per minute; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    }
  }
}
