import { Queue } from 'bullmq';
import type { Config } from '../config';
import { unknownQueue } from '../errors';
import { queuePrefix, type RedisClient } from '../redis/connections';

/**
 * The BullMQ `Queue` objects of one process, created on first use and sharing one
 * fail-fast command connection (BullMQ only duplicates connections for blocking reads).
 */
export class QueueSet {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly config: Config,
    private readonly connection: RedisClient,
    /** Queues that exist; asking for another is a programming error. */
    private readonly known: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.known.includes(name);
  }

  get names(): readonly string[] {
    return this.known;
  }

  get(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      if (!this.has(name)) throw unknownQueue(name, this.known);
      queue = new Queue(name, {
        connection: this.connection,
        prefix: queuePrefix(this.config, name),
        skipWaitingForReady: true,
        streams: { events: { maxLen: this.config.eventStreamMaxLen } },
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
    this.queues.clear();
  }
}
