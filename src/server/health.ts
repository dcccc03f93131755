import type { Request, Response } from 'express';
import type { Services } from '../services';

const PING_TIMEOUT_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}

/** `GET /healthz`: the process is alive. */
export function liveness(_request: Request, response: Response): void {
  response.json({ status: 'alive' });
}

/**
 * `GET /readyz`: Redis answers; 503 when it does not. Same shape as the Celery health JSON users know;
 * `workers` counts worker processes (one serving five queues counts once).
 */
export function readiness(services: Services) {
  return async (_request: Request, response: Response): Promise<void> => {
    try {
      await withTimeout(services.redis.ping(), PING_TIMEOUT_MS);
      const workers = await withTimeout(services.monitor.workerProcessCount(), PING_TIMEOUT_MS);
      response.json({ status: 'healthy', redis: { connected: true }, workers });
    } catch {
      response.status(503).json({ status: 'unhealthy', redis: { connected: false }, workers: 0 });
    }
  };
}
