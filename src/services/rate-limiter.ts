import type { Config } from '../config';
import { ErrorCode, JobgateError } from '../errors';
import { holdWrites, type RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';

const WINDOW_SECONDS = 60;

/** Adds ARGV[1] to the window's count, gives a new window its expiry, returns the count. */
const TAKE_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return count`;

/** One caller's take waiting for its turn's script call. */
interface Take {
  jobs: number;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Enqueues per owner per minute, counted in Redis so the limit holds across every gateway:
 * a fixed one-minute window, counted and given its expiry by one script call. The takes of
 * one owner in one event-loop turn (concurrent requests, as a busy client sends them) share
 * that call: it adds their sum, and each take is judged by the count up to and including its
 * own jobs, in the order the takes came. That is what one call per take would have decided,
 * in one command instead of one per request.
 */
export class EnqueueRateLimiter {
  private readonly takeInWindow: (key: string, jobs: number, ttlSeconds: number) => Promise<number>;
  private readonly waiting = new Map<string, Take[]>();
  private flushScheduled = false;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
  ) {
    this.takeInWindow = defineScript(redis, 'jobgateRateTake', 1, TAKE_SCRIPT);
  }

  /** Counts `jobs` enqueues for `owner`; RATE_LIMITED when that passes the limit. */
  take(owner: string, jobs: number): Promise<void> {
    if (this.config.enqueuesPerMinute === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const takes = this.waiting.get(owner);
      if (takes) takes.push({ jobs, resolve, reject });
      else this.waiting.set(owner, [{ jobs, resolve, reject }]);
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    for (const [owner, takes] of this.waiting) void this.settle(owner, takes);
    this.waiting.clear();
  }

  private async settle(owner: string, takes: Take[]): Promise<void> {
    const limit = this.config.enqueuesPerMinute;
    const window = Math.floor(Date.now() / (WINDOW_SECONDS * 1000));
    const key = `${this.config.queuePrefix}:jobgate:rate:{${owner}}:${window}`;
    const total = takes.reduce((sum, take) => sum + take.jobs, 0);
    let count: number;
    try {
      count = await this.takeInWindow(key, total, WINDOW_SECONDS * 2);
    } catch (error) {
      for (const take of takes) take.reject(error);
      return;
    }
    const retryAfterSeconds = WINDOW_SECONDS - (Math.floor(Date.now() / 1000) % WINDOW_SECONDS);
    // A batch's enqueue writes its chunks as it encodes them, so Redis starts on the first: only single enqueues are held.
    if (takes.length > 1 && takes.every((take) => take.jobs === 1)) holdWrites(this.redis);
    let upTo = count - total;
    for (const take of takes) {
      upTo += take.jobs;
      if (upTo > limit)
        take.reject(
          new JobgateError(ErrorCode.RATE_LIMITED, `At most ${limit} jobs per minute; try again in ${retryAfterSeconds} s`, {
            retryAfterSeconds,
          }),
        );
      else take.resolve();
    }
  }
}
