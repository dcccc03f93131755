import pino, { type Logger } from 'pino';
import type { Config } from '../config';

/** The process logger: JSON lines, one `component` per process kind. */
export function createLogger(config: Pick<Config, 'logLevel'>, component: string): Logger {
  return pino({ level: config.logLevel, base: { component, pid: process.pid } });
}
