/**
 * Counts messages a fleet of clients receives in a measured window and times
 * those carrying a `sentAt` (epoch ms, set by the producer) in their payload.
 * The payload is matched with a regular expression instead of parsed, so the
 * clients spend as little CPU as possible on the shared cores.
 */
import { Histogram } from './histogram';
import type { ReceiveReport } from '../load/api';

const SENT_AT = /"sentAt":(\d+(?:\.\d+)?)/;

/** Per-window delivery counters. */
export class ReceiveStats {
  private messages = 0;
  private bytes = 0;
  private errors = 0;
  private completed = 0;
  private closed = 0;
  private firstError: string | undefined;
  private latency = new Histogram();
  private started = performance.now();

  /** One delivered data message (graphql-ws `next`, or any raw message). */
  delivery(text: string): void {
    this.messages += 1;
    this.bytes += text.length;
    if (text.includes('"errors"')) this.error(text.slice(0, 300));
    const match = SENT_AT.exec(text);
    if (match) this.latency.record(performance.timeOrigin + performance.now() - Number(match[1]));
  }

  /** A protocol error, an error payload or a socket failure. */
  error(message: string): void {
    this.errors += 1;
    this.firstError ??= message;
  }

  /** A subscription completed by the server. */
  complete(): void {
    this.completed += 1;
  }

  /** A socket closed. */
  close(): void {
    this.closed += 1;
  }

  /** Starts a new window. */
  reset(): void {
    this.messages = 0;
    this.bytes = 0;
    this.errors = 0;
    this.completed = 0;
    this.closed = 0;
    this.firstError = undefined;
    this.latency = new Histogram();
    this.started = performance.now();
  }

  /** The counts since the last reset. */
  report(): ReceiveReport {
    return {
      count: this.messages,
      bytes: this.bytes,
      errors: this.errors,
      firstError: this.firstError,
      completed: this.completed,
      closed: this.closed,
      elapsedMs: performance.now() - this.started,
      latency: this.latency.toData(),
    };
  }
}
