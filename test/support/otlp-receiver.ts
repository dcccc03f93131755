import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An OTLP attribute value, as OTLP/JSON encodes it. */
interface AnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}

interface KeyValue {
  key: string;
  value: AnyValue;
}

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  attributes?: KeyValue[];
  events?: { name: string; attributes?: KeyValue[] }[];
  status?: { code?: number; message?: string };
}

interface ExportRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[] }[];
}

/** One span as received, its attributes flattened. */
export interface ReceivedSpan {
  service: string;
  scope: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  events: { name: string; attributes: Record<string, unknown> }[];
  /** 0 unset, 1 ok, 2 error. */
  status: number;
  statusMessage: string;
}

function valueOf(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

const flatten = (attributes: KeyValue[] = []): Record<string, unknown> =>
  Object.fromEntries(attributes.map(({ key, value }) => [key, valueOf(value)]));

/**
 * A stand-in OpenTelemetry collector: accepts OTLP/HTTP JSON exports (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`)
 * at `/v1/traces` and keeps every span; counts requests of any other kind too.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  requests = 0;
  bytes = 0;
  /** `http://127.0.0.1:<port>`: what OTEL_EXPORTER_OTLP_ENDPOINT is set to. */
  url = '';
  private constructor(
    private readonly server: Server,
    private readonly keep: boolean,
  ) {}

  /** `keep: false` only counts requests and bytes (a bench's receiver should cost little). */
  static async start({ keep = true }: { keep?: boolean } = {}): Promise<OtlpReceiver> {
    const receiver = new OtlpReceiver(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          receiver.received(request.url ?? '', request.headers['content-type'] ?? '', Buffer.concat(chunks));
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end('{}');
        });
      }),
      keep,
    );
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}`;
    return receiver;
  }

  /** Spans matching `test`, once at least `count` arrived, or fails after `timeoutMs`. */
  async waitFor(test: (span: ReceivedSpan) => boolean, what: string, count = 1, timeoutMs = 20_000): Promise<ReceivedSpan[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.spans.filter(test);
      if (found.length >= count) return found;
      if (Date.now() > deadline) {
        const names = [...new Set(this.spans.map((span) => `${span.service}/${span.name}`))].join(', ');
        throw new Error(`timed out waiting for ${what}; received: ${names || 'nothing'}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private received(url: string, type: string, body: Buffer): void {
    this.requests += 1;
    this.bytes += body.length;
    if (!this.keep || !url.startsWith('/v1/traces') || !type.includes('json')) return;
    const request = JSON.parse(body.toString()) as ExportRequest;
    for (const { resource, scopeSpans = [] } of request.resourceSpans ?? []) {
      const service = String(flatten(resource?.attributes)['service.name'] ?? '');
      for (const { scope, spans = [] } of scopeSpans) {
        for (const span of spans) {
          this.spans.push({
            service,
            scope: scope?.name ?? '',
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            kind: span.kind ?? 0,
            attributes: flatten(span.attributes),
            events: (span.events ?? []).map((event) => ({ name: event.name, attributes: flatten(event.attributes) })),
            status: span.status?.code ?? 0,
            statusMessage: span.status?.message ?? '',
          });
        }
      }
    }
  }
}
