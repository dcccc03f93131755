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

/** Whether Redis answers, and how many worker processes are connected to it. */
async function probe(services: Services): Promise<{ connected: boolean; workers: number }> {
  try {
    await withTimeout(services.redis.ping(), PING_TIMEOUT_MS);
    return { connected: true, workers: await withTimeout(services.monitor.workerProcessCount(), PING_TIMEOUT_MS) };
  } catch {
    return { connected: false, workers: 0 };
  }
}

/**
 * `GET /readyz`: Redis answers; 503 when it does not. Same shape as the Celery health JSON users know;
 * `workers` counts worker processes (one serving five queues counts once).
 */
export function readiness(services: Services) {
  return async (_request: Request, response: Response): Promise<void> => {
    const { connected, workers } = await probe(services);
    response.status(connected ? 200 : 503).json({ status: connected ? 'healthy' : 'unhealthy', redis: { connected }, workers });
  };
}

/**
 * `GET /health`: `/readyz` in the shape of the Celery back-ends Jobgate replaces (the fleet seed's
 * `{"status":"healthy","celery":{"connected":true,"workers":2}}`), so their monitors keep working:
 * `celery.connected` is Redis answering, `celery.workers` the worker processes connected to it.
 */
export function celeryHealth(services: Services) {
  return async (_request: Request, response: Response): Promise<void> => {
    const { connected, workers } = await probe(services);
    response.status(connected ? 200 : 503).json({ status: connected ? 'healthy' : 'unhealthy', celery: { connected, workers } });
  };
}
