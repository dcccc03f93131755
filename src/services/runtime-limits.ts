import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';

/** At most `max` jobs of a queue start per `durationMs`, across every worker. */
export interface RateLimit {
  max: number;
  durationMs: number;
}

/** The limits of a queue that bind every worker process; null: none. */
export interface QueueLimits {
  /** Jobs active at once across every worker (BullMQ global concurrency). */
  concurrency: number | null;
  rateLimit: RateLimit | null;
}

/** Bounds of a runtime change, those of `QUEUE_GLOBAL_CONCURRENCY` and `QUEUE_RATE_LIMITS`. */
export const LIMIT_BOUNDS = { concurrency: 999_999, max: 999_999, durationMs: 999_999_999 } as const;

/**
 * Applies a queue's limits to BullMQ's meta key, where every worker's fetch script reads them on
 * every fetch (`getQueueMetadata`): a change binds every worker process at its next fetch. Jobgate
 * keeps beside them, in `<prefix>:<queue>:jobgate:limits` (the queue's hash slot), the values an
 * admin set at runtime (`concurrency`, `rateLimit`, as given: a number, `max/durationMs` or `none`)
 * and those the workers were configured with (`configured.*`), so that:
 * - `override` stores a runtime value and applies it;
 * - `configured` (a worker starting) records its configured value and applies it unless a runtime
 *   one is stored, which it applies again: a worker that starts or restarts does not undo an admin;
 * - `reset` drops the runtime value and applies the configured one the workers recorded;
 * - `keep` leaves the setting alone.
 * One script per change, so a worker starting while an admin changes a limit cannot interleave.
 * After a change a marker wakes a worker waiting for jobs (a raised limit starts jobs at once), and
 * the current rate-limit window is cut to the new duration. Returns the runtime values stored.
 */
const LIMITS_SCRIPT = `
local function apply(field, value)
  if field == 'concurrency' then
    if value == 'none' then redis.call('HDEL', KEYS[2], 'concurrency') else redis.call('HSET', KEYS[2], 'concurrency', value) end
  else
    if value == 'none' then
      redis.call('HDEL', KEYS[2], 'max', 'duration')
    else
      local slash = string.find(value, '/', 1, true)
      local duration = tonumber(string.sub(value, slash + 1))
      redis.call('HSET', KEYS[2], 'max', string.sub(value, 1, slash - 1), 'duration', duration)
      local ttl = redis.call('PTTL', KEYS[3])
      if ttl > duration then redis.call('PEXPIRE', KEYS[3], duration) end
    end
  end
end
local function handle(field, mode, value)
  if mode == 'override' then
    redis.call('HSET', KEYS[1], field, value)
    apply(field, value)
  elseif mode == 'configured' then
    redis.call('HSET', KEYS[1], 'configured.' .. field, value)
    apply(field, redis.call('HGET', KEYS[1], field) or value)
  elseif mode == 'reset' then
    redis.call('HDEL', KEYS[1], field)
    apply(field, redis.call('HGET', KEYS[1], 'configured.' .. field) or 'none')
  end
end
handle('concurrency', ARGV[1], ARGV[2])
handle('rateLimit', ARGV[3], ARGV[4])
if ARGV[1] ~= 'configured' then redis.call('ZADD', KEYS[4], 0, '0') end
return redis.call('HMGET', KEYS[1], 'concurrency', 'rateLimit')`;

type Mode = 'override' | 'configured' | 'reset' | 'keep';
type Run = (
  limitsKey: string,
  metaKey: string,
  limiterKey: string,
  markerKey: string,
  concurrencyMode: Mode,
  concurrency: string,
  rateMode: Mode,
  rateLimit: string,
) => Promise<[string | null, string | null]>;

/** The script registered once per connection (the queues of a process share one). */
const scripts = new WeakMap<object, Run>();

/** The Redis key of `queue`'s runtime and configured limits (`jobgateKey(config, queue, 'limits')`). */
export const limitsKey = (queue: Queue): string => `${queue.qualifiedName}:jobgate:limits`;

const encodeConcurrency = (value: number | null): string => (value === null ? 'none' : String(value));
const encodeRate = (value: RateLimit | null): string => (value === null ? 'none' : `${value.max}/${value.durationMs}`);

/** A runtime value as stored; undefined when none is stored. */
function decodeRate(value: string | null): RateLimit | null | undefined {
  if (value === null) return undefined;
  const [max, durationMs] = value.split('/').map(Number);
  return value === 'none' ? null : { max, durationMs };
}

async function run(queue: Queue, concurrency: [Mode, string], rate: [Mode, string]): Promise<Partial<QueueLimits>> {
  // The ioredis connection the QueueSet gave the queue (BullMQ types it as its own interface).
  const client = (await queue.getBackend().client) as unknown as RedisClient;
  let script = scripts.get(client);
  if (!script) {
    script = defineScript(client, 'jobgateQueueLimits', 4, LIMITS_SCRIPT) as Run;
    scripts.set(client, script);
  }
  const { meta, limiter, marker } = queue.keys;
  const [runtimeConcurrency, runtimeRate] = await script(limitsKey(queue), meta, limiter, marker, ...concurrency, ...rate);
  return {
    ...(runtimeConcurrency !== null && { concurrency: runtimeConcurrency === 'none' ? null : Number(runtimeConcurrency) }),
    ...(runtimeRate !== null && { rateLimit: decodeRate(runtimeRate) }),
  };
}

/** Sets the limits given (undefined: unchanged) at runtime, for every worker, until `resetLimits`. */
export function overrideLimits(queue: Queue, change: Partial<QueueLimits>): Promise<Partial<QueueLimits>> {
  return run(
    queue,
    change.concurrency === undefined ? ['keep', ''] : ['override', encodeConcurrency(change.concurrency)],
    change.rateLimit === undefined ? ['keep', ''] : ['override', encodeRate(change.rateLimit)],
  );
}

/** Drops the runtime limits of `queue`: the ones its workers were configured with apply again. */
export function resetLimits(queue: Queue): Promise<Partial<QueueLimits>> {
  return run(queue, ['reset', ''], ['reset', '']);
}

/**
 * Records the limits a worker process is configured with and applies them, except those an admin
 * set at runtime, which stay; returns the runtime ones in force.
 */
export function applyConfiguredLimits(queue: Queue, configured: QueueLimits): Promise<Partial<QueueLimits>> {
  return run(queue, ['configured', encodeConcurrency(configured.concurrency)], ['configured', encodeRate(configured.rateLimit)]);
}

/** Which limits of `queue` an admin set at runtime (read by the monitor, in its pass). */
export async function runtimeLimitsOf(queue: Queue): Promise<Partial<QueueLimits>> {
  // The ioredis connection the QueueSet gave the queue (BullMQ types it as its own interface).
  const client = (await queue.getBackend().client) as unknown as RedisClient;
  const [concurrency, rate] = await client.hmget(limitsKey(queue), 'concurrency', 'rateLimit');
  return {
    ...(concurrency !== null && { concurrency: concurrency === 'none' ? null : Number(concurrency) }),
    ...(rate !== null && { rateLimit: decodeRate(rate) }),
  };
}
