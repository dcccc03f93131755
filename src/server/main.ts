import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';
import { startTracing } from '../tracing/tracing';
import { onShutdown } from '../cli/shutdown';
import { startGateway } from './gateway';

/** `npm run gateway`: the gateway alone (workers run apart with `npm run worker`). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'gateway');
  // Before anything else: BullMQ and the pipeline read whether tracing is on as they start.
  const tracing = await startTracing(config, 'jobgate-gateway', logger, { asyncContext: false });
  const gateway = await startGateway(config, logger);
  onShutdown(logger, config.shutdownGraceMs, async () => {
    await gateway.close();
    await tracing.shutdown();
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
