/**
 * The publishing loop shared by the baseline servers of figure 4: publishes
 * events round-robin over the topics as fast as the subscribers' sockets
 * drain, yielding to I/O between small batches and pausing 1 ms whenever a
 * subscriber of the last topic is congested. Stops by itself after `maxMs`.
 */
import type { PublishReport } from '../load/api';

/** What publishing one event did. */
export interface PublishOutcome {
  sends: number;
  congested: boolean;
}

const EVENTS_PER_TURN = 4;

/** A running publishing loop. */
export class PublishLoop {
  private events = 0;
  private sends = 0;
  private running = true;
  private readonly started = performance.now();
  private readonly stopTimer: NodeJS.Timeout;

  constructor(
    private readonly topics: readonly string[],
    maxMs: number,
    private readonly publishOne: (topic: string, seq: number) => PublishOutcome,
  ) {
    if (topics.length === 0) throw new Error('expected at least one topic, got none');
    this.stopTimer = setTimeout(() => (this.running = false), maxMs);
    setImmediate(() => this.turn());
  }

  private turn(): void {
    if (!this.running) return;
    for (let i = 0; i < EVENTS_PER_TURN; i += 1) {
      const seq = this.events++;
      const outcome = this.publishOne(this.topics[seq % this.topics.length] as string, seq);
      this.sends += outcome.sends;
      if (outcome.congested) {
        setTimeout(() => this.turn(), 1);
        return;
      }
    }
    setImmediate(() => this.turn());
  }

  /** Stops publishing and reports. */
  stop(): PublishReport {
    this.running = false;
    clearTimeout(this.stopTimer);
    return { events: this.events, sends: this.sends, elapsedMs: performance.now() - this.started };
  }
}
