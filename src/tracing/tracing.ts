import { SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Config } from '../config';

/**
 * OpenTelemetry tracing, on when an OTLP endpoint is configured (`config.tracing`, from the
 * standard `OTEL_*` variables: docs/tracing.md). Off, nothing of the SDK or an exporter is
 * loaded: this module only holds the `@opentelemetry/api` facade, whose tracer is a no-op, and
 * every traced path asks {@link tracingOn} (one boolean) before doing anything else.
 */

let on = false;
/** The API's no-op tracer until tracing starts, then the SDK's: looked up once, not per span. */
let jobgateTracer: Tracer = trace.getTracer('jobgate');

/** Whether this process exports traces; hot paths check it before anything else. */
export function tracingOn(): boolean {
  return on;
}

/** Jobgate's own tracer (the no-op API tracer while tracing is off). */
export function tracer(): Tracer {
  return jobgateTracer;
}

/** Flushes and stops tracing; a no-op when tracing is off. */
export interface Tracing {
  shutdown(): Promise<void>;
}

const OFF: Tracing = { shutdown: async () => undefined };

/**
 * Starts tracing for this process when `config.tracing` says so: loads the SDK and the OTLP/HTTP
 * exporter (dynamic imports) and registers them with the API. `serviceName` is the default
 * `service.name`; `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` win, read by the SDK.
 *
 * `asyncContext`: register the AsyncLocalStorage context manager, so that the active span follows
 * every `await` (what BullMQ's worker spans and log lines inside a job rely on). Node then tracks
 * every promise of the process, which measured as most of tracing's cost on the gateway's
 * request path: the gateway goes without, and passes an operation's span explicitly.
 */
export async function startTracing(
  config: Pick<Config, 'tracing'>,
  serviceName: string,
  logger: Logger,
  { asyncContext }: { asyncContext: boolean },
): Promise<Tracing> {
  if (!config.tracing) {
    logger.debug('tracing off: no OTLP endpoint configured (OTEL_EXPORTER_OTLP_ENDPOINT)');
    return OFF;
  }
  const { startSdk } = await import('./sdk.js');
  const sdk = await startSdk(config.tracing, serviceName, asyncContext);
  jobgateTracer = trace.getTracer('jobgate');
  on = true;
  logger.info({ protocol: config.tracing.protocol }, 'tracing on: exporting spans over OTLP/HTTP');
  return {
    async shutdown() {
      on = false;
      await sdk.shutdown().catch((error: unknown) => logger.warn({ err: error }, 'spans not flushed at shutdown'));
    },
  };
}

/** Records `error` on `span` and marks it failed. */
export function failSpan(span: Span, error: unknown, message?: string): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: message ?? (error instanceof Error ? error.message : String(error)) });
}
