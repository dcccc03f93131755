import type { Logger } from 'pino';
import { AsyncQueue } from '../lib/async-queue';
import type { QueueCountsView, QueueMonitor } from './queue-monitor.service';

/** One `queueStats` message: a queue's counts as of `at`. */
export interface QueueStatsView extends QueueCountsView {
  at: Date;
}

/** How often a watched queue is counted, at most. */
export const QUEUE_STATS_INTERVAL_MS = 250;

/** Counts one queue every interval while it has subscribers; pushes only what changed. */
class QueuePoller {
  readonly subscribers = new Set<AsyncQueue<QueueStatsView>>();
  private last: { view: QueueStatsView; key: string } | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;
  private stopped = false;

  constructor(
    private readonly queue: string,
    private readonly monitor: QueueMonitor,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {
    void this.run();
  }

  add(subscriber: AsyncQueue<QueueStatsView>): void {
    this.subscribers.add(subscriber);
    if (this.last) subscriber.push(this.last.view);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.wake?.();
  }

  /** Runs until stopped; one read per tick whatever the number of subscribers, never two at once. */
  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      await this.tick();
      const delay = Math.max(0, this.intervalMs - (Date.now() - started));
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        this.timer = setTimeout(resolve, delay);
      });
    }
  }

  private async tick(): Promise<void> {
    try {
      const [counts] = await this.monitor.counts([this.queue]);
      if (this.failing) this.logger.info({ queue: this.queue }, 'queue stats readable again');
      this.failing = false;
      const key = JSON.stringify([counts.counts, counts.paused]);
      const changed = key !== this.last?.key;
      const view = { ...counts, at: new Date() };
      if (changed) this.last = { view, key };
      for (const subscriber of this.subscribers) if (changed || !subscriber.received) subscriber.push(this.last!.view);
    } catch (error) {
      if (!this.failing) this.logger.warn({ err: error, queue: this.queue }, 'queue stats unreadable; retrying every tick');
      this.failing = true;
    }
  }
}

/**
 * `queueStats` subscriptions of this gateway process: at most one poller per queue, started
 * with its first subscriber and stopped after its last, so N subscribers cost one count per
 * queue per tick. A new subscriber gets the latest counts at once.
 */
export class QueueStatsHub {
  private readonly pollers = new Map<string, QueuePoller>();

  constructor(
    private readonly monitor: QueueMonitor,
    private readonly logger: Logger,
    private readonly intervalMs = QUEUE_STATS_INTERVAL_MS,
  ) {}

  /** Queues being polled now. */
  get pollerCount(): number {
    return this.pollers.size;
  }

  /** The counts of `queue` now, then whenever they change; ends when the caller returns it. */
  watch(queue: string): AsyncIterableIterator<QueueStatsView> {
    let poller = this.pollers.get(queue);
    if (!poller) {
      poller = new QueuePoller(queue, this.monitor, this.intervalMs, this.logger);
      this.pollers.set(queue, poller);
    }
    const owner = poller;
    // One subscriber holds only the newest undelivered counts: a slow client costs one value
    // of memory and sees the latest counts when it catches up.
    const subscriber: AsyncQueue<QueueStatsView> = new AsyncQueue({
      latestOnly: true,
      onReturn: () => {
        owner.subscribers.delete(subscriber);
        if (owner.subscribers.size === 0 && this.pollers.get(queue) === owner) {
          this.pollers.delete(queue);
          owner.stop();
        }
      },
    });
    poller.add(subscriber);
    return subscriber;
  }

  close(): void {
    for (const poller of this.pollers.values()) {
      for (const subscriber of poller.subscribers) void subscriber.return();
      poller.stop();
    }
    this.pollers.clear();
  }
}
