import type { Logger } from 'pino';

/**
 * Runs `close` once on SIGTERM or SIGINT, then exits. If closing takes longer than
 * `graceMs` (plus a margin), exits anyway: a stuck close must not keep a process alive.
 */
export function onShutdown(logger: Logger, graceMs: number, close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, graceMs + 5000).unref();
    close()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
