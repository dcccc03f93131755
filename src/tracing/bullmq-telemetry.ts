import { context, propagation, ROOT_CONTEXT, SpanStatusCode, trace, type Context, type Span as OtelSpan } from '@opentelemetry/api';
import type { AttributeValue, Attributes, ContextManager, Exception, Span, SpanOptions, Telemetry, Time, Tracer } from 'bullmq';

/**
 * BullMQ's telemetry interface on the OpenTelemetry API, as `bullmq-otel` does it, plus two things
 * it lacks: `root()`, so that BullMQ's background loops (the stalled-jobs checker) start a trace
 * per run instead of growing the trace of whatever started them; and a recorded exception marks
 * its span failed. The context travels in a job's `tm` field as the W3C headers, JSON-encoded.
 */
class OtelContextManager implements ContextManager<Context> {
  with<A extends (...args: never[]) => unknown>(ctx: Context, fn: A): ReturnType<A> {
    return context.with(ctx, fn as () => ReturnType<A>);
  }

  active(): Context {
    return context.active();
  }

  root(): Context {
    return ROOT_CONTEXT;
  }

  getMetadata(ctx: Context): string {
    return propagationMetadata(ctx);
  }

  fromMetadata(active: Context, metadata: string): Context {
    try {
      return propagation.extract(active, JSON.parse(metadata) as Record<string, string>);
    } catch {
      return active;
    }
  }
}

class OtelSpanAdapter implements Span<Context> {
  constructor(private readonly span: OtelSpan) {}

  setSpanOnContext(ctx: Context): Context {
    return trace.setSpan(ctx, this.span);
  }

  setAttribute(key: string, value: AttributeValue): void {
    this.span.setAttribute(key, value);
  }

  setAttributes(attributes: Attributes): void {
    this.span.setAttributes(attributes);
  }

  addEvent(name: string, attributes?: Attributes): void {
    this.span.addEvent(name, attributes);
  }

  recordException(exception: Exception, time?: Time): void {
    this.span.recordException(exception, time);
    const message = typeof exception === 'string' ? exception : exception.message;
    this.span.setStatus({ code: SpanStatusCode.ERROR, ...(message !== undefined && { message }) });
  }

  end(): void {
    this.span.end();
  }
}

class OtelTracerAdapter implements Tracer<Context> {
  private readonly tracer = trace.getTracer('bullmq');

  startSpan(name: string, options?: SpanOptions, ctx?: Context): Span<Context> {
    return new OtelSpanAdapter(this.tracer.startSpan(name, options, ctx));
  }
}

/** The `telemetry` option of BullMQ's workers (and queues) when tracing is on. */
export function bullmqTelemetry(): Telemetry<Context> {
  return { tracer: new OtelTracerAdapter(), contextManager: new OtelContextManager() };
}

/** `ctx` as BullMQ's job `telemetry.metadata` (the job's `tm` field): its W3C headers, JSON-encoded. */
export function propagationMetadata(ctx: Context): string {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return JSON.stringify(carrier);
}
