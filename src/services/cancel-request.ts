import type { Config } from '../config';
import { cancelChannel, type RedisClient } from '../redis/connections';

/** What the gateway publishes to worker processes to cancel an active job. */
export interface CancelRequest {
  queue: string;
  jobId: string;
  reason: string;
}

/** Asks every worker process to abort the job if it holds it (the one that does aborts its signal). */
export async function publishCancel(config: Config, redis: RedisClient, request: CancelRequest): Promise<void> {
  await redis.publish(cancelChannel(config), JSON.stringify(request));
}
