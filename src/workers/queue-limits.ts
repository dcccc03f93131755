import type { Logger } from 'pino';
import type { Config } from '../config';
import type { QueueSet } from '../services/queue-set';
import { applyConfiguredLimits } from '../services/runtime-limits';
import type { JobRegistry } from '../jobs/registry';

/** The rate limit in force for `queue`: `QUEUE_RATE_LIMITS`, else the one its job types declare. */
function rateLimitOf(config: Config, registry: JobRegistry, queue: string): { max: number; durationMs: number } | undefined {
  return config.queueRateLimits[queue] ?? registry.inQueue(queue).find((definition) => definition.rateLimit)?.rateLimit;
}

/**
 * Applies the per-queue limits that bind every worker process, kept by BullMQ in the queue's
 * meta key: `QUEUE_GLOBAL_CONCURRENCY` (jobs active at once) and the rate limit (jobs started
 * per window, counted in one Redis key per queue). Called before the workers start, so no
 * instant runs above them. A limit the configuration and the registry do not give is removed:
 * they are the truth, and every worker process of a queue should be started with the same values,
 * except for a limit an admin changed at runtime (`setQueueRateLimit`, `setQueueGlobalConcurrency`),
 * which stays in force until `resetQueueLimits` (services/runtime-limits).
 */
export async function applyQueueLimits(
  config: Config,
  registry: JobRegistry,
  queues: QueueSet,
  served: readonly string[],
  logger: Logger,
): Promise<void> {
  for (const [setting, named] of [
    ['QUEUE_GLOBAL_CONCURRENCY', config.queueGlobalConcurrency],
    ['QUEUE_RATE_LIMITS', config.queueRateLimits],
  ] as const) {
    const unknown = Object.keys(named).filter((queue) => !queues.has(queue));
    if (unknown.length > 0)
      throw new Error(`${setting} names unknown queues: ${unknown.join(', ')}; known queues: ${queues.names.join(', ')}`);
  }
  for (const queue of served) {
    const configured = {
      concurrency: config.queueGlobalConcurrency[queue] ?? null,
      rateLimit: rateLimitOf(config, registry, queue) ?? null,
    };
    const runtime = await applyConfiguredLimits(queues.get(queue), configured);
    if (configured.concurrency !== null) logger.info({ queue, cap: configured.concurrency }, 'global concurrency capped');
    if (configured.rateLimit !== null) logger.info({ queue, ...configured.rateLimit }, 'rate limited');
    if (Object.keys(runtime).length > 0) logger.info({ queue, ...runtime }, 'limits set at runtime stay in force (resetQueueLimits)');
  }
}
