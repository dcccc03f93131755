import { hostname } from 'node:os';
import { MetricsTime, WaitingError, Worker, type Job, type Processor } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { cancelChannel, createRedis, queuePrefix, type RedisClient } from '../redis/connections';
import { CancelledJobs } from '../services/cancelled-jobs';
import type { CancelRequest } from '../services/job-control.service';
import { CANCELLED_REASON_PREFIX } from '../jobs/job-view';
import { QueueSet } from '../services/queue-set';
import { toGlobalId } from '../jobs/job-id';
import { lastScheduledJobKey, upsertDeclaredSchedules } from '../services/schedules';
import { JobLogWriter } from './job-log';
import { applyQueueLimits } from './queue-limits';
import { JobExpiry } from './job-expiry';
import { OwnerActiveLimit } from './owner-limit';
import { createProcessor } from './processor';
import { createBackoffStrategy } from './backoff';
import { refusingExpired } from './expired-jobs';
import { Heartbeat, WorkerActivity } from './heartbeat';
import { bullmqTelemetry } from '../tracing/bullmq-telemetry';
import { tracingOn } from '../tracing/tracing';
import type { JobRegistry } from '../jobs/registry';

/**
 * How long a worker waits after a Redis connection error (fetching a job, or recording its end)
 * before it tries again. BullMQ's default, 15 s, left jobs idle that long after Redis came back.
 */
const RETRY_AFTER_CONNECTION_ERROR_MS = 1000;

/** The reason a job's signal is aborted with when its worker's grace is over: hand it back, not cancel it. */
const HANDED_BACK = 'worker shutting down: job handed back to its queue';

/**
 * The name this process's workers give BullMQ: `<host>:<pid>`. BullMQ writes it into each job a
 * worker takes (`processedBy`, shown as `Job.worker`, as Flower shows a task's worker) and into its
 * Redis client name (the `workers` query).
 */
export const workerName = (): string => `${hostname()}:${process.pid}`;

/** The BullMQ workers of one worker process, one per queue it serves. */
export interface WorkerPool {
  queues: string[];
  close(): Promise<void>;
}

/**
 * Starts a worker per queue (all registered queues, the extra queues job types may be routed to
 * included, or `config.workerQueues`), listens for cancellation requests, and upserts the
 * declared schedules. A queue's worker runs every type whose jobs may be in it (`registry.inQueue`).
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
  const expiry = new JobExpiry(config, connection, scheduleQueues, queues, logger);
  const cancelled = new CancelledJobs(config, connection, scheduleQueues);
  const telemetry = tracingOn() ? bullmqTelemetry() : undefined;
  const backoffStrategy = createBackoffStrategy(registry, config, logs, logger);
  const activity = new WorkerActivity();
  for (const queue of queues) {
    const onScheduledJob = async (job: Job): Promise<void> => {
      await connection.hset(lastScheduledJobKey(config, queue), job.repeatJobKey ?? '', toGlobalId({ queue, jobId: job.id ?? '' }));
    };
    // OWNER_ACTIVE_LIMIT: a job whose owner is at the cap goes back to the queue before it starts.
    const owners = new OwnerActiveLimit(config, connection, queue, registry, logger);
    // An expired job fails before anything else looks at it, the owner cap included.
    const processor = refusingExpired(owners.wrap(createProcessor(queue, registry, logs, config, logger, onScheduledJob)), queue, logger);
    const worker = new Worker(queue, handingBack(activity.tracking(processor, queue), queue, logger), {
      connection,
      prefix: queuePrefix(config, queue),
      concurrency: config.workerConcurrency,
      name: workerName(),
      lockDuration: config.workerLockDurationMs,
      stalledInterval: config.workerStalledIntervalMs,
      maxStalledCount: config.workerMaxStalledCount,
      runRetryDelay: RETRY_AFTER_CONNECTION_ERROR_MS,
      // Delays between attempts: the type's countdown per kind of error, else the job's backoff, capped and jittered.
      settings: { backoffStrategy },
      // Per-minute completed/failed counts for the `queues` query (BullMQ records none without it).
      metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
      // Tracing: BullMQ's `process` span per attempt, a child of the enqueue span the job carries (`tm`).
      ...(telemetry && { telemetry }),
    });
    worker.on('error', (error) => logger.warn({ err: error, queue }, 'worker error'));
    owners.watch(worker);
    activity.count(worker);
    worker.on('completed', (job) => {
      expiry
        .completed(job)
        .catch((error: unknown) =>
          logger.warn({ err: error, jobId: job.id, queue }, 'expiry of a completed job not recorded; the queue retention removes it'),
        );
    });
    // BullMQ has just failed (and counted as failed) a job cancelled while it ran: count it as cancelled instead.
    worker.on('failed', (job) => {
      if (job?.id === undefined || !job.finishedOn || !job.failedReason?.startsWith(CANCELLED_REASON_PREFIX)) return;
      cancelled
        .recordFailed(queue, job.id, job.finishedOn)
        .catch((error: unknown) =>
          logger.warn({ err: error, jobId: `${queue}:${job.id}` }, 'cancellation not recorded: the job counts as failed'),
        );
    });
    workers.set(queue, worker);
  }

  await listenForCancellations(config, subscriber, workers, logger);
  const heartbeat = new Heartbeat(
    config,
    connection,
    { id: workerName(), queues, concurrency: config.workerConcurrency },
    activity,
    logger,
  );
  await heartbeat.start();
  await upsertDeclaredSchedules(config, registry, scheduleQueues, logger).catch((error: unknown) =>
    logger.warn({ err: error }, 'schedules not upserted'),
  );
  logger.info({ queues, concurrency: config.workerConcurrency }, 'workers started');

  return {
    queues,
    async close() {
      const grace = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), config.workerGraceMs).unref());
      const closed = Promise.all([...workers.values()].map((worker) => worker.close()));
      if ((await Promise.race([closed, grace])) === 'timeout') {
        logger.warn({ graceMs: config.workerGraceMs }, 'active jobs did not finish in time; handing them back to the queue');
        // Not `close(true)`: a second `close` only returns the first one's promise, and a forced close
        // drops the jobs' locks without moving them, which leaves them to stall detection (a stall
        // each, and a wait of up to WORKER_LOCK_DURATION_MS + 2 × WORKER_STALLED_INTERVAL_MS). Each
        // processor stops at its signal and `handingBack` moves its job back to waiting; one that
        // ignores the signal is cut short by `onShutdown`, and stall detection returns its job.
        for (const worker of workers.values()) worker.cancelAllJobs(HANDED_BACK);
        await closed;
      }
      // After the workers: until they are closed, the process still runs jobs and shows ONLINE.
      await heartbeat.stop();
      await expiry.close();
      await scheduleQueues.close();
      subscriber.disconnect();
      connection.disconnect();
    },
  };
}

/**
 * `processor`, plus the hand-back on shutdown: a job whose signal was aborted with HANDED_BACK
 * goes from active back to the head of waiting under its lock token (BullMQ `Job.moveToWait`:
 * neither an attempt nor a stall is counted), and BullMQ is told so with a `WaitingError`, which it
 * neither retries nor fails. Whatever the processor threw then (a cancellation) is not the job's end.
 */
function handingBack(processor: Processor, queue: string, logger: Logger): Processor {
  return async (job: Job, token: string | undefined, signal: AbortSignal | undefined) => {
    try {
      return await processor(job, token, signal);
    } catch (error) {
      if (signal?.reason !== HANDED_BACK) throw error;
      const jobId = `${queue}:${job.id}`;
      try {
        if (token === undefined) throw new Error('no lock token');
        await job.moveToWait(token);
        logger.info({ jobId }, 'job handed back to its queue');
      } catch (moveError) {
        // Its lock lost, or Redis away: the job stays active, and stall detection returns it.
        logger.warn({ err: moveError, jobId }, 'job not handed back; stall detection will return it');
      }
      throw new WaitingError();
    }
  };
}

/** Cancels an active job here when the gateway asks for it and this process holds it. */
async function listenForCancellations(
  config: Config,
  subscriber: RedisClient,
  workers: Map<string, Worker>,
  logger: Logger,
): Promise<void> {
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
