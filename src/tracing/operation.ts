import type { IncomingHttpHeaders } from 'node:http';
import type { ExecutionArgs } from 'graphql';
import {
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type TextMapGetter,
} from '@opentelemetry/api';
import type { Logger } from 'pino';
import { tracer, tracingOn } from './tracing';

/**
 * The gateway's operation spans. The gateway runs without an async context manager (Node's
 * AsyncLocalStorage tracks every promise, which measured as most of tracing's cost on its
 * promise-heavy request path: docs/tracing.md), so an operation's span travels explicitly, as
 * `trace` on its resolver context, to what it starts (an enqueue) and to its log lines.
 */

/** A request's headers as Node holds them, read by the W3C propagator. */
const HEADERS_GETTER: TextMapGetter<IncomingHttpHeaders> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};

/** Where an operation's span goes for what it starts: its resolver context. */
export interface Traceable {
  trace?: Context;
}

/**
 * Starts the span of an HTTP operation as the child of the request's W3C `traceparent` when it
 * has one, and sets it on `context`; undefined while tracing is off. Named once its operation is
 * known ({@link describeOperation}); the caller ends it.
 */
export function startHttpOperation(headers: IncomingHttpHeaders, method: string, context: Traceable): Span | undefined {
  if (!tracingOn()) return undefined;
  const parent = propagation.extract(ROOT_CONTEXT, headers, HEADERS_GETTER);
  const span = tracer().startSpan(
    'graphql',
    { kind: SpanKind.SERVER, attributes: { 'http.request.method': method, 'url.path': '/graphql' } },
    parent,
  );
  context.trace = trace.setSpan(parent, span);
  return span;
}

/**
 * Runs `execute` (a WebSocket or SSE query or mutation) in a span of its own, which starts a
 * trace: those transports carry no headers per operation. The span is set on the operation's
 * context for what it starts; `failed` tells from the result whether it failed. Off, `execute`
 * runs as it is.
 */
export function traceSocketOperation<T>(
  args: ExecutionArgs,
  execute: () => T | Promise<T>,
  outcome: (span: Span, result: T | undefined) => void,
): T | Promise<T> {
  if (!tracingOn()) return execute();
  const span = tracer().startSpan('graphql', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  if (typeof args.contextValue === 'object' && args.contextValue !== null) {
    (args.contextValue as Traceable).trace = trace.setSpan(ROOT_CONTEXT, span);
  }
  const ended = (result: T | undefined): void => {
    outcome(span, result);
    span.end();
  };
  let result: T | Promise<T>;
  try {
    result = execute();
  } catch (error) {
    ended(undefined);
    throw error;
  }
  if (!(result instanceof Promise)) {
    ended(result);
    return result;
  }
  return result.then(
    (value) => {
      ended(value);
      return value;
    },
    (error: unknown) => {
      ended(undefined);
      throw error;
    },
  );
}

/** Names `span` after its operation (`mutation importParts`) and records its outcome. */
export function describeOperation(span: Span, type: string, name: string | null | undefined, failed: boolean, errorCode?: string): void {
  span.updateName(name ? `${type} ${name}` : type);
  span.setAttributes({
    'graphql.operation.type': type,
    ...(name && { 'graphql.operation.name': name }),
    'jobgate.outcome': failed ? 'error' : 'success',
    ...(errorCode && { 'jobgate.error.code': errorCode }),
  });
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR, ...(errorCode && { message: errorCode }) });
}

/** `logger` with the `trace_id` and `span_id` of the span in `context`, for the operation's log lines. */
export function traceLogger(logger: Logger, context: Context): Logger {
  const spanContext = trace.getSpanContext(context);
  if (!spanContext) return logger;
  return logger.child({
    trace_id: spanContext.traceId,
    span_id: spanContext.spanId,
    trace_flags: `0${spanContext.traceFlags.toString(16)}`,
  });
}
