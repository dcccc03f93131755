import { MetricsTime, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { cancelChannel, createRedis, queuePrefix, type RedisClient } from '../redis/connections';
import type { CancelRequest } from '../services/job-control.service';
import { QueueSet } from '../services/queue-set';
import { toGlobalId } from '../services/job-id';
import { lastScheduledJobKey, upsertDeclaredSchedules } from '../services/schedules';
import { JobLogWriter } from './job-log';
import { applyQueueLimits } from './queue-limits';
import { createProcessor } from './processor';
import type { JobRegistry } from './registry';

/**
 * How long a worker waits after a Redis connection error (fetching a job, or recording its end)
 * before it tries again. BullMQ's default, 15 s, left jobs idle that long after Redis came back.
 */
const RETRY_AFTER_CONNECTION_ERROR_MS = 1000;

/** The BullMQ workers of one worker process, one per queue it serves. */
export interface WorkerPool {
  queues: string[];
  close(): Promise<void>;
}

/**
 * Starts a worker per queue (all registered queues, or `config.workerQueues`), listens for
 * cancellation requests, and upserts the declared schedules.
 */
export async function startWorkerPool(config: Config, registry: JobRegistry, logger: Logger): Promise<WorkerPool> {
  const queues = config.workerQueues.length > 0 ? config.workerQueues : registry.queues;
  const unknown = queues.filter((queue) => !registry.queues.includes(queue));
  if (unknown.length > 0) throw new Error(`Unknown queues: ${unknown.join(', ')}; known queues: ${registry.queues.join(', ')}`);

  const connection = createRedis(config, 'blocking', 'jobgate:worker');
  const subscriber = createRedis(config, 'blocking', 'jobgate:worker:cancel');
  connection.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  const scheduleQueues = new QueueSet(config, connection, registry.queues);
  await applyQueueLimits(config, registry, scheduleQueues, queues, logger);
  const workers = new Map<string, Worker>();
  const logs = new JobLogWriter(config, connection);
  for (const queue of queues) {
    const onScheduledJob = async (job: Job): Promise<void> => {
      await connection.hset(lastScheduledJobKey(config, queue), job.repeatJobKey ?? '', toGlobalId({ queue, jobId: job.id ?? '' }));
    };
    const worker = new Worker(queue, createProcessor(queue, registry, logs, config, logger, onScheduledJob), {
      connection,
      prefix: queuePrefix(config, queue),
      concurrency: config.workerConcurrency,
      name: `jobgate-${process.pid}`,
      lockDuration: config.workerLockDurationMs,
      stalledInterval: config.workerStalledIntervalMs,
      runRetryDelay: RETRY_AFTER_CONNECTION_ERROR_MS,
      // Per-minute completed/failed counts for the `queues` query (BullMQ records none without it).
      metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
    });
    worker.on('error', (error) => logger.warn({ err: error, queue }, 'worker error'));
    workers.set(queue, worker);
  }

  await listenForCancellations(config, subscriber, workers, logger);
  await upsertDeclaredSchedules(config, registry, scheduleQueues, logger).catch((error: unknown) => logger.warn({ err: error }, 'schedules not upserted'));
  logger.info({ queues, concurrency: config.workerConcurrency }, 'workers started');

  return {
    queues,
    async close() {
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), config.workerGraceMs).unref());
      const closed = Promise.all([...workers.values()].map((worker) => worker.close()));
      if ((await Promise.race([closed, grace])) === 'timeout') {
        logger.warn({ graceMs: config.workerGraceMs }, 'active jobs did not finish in time; handing them back to the queue');
        await Promise.all([...workers.values()].map((worker) => worker.close(true)));
      }
      await scheduleQueues.close();
      subscriber.disconnect();
      connection.disconnect();
    },
  };
}

/** Cancels an active job here when the gateway asks for it and this process holds it. */
async function listenForCancellations(config: Config, subscriber: RedisClient, workers: Map<string, Worker>, logger: Logger): Promise<void> {
  const channel = cancelChannel(config);
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    try {
      const request = JSON.parse(message) as CancelRequest;
      if (workers.get(request.queue)?.cancelJob(request.jobId, request.reason)) {
        logger.info({ jobId: `${request.queue}:${request.jobId}`, reason: request.reason }, 'cancelling active job');
      }
    } catch (error) {
      logger.warn({ err: error }, 'malformed cancel request');
    }
  });
  await subscriber.subscribe(channel);
}
