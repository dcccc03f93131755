import type { Logger } from 'pino';
import type { Config } from '../config';
import type { QueueSet } from '../services/queue-set';

/**
 * Applies `QUEUE_GLOBAL_CONCURRENCY` (BullMQ global concurrency, kept in the queue's meta
 * key, so it binds every worker process) to the queues this process serves. Called before
 * the workers start, so no instant runs above the cap. A served queue the setting does not
 * name has its cap removed: the setting is the truth, and every worker process of a queue
 * should be started with the same value.
 */
export async function applyGlobalConcurrency(config: Config, queues: QueueSet, served: readonly string[], logger: Logger): Promise<void> {
  const unknown = Object.keys(config.queueGlobalConcurrency).filter((queue) => !queues.has(queue));
  if (unknown.length > 0) throw new Error(`QUEUE_GLOBAL_CONCURRENCY names unknown queues: ${unknown.join(', ')}; known queues: ${queues.names.join(', ')}`);
  for (const queue of served) {
    const cap = config.queueGlobalConcurrency[queue];
    if (cap === undefined) {
      await queues.get(queue).removeGlobalConcurrency();
    } else {
      await queues.get(queue).setGlobalConcurrency(cap);
      logger.info({ queue, cap }, 'global concurrency capped');
    }
  }
}
