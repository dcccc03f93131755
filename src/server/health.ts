import type { Request, Response } from 'express';
import type { Services } from '../services';

const PING_TIMEOUT_MS = 1000;

/** Distinct BullMQ workers connected to any of the queues (a worker serving 3 queues counts once). */
async function workerCount(services: Services): Promise<number> {
  const names = new Set<string>();
  for (const queue of services.registry.queues) {
    for (const worker of await services.store.queues.get(queue).getWorkers()) names.add(String(worker.addr ?? worker.name ?? worker.id));
  }
  return names.size;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** `GET /healthz`: the process is alive. */
export function liveness(_request: Request, response: Response): void {
  response.json({ status: 'alive' });
}

/** `GET /readyz`: Redis answers; 503 when it does not. Same shape as the Celery health JSON users know. */
export function readiness(services: Services) {
  return async (_request: Request, response: Response): Promise<void> => {
    try {
      await withTimeout(services.redis.ping(), PING_TIMEOUT_MS);
      const workers = await withTimeout(workerCount(services), PING_TIMEOUT_MS);
      response.json({ status: 'healthy', redis: { connected: true }, workers });
    } catch {
      response.status(503).json({ status: 'unhealthy', redis: { connected: false }, workers: 0 });
    }
  };
}
