import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { Logger } from 'pino';
import type { Config } from '../config';
import { CANCELLED_REASON_PREFIX, type JobgateMeta } from '../services/job-view';
import type { JobContext, ProgressUpdate } from './job-definition';
import type { JobLogWriter } from './job-log';
import type { JobRegistry } from './registry';

/** Percent from current/total when the processor gave only those. */
function withPercent(update: ProgressUpdate): ProgressUpdate {
  if (update.percent !== undefined || !update.current || !update.total) return update;
  return { ...update, percent: Math.round((update.current / update.total) * 10000) / 100 };
}

/**
 * The BullMQ processor of one queue: dispatches by job name to the registered type, gives it
 * a context (progress, logs that reach watchers, the cancellation signal, a logger bound to
 * the request id), and turns a cancellation into a failure that is not retried.
 */
export function createProcessor(
  queue: string,
  registry: JobRegistry,
  logs: JobLogWriter,
  config: Config,
  logger: Logger,
  /** Called when a job produced by a schedule starts. */
  onScheduledJob: (job: Job) => Promise<void>,
): Processor {
  return async (job: Job, _token?: string, signal?: AbortSignal) => {
    const definition = registry.get(job.name);
    if (!definition || definition.queue !== queue) throw new UnrecoverableError(`No processor for job type "${job.name}" on queue "${queue}"`);
    const meta = (job.opts as { jobgate?: JobgateMeta }).jobgate;
    const jobLogger = logger.child({ jobId: `${queue}:${job.id}`, type: job.name, requestId: meta?.requestId, attempt: job.attemptsMade + 1 });
    const abort = signal ?? new AbortController().signal;
    const context: JobContext = {
      job,
      signal: abort,
      logger: jobLogger,
      config,
      progress: (update) => job.updateProgress(withPercent(update) as object),
      log: (line) => logs.append(job, line),
    };
    jobLogger.info('job started');
    if (job.repeatJobKey) await onScheduledJob(job);
    try {
      const result = await definition.process(job.data as object, context);
      jobLogger.info('job completed');
      return result;
    } catch (error) {
      if (abort.aborted) {
        const reason = typeof abort.reason === 'string' ? abort.reason : 'cancelled';
        jobLogger.info({ reason }, 'job cancelled');
        throw new UnrecoverableError(`${CANCELLED_REASON_PREFIX}${reason}`);
      }
      jobLogger.warn({ err: error }, 'job attempt failed');
      throw error;
    }
  };
}
