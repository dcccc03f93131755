import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
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

/** The process logger: JSON lines, one `component` per process kind, with the active trace's ids. */
export function createLogger(config: Pick<Config, 'logLevel'>, component: string): Logger {
  return pino({ level: config.logLevel, base: { component, pid: process.pid }, mixin: traceFields });
}
