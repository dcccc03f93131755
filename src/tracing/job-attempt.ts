import { trace, type Attributes, type Span } from '@opentelemetry/api';
import { failSpan, tracingOn } from './tracing';

/** How an attempt ended, as the span's `jobgate.job.outcome` says. */
export type AttemptOutcome = 'completed' | 'failed' | 'cancelled' | 'time limit';

/** What a job's attempt records on its span: BullMQ's `process` span, active while the processor runs. */
export interface AttemptTrace {
  /** A progress update, as a span event. */
  progress(update: { percent?: number; current?: number; total?: number; message?: string }): void;
  /** The attempt's end; any outcome but `completed` and `cancelled` marks the span failed. */
  ended(outcome: AttemptOutcome, error?: unknown): void;
}

const NOT_TRACED: AttemptTrace = { progress: () => undefined, ended: () => undefined };

class SpanAttemptTrace implements AttemptTrace {
  constructor(private readonly span: Span) {}

  progress(update: { percent?: number; current?: number; total?: number; message?: string }): void {
    const attributes: Attributes = {};
    if (update.percent !== undefined) attributes['jobgate.progress.percent'] = update.percent;
    if (update.current !== undefined) attributes['jobgate.progress.current'] = update.current;
    if (update.total !== undefined) attributes['jobgate.progress.total'] = update.total;
    if (update.message !== undefined) attributes['jobgate.progress.message'] = update.message;
    this.span.addEvent('progress', attributes);
  }

  ended(outcome: AttemptOutcome, error?: unknown): void {
    this.span.setAttribute('jobgate.job.outcome', outcome);
    if (outcome === 'completed') return;
    if (outcome === 'cancelled')
      this.span.addEvent('cancelled', { 'jobgate.reason': error instanceof Error ? error.message : String(error) });
    else failSpan(this.span, error);
  }
}

/**
 * The trace of the attempt running in this context: BullMQ's `process` span, given the job's
 * global id, type, attempt number and request id. A no-op while tracing is off (one boolean).
 */
export function traceAttempt(job: { id: string; type: string; attempt: number; requestId?: string }): AttemptTrace {
  if (!tracingOn()) return NOT_TRACED;
  const span = trace.getActiveSpan();
  if (!span) return NOT_TRACED;
  span.setAttributes({
    'jobgate.job.id': job.id,
    'jobgate.job.type': job.type,
    'jobgate.job.attempt': job.attempt,
    ...(job.requestId !== undefined && { 'jobgate.request_id': job.requestId }),
  });
  return new SpanAttemptTrace(span);
}
