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

/** What `/readyz` answers. */
export interface Readiness {
  /** `degraded`: a queue has waiting jobs and no worker; `unhealthy`: Redis does not answer. */
  status: 'healthy' | 'degraded' | 'unhealthy';
  redis: { connected: boolean };
  /** Worker processes connected to Redis (one serving five queues counts once). */
  workers: number;
  /** Per queue: workers connected to it, and its jobs ready to run (waiting and prioritized). */
  queues: Record<string, { workers: number; waiting: number }>;
}

const UNHEALTHY: Readiness = { status: 'unhealthy', redis: { connected: false }, workers: 0, queues: {} };

/**
 * Whether Redis answers, and who serves each queue. Workers are counted from Redis' connection
 * list, not from heartbeats, so plain BullMQ workers count too. Each step gives up after 1 s:
 * a probe must answer fast when Redis is away.
 */
async function probe({ redis, monitor }: Services): Promise<Readiness> {
  try {
    await withTimeout(redis.ping(), PING_TIMEOUT_MS);
    const [workers, counts] = await withTimeout(Promise.all([monitor.workerCounts(), monitor.counts(monitor.names)]), PING_TIMEOUT_MS);
    const queues: Readiness['queues'] = {};
    for (const { queue, counts: jobs } of counts) {
      queues[queue] = { workers: workers.perQueue.get(queue) ?? 0, waiting: jobs.waiting + jobs.prioritized };
    }
    const stranded = Object.values(queues).some((queue) => queue.waiting > 0 && queue.workers === 0);
    return { status: stranded ? 'degraded' : 'healthy', redis: { connected: true }, workers: workers.processes, queues };
  } catch {
    return UNHEALTHY;
  }
}

/** 503 only when Redis is away: a degraded gateway still serves, and restarting it would not bring a worker. */
const httpStatus = (readiness: Readiness): number => (readiness.status === 'unhealthy' ? 503 : 200);

/** `GET /readyz`: Redis answers, and every queue with jobs waiting has a worker. */
export function readiness(services: Services) {
  return async (_request: Request, response: Response): Promise<void> => {
    const body = await probe(services);
    response.status(httpStatus(body)).json(body);
  };
}

/**
 * `GET /health`: `/readyz`, plus the shape of the Celery back-ends Jobgate replaces (the fleet seed's
 * `{"status":"healthy","celery":{"connected":true,"workers":2}}`), so their monitors keep working:
 * `celery.connected` is Redis answering, `celery.workers` the worker processes connected to it.
 */
export function celeryHealth(services: Services) {
  return async (_request: Request, response: Response): Promise<void> => {
    const body = await probe(services);
    response.status(httpStatus(body)).json({ ...body, celery: { connected: body.redis.connected, workers: body.workers } });
  };
}
