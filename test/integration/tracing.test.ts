import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk, record, within, wsClient } from '../support/graphql';
import { OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver';
import { Stack } from '../support/stack';
import { ENQUEUE, JOB, JOB_EVENTS, type EnqueuedJob, type JobEventPayload } from './operations';

const ROOT = path.resolve(__dirname, '..', '..');
const IMPORT = `mutation TracedImport($input: ImportPartsInput!) { importParts(input: $input) { id state } }`;

/** A server that answers every order 404: a `syncExternal` job to it fails at once, without retry. */
function notFoundServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(404, { 'content-type': 'application/json' });
    response.end('{}');
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

/** The JSON log lines of a process that mention `message`. */
function logLines(output: string[], message: string): Record<string, unknown>[] {
  return output.flatMap((line) => {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return parsed.msg === message ? [parsed] : [];
    } catch {
      return [];
    }
  });
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

describe('tracing: one OpenTelemetry trace from the mutation to the worker and the watchers', () => {
  let receiver: OtlpReceiver;
  let erp: Awaited<ReturnType<typeof notFoundServer>>;
  let stack: Stack;

  before(async () => {
    [receiver, erp] = await Promise.all([OtlpReceiver.start(), notFoundServer()]);
    stack = await Stack.start({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_TRACES_SAMPLER: 'parentbased_always_on',
        SYNC_BASE_URL: erp.url,
      },
    });
  });

  after(async () => {
    await stack?.close();
    await receiver?.close();
    erp?.server.close();
  });

  it('joins the operation, the enqueue and the worker’s attempt in the caller’s trace, with progress events and log ids', async () => {
    const traceId = hex(16);
    const callerSpanId = hex(8);
    const response = await gql<{ importParts: { id: string } }>(
      stack.url,
      IMPORT,
      { input: { project: 'P', phase: 'A', stage: '01', items: 5, msPerItem: 100 } },
      { traceparent: `00-${traceId}-${callerSpanId}-01` },
    );
    assert.equal(response.errors, undefined, JSON.stringify(response.errors));
    const jobId = response.data!.importParts.id;
    // Watched while it runs: each event read is delivered in a span of its own.
    const client = wsClient(stack.wsUrl);
    const watch = record<JobEventPayload>(client, JOB_EVENTS, { id: jobId });
    await within(watch.done, 20_000, `the watch of ${jobId}`);
    await client.dispose();

    const inTrace = (span: ReceivedSpan): boolean => span.traceId === traceId;
    const [operation] = await receiver.waitFor(
      (span) => inTrace(span) && span.service === 'jobgate-gateway' && span.name === 'mutation TracedImport',
      'the operation span',
    );
    assert.equal(operation.parentSpanId, callerSpanId, 'the operation span is a child of the incoming traceparent');
    assert.equal(operation.kind, 2, 'SERVER');
    assert.equal(operation.attributes['graphql.operation.type'], 'mutation');
    assert.equal(operation.attributes['jobgate.outcome'], 'success');

    const [enqueue] = await receiver.waitFor((span) => inTrace(span) && span.name === 'enqueue imports', 'the enqueue span');
    assert.equal(enqueue.service, 'jobgate-gateway');
    assert.equal(enqueue.parentSpanId, operation.spanId);
    assert.equal(enqueue.attributes['jobgate.job.id'], jobId);
    assert.equal(enqueue.attributes['jobgate.job.type'], 'importParts');
    assert.equal(enqueue.attributes['messaging.destination.name'], 'imports');

    const [attempt] = await receiver.waitFor(
      (span) => inTrace(span) && span.service === 'jobgate-worker' && span.attributes['jobgate.job.id'] === jobId,
      'the worker’s processing span',
    );
    assert.equal(attempt.parentSpanId, enqueue.spanId, 'BullMQ’s process span is a child of the enqueue span, across processes');
    assert.equal(attempt.kind, 5, 'CONSUMER');
    assert.equal(attempt.attributes['jobgate.job.attempt'], 1);
    assert.equal(attempt.attributes['jobgate.job.outcome'], 'completed');
    assert.notEqual(attempt.status, 2);
    const progress = attempt.events.filter((event) => event.name === 'progress');
    assert.equal(progress.length, 5, JSON.stringify(attempt.events));
    assert.deepEqual(
      progress.map((event) => event.attributes['jobgate.progress.current']),
      [1, 2, 3, 4, 5],
    );
    assert.equal(progress.at(-1)!.attributes['jobgate.progress.percent'], 100);

    // Delivery: one span per read of the queue's stream that handed events over, naming their jobs.
    const deliveries = await receiver.waitFor(
      (span) =>
        span.service === 'jobgate-gateway' &&
        span.name === 'deliver imports' &&
        (span.attributes['jobgate.job.ids'] as string[]).includes(jobId),
      'the delivery spans',
    );
    assert.ok(deliveries.every((span) => span.kind === 5 && Number(span.attributes['jobgate.events.delivered']) >= 1));

    // Log correlation: the worker's lines about the job carry its attempt's span.
    const [started] = await eventually(
      () => {
        const lines = logLines(stack.workers[0].output, 'job started').filter((line) => line.jobId === jobId);
        return lines.length > 0 && lines;
      },
      5000,
      'the worker’s log line',
    );
    assert.equal(started.trace_id, traceId);
    assert.equal(started.span_id, attempt.spanId);
  });

  it('starts a trace at a mutation sent over WebSocket, and the job joins it', async () => {
    const client = wsClient(stack.wsUrl);
    const result = await new Promise<{ data?: { importParts: { id: string } } | null }>((resolve, reject) => {
      client.subscribe<{ importParts: { id: string } }>(
        {
          query: 'mutation WsImport($input: ImportPartsInput!) { importParts(input: $input) { id } }',
          variables: { input: { project: 'P', phase: 'A', stage: '02', items: 2, msPerItem: 10 } },
        },
        { next: resolve, error: reject, complete: () => undefined },
      );
    });
    await client.dispose();
    const jobId = result.data!.importParts.id;
    const [operation] = await receiver.waitFor((span) => span.name === 'mutation WsImport', 'the WebSocket operation span');
    assert.equal(operation.parentSpanId, '', 'a WebSocket operation starts a trace');
    const [enqueue] = await receiver.waitFor(
      (span) => span.name === 'enqueue imports' && span.attributes['jobgate.job.id'] === jobId,
      'its enqueue span',
    );
    assert.equal(enqueue.traceId, operation.traceId);
    assert.equal(enqueue.parentSpanId, operation.spanId);
    const [attempt] = await receiver.waitFor(
      (span) => span.service === 'jobgate-worker' && span.attributes['jobgate.job.id'] === jobId,
      'its attempt span',
    );
    assert.equal(attempt.parentSpanId, enqueue.spanId);
  });

  it('marks the span of a failing attempt as an error', async () => {
    const { enqueue: job } = await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
      type: 'syncExternal',
      data: { orderId: 7, url: `${erp.url}/orders/7` },
      options: { attempts: 1 },
    });
    const [attempt] = await receiver.waitFor(
      (span) => span.service === 'jobgate-worker' && span.attributes['jobgate.job.id'] === job.id,
      'the failing attempt’s span',
    );
    assert.equal(attempt.status, 2, 'ERROR');
    assert.equal(attempt.attributes['jobgate.job.outcome'], 'failed');
    assert.match(attempt.statusMessage, /404/);
    const [enqueue] = await receiver.waitFor(
      (span) => span.name.startsWith('enqueue ') && span.attributes['jobgate.job.id'] === job.id,
      'its enqueue span',
    );
    assert.equal(attempt.traceId, enqueue.traceId, 'without a traceparent the trace starts at the operation');
    const { job: read } = await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: job.id });
    assert.equal(read.state, 'FAILED');
  });
});

describe('tracing off', () => {
  it('exports nothing with OTEL_SDK_DISABLED, and says so', async () => {
    const receiver = await OtlpReceiver.start();
    const started = Stack.start({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '50',
        OTEL_SDK_DISABLED: 'true',
        LOG_LEVEL: 'debug',
      },
    });
    const stack = await started.catch(async (error: unknown) => {
      await receiver.close();
      throw error;
    });
    try {
      const { importParts } = await gqlOk<{ importParts: { id: string } }>(stack.url, IMPORT, {
        input: { project: 'P', phase: 'A', stage: '01', items: 2, msPerItem: 10 },
      });
      await eventually(
        async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: importParts.id })).job.state === 'COMPLETED',
        15_000,
        'the job to complete',
      );
      for (const handle of [stack.gateway, stack.workers[0]]) {
        assert.equal(logLines(handle.output, 'tracing off: no OTLP endpoint configured (OTEL_EXPORTER_OTLP_ENDPOINT)').length, 1);
        const logged = logLines(handle.output, 'job started').concat(logLines(handle.output, 'gateway listening'));
        for (const line of logged) assert.equal(line.trace_id, undefined);
      }
      // Any span would have been exported within the 50 ms batch delay; shut down flushes too.
      await Promise.all([stack.signal(stack.gateway, 'SIGTERM'), stack.signal(stack.workers[0], 'SIGTERM')]);
      assert.equal(receiver.requests, 0);
    } finally {
      await stack.close();
      await receiver.close();
    }
  });

  it('loads no SDK or exporter module without an endpoint, and both with one', async () => {
    const probe = async (env: Record<string, string>): Promise<{ on: boolean; gatewayLoaded: boolean; packages: string[] }> => {
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'test/support/tracing-probe.ts'], {
        cwd: ROOT,
        env: { ...withoutOtel(process.env), ...env },
      });
      return JSON.parse(stdout.trim().split('\n').at(-1)!) as { on: boolean; gatewayLoaded: boolean; packages: string[] };
    };
    const [off, on] = await Promise.all([
      probe({}),
      probe({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }),
    ]);
    assert.equal(off.gatewayLoaded, true);
    assert.equal(off.on, false);
    assert.deepEqual(off.packages, ['@opentelemetry/api'], 'only the API: no SDK, no exporter');
    assert.equal(on.on, true);
    assert.ok(on.packages.includes('@opentelemetry/sdk-trace-node'), on.packages.join(','));
    assert.ok(on.packages.includes('@opentelemetry/exporter-trace-otlp-http'), on.packages.join(','));
  });
});

/** The environment without OTEL_* variables a developer may have set. */
function withoutOtel(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => !entry[0].startsWith('OTEL_') && entry[1] !== undefined),
  );
}
