import 'reflect-metadata';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';
import { onShutdown } from '../cli/shutdown';
import { startGateway } from './gateway';

/** `npm run gateway`: the gateway alone (workers run apart with `npm run worker`). */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'gateway');
  const gateway = await startGateway(config, logger);
  onShutdown(logger, config.shutdownGraceMs, () => gateway.close());
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
