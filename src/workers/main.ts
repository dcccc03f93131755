import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { onShutdown } from '../cli/shutdown';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';
import { startTracing } from '../tracing/tracing';
import { enabledJobDefinitions, JobRegistry } from '../jobs/registry';
import { startWorkerPool } from './worker-pool';

/**
 * `npm run worker [-- --queues imports,reports --concurrency 20]`: runs the processors of
 * every registered queue, or of the named ones. Flags override WORKER_QUEUES and
 * WORKER_CONCURRENCY.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { queues: { type: 'string' }, concurrency: { type: 'string' } } });
  const config = loadConfig({
    ...(values.queues !== undefined && { WORKER_QUEUES: values.queues }),
    ...(values.concurrency !== undefined && { WORKER_CONCURRENCY: values.concurrency }),
  });
  const logger = createLogger(config, 'worker');
  // Before the pool: its workers take BullMQ's telemetry option when tracing is on.
  const tracing = await startTracing(config, 'jobgate-worker', logger, { asyncContext: true });
  const pool = await startWorkerPool(config, new JobRegistry(enabledJobDefinitions(config)), logger);
  onShutdown(logger, config.workerGraceMs, async () => {
    await pool.close();
    await tracing.shutdown();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
