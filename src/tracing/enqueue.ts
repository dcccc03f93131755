import { ROOT_CONTEXT, SpanKind, trace, type Attributes, type Context } from '@opentelemetry/api';
import { propagationMetadata } from './bullmq-telemetry';
import { failSpan, tracer, tracingOn } from './tracing';

/** What a traced add gives BullMQ: the job option that carries the enqueue's context to the worker (`tm`). */
export interface JobTelemetry {
  telemetry: { metadata: string };
}

/**
 * Runs `add` in an `enqueue <queue>` span (kind PRODUCER, a child of `parent`, the operation's
 * span) and hands it the job option that carries that span's context into the job, so the
 * worker's `process` span is its child. `describe` names what was added (job ids) once it is.
 * Off, `add` runs as it is, with no option.
 */
export function tracedEnqueue<T>(
  queue: string,
  parent: Context | undefined,
  attributes: Attributes,
  add: (telemetry: JobTelemetry | undefined) => Promise<T>,
  describe: (added: T) => Attributes,
): Promise<T> {
  // Off, `add`'s own promise is handed back: an async wrapper would add a promise and a turn to every enqueue.
  return tracingOn() ? addInSpan(queue, parent, attributes, add, describe) : add(undefined);
}

async function addInSpan<T>(
  queue: string,
  parent: Context | undefined,
  attributes: Attributes,
  add: (telemetry: JobTelemetry) => Promise<T>,
  describe: (added: T) => Attributes,
): Promise<T> {
  const span = tracer().startSpan(
    `enqueue ${queue}`,
    {
      kind: SpanKind.PRODUCER,
      attributes: { 'messaging.system': 'bullmq', 'messaging.operation.type': 'send', 'messaging.destination.name': queue, ...attributes },
    },
    parent ?? ROOT_CONTEXT,
  );
  try {
    const added = await add({ telemetry: { metadata: propagationMetadata(trace.setSpan(parent ?? ROOT_CONTEXT, span)) } });
    span.setAttributes(describe(added));
    return added;
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}
