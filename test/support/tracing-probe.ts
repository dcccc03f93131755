/**
 * Run as a child process by the tracing test: starts tracing as a gateway or worker process does,
 * from this process's environment, and prints which OpenTelemetry modules that loaded
 * (`require.cache`, which CommonJS packages imported dynamically also fill) as one JSON line.
 * The gateway's and the workers' module graphs are loaded too: nothing there may load the SDK.
 */
import 'reflect-metadata';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/observability/logger';
import { startTracing, tracingOn } from '../../src/tracing/tracing';

async function main(): Promise<void> {
  const config = loadConfig();
  await Promise.all([import('../../src/server/gateway.js'), import('../../src/workers/worker-pool.js')]);
  const tracing = await startTracing(config, 'probe', createLogger({ logLevel: 'silent' }, 'probe'), {
    asyncContext: true,
  });
  const packages = new Set(Object.keys(require.cache).flatMap((file) => /node_modules\/(@opentelemetry\/[^/]+)\//.exec(file)?.[1] ?? []));
  const gatewayLoaded = Object.keys(require.cache).some((file) => file.endsWith('/src/server/gateway.ts'));
  process.stdout.write(`${JSON.stringify({ on: tracingOn(), gatewayLoaded, packages: [...packages].sort() })}\n`);
  await tracing.shutdown();
}

void main();
