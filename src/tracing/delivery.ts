import { SpanKind } from '@opentelemetry/api';
import { tracer } from './tracing';

/** Job ids a delivery span names at most. */
const MAX_JOB_IDS = 50;

/** What one read of a queue's event stream handed to watchers, for its span. */
export class ReadTrace {
  private readonly startTime = Date.now();
  /** Events handed to at least one watcher. */
  private events = 0;
  /** Events handed over, counted once per watcher. */
  private deliveries = 0;
  private readonly jobIds = new Set<string>();

  constructor(
    private readonly queue: string,
    private readonly read: number,
  ) {}

  delivered(jobId: string, watchers: number): void {
    this.events += 1;
    this.deliveries += watchers;
    if (this.jobIds.size < MAX_JOB_IDS) this.jobIds.add(`${this.queue}:${jobId}`);
  }

  /**
   * Records the read as a span, `deliver <queue>`, when it handed anything over: one span per
   * read (one read takes up to 1,000 entries), whatever the number of events, watchers and sockets.
   * A trace of its own: stream entries carry no context. Callers check `tracingOn()` first.
   */
  end(firstCursor: string, lastCursor: string): void {
    if (this.events === 0) return;
    const span = tracer().startSpan(`deliver ${this.queue}`, {
      kind: SpanKind.CONSUMER,
      startTime: this.startTime,
      attributes: {
        'messaging.system': 'redis-stream',
        'messaging.operation.type': 'process',
        'messaging.destination.name': this.queue,
        'messaging.batch.message_count': this.read,
        'jobgate.events.first_cursor': firstCursor,
        'jobgate.events.last_cursor': lastCursor,
        'jobgate.events.delivered': this.events,
        'jobgate.deliveries': this.deliveries,
        'jobgate.job.ids': [...this.jobIds],
      },
    });
    span.end();
  }
}
