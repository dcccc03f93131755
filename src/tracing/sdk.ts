import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace-node';
import type { TracingConfig } from '../config';

/**
 * The OpenTelemetry SDK of a process that traces, imported only then (see ./tracing.ts: imported only when tracing is on). It
 * registers a tracer provider, the AsyncLocalStorage context manager when asked, and the W3C
 * trace-context and baggage propagators with the API, batching spans to an OTLP/HTTP exporter. The SDK and the
 * exporter read their own standard variables: endpoint, headers, timeout, compression
 * (`OTEL_EXPORTER_OTLP_*`), sampler (`OTEL_TRACES_SAMPLER[_ARG]`), batching (`OTEL_BSP_*`),
 * limits, resource attributes.
 */
export async function startSdk(config: TracingConfig, serviceName: string, asyncContext: boolean): Promise<{ shutdown(): Promise<void> }> {
  const provider = new NodeTracerProvider({
    // The default name, then what OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES say (they win).
    resource: resourceFromAttributes({ 'service.name': serviceName, 'process.pid': process.pid }).merge(
      detectResources({ detectors: [envDetector] }),
    ),
    spanProcessors: [new BatchSpanProcessor(await exporterFor(config))],
  });
  // `null`: no context manager (the API's no-op one); else the AsyncLocalStorage one (see ./tracing.ts).
  provider.register({ contextManager: asyncContext ? undefined : null });
  return provider;
}

async function exporterFor(config: TracingConfig): Promise<SpanExporter> {
  if (config.protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return new OTLPTraceExporter();
  }
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
  return new OTLPTraceExporter();
}
