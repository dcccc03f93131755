import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Config } from '../config';
import { tracingOn } from '../tracing/tracing';

/**
 * What every log line gets from the span active where it is written (an operation, an enqueue,
 * a job's attempt): `trace_id` and `span_id`, so a line leads to its trace. Nothing while tracing is off.
 */
function traceFields(): object {
  // A new object each time: pino merges the line's own fields into it.
  if (!tracingOn()) return {};
  const span = trace.getActiveSpan();
  if (!span) return {};
  const spanContext = span.spanContext();
  if (!isSpanContextValid(spanContext)) return {};
  return { trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: `0${spanContext.traceFlags.toString(16)}` };
}

/**
 * pino-pretty writing to stdout on this thread (sync, so a line written just before an exit is
 * not lost), or undefined when it is not installed: it is a dev dependency, absent after
 * `npm ci --omit=dev`, and lines then stay JSON rather than failing the start.
 */
function prettyStream(): DestinationStream | undefined {
  let build: typeof PinoPretty;
  try {
    // Loaded on demand, not imported: an import would fail wherever dev dependencies are missing.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    build = require('pino-pretty') as typeof PinoPretty;
  } catch {
    return undefined;
  }
  return build({ sync: true, translateTime: 'SYS:HH:MM:ss.l', messageFormat: '{component}: {msg}', ignore: 'component,hostname' });
}

/**
 * The process logger: one `component` per process kind, with the active trace's ids. JSON lines,
 * or pino-pretty's when `logFormat` is `pretty` (`npm start` on a terminal sets that for its children).
 */
export function createLogger(config: Pick<Config, 'logLevel'> & Partial<Pick<Config, 'logFormat'>>, component: string): Logger {
  const options = { level: config.logLevel, base: { component, pid: process.pid }, mixin: traceFields };
  const pretty = config.logFormat === 'pretty' ? prettyStream() : undefined;
  return pretty === undefined ? pino(options) : pino(options, pretty);
}
