import type { FlowTally } from '../jobs/flow-tally';
import type { JobAddress } from '../jobs/job-id';
import { AsyncQueue } from '../lib/async-queue';
import { encodeFlowCursor, type FlowPositions } from './flow-cursor';
import type { JobEvent } from './job-event';
import { compareStreamIds } from './stream-id';
import type { Watcher } from './watcher';

/** One queue's part of a flow watch: a watcher registered for the flow's jobs in that queue. */
export interface FlowPart {
  queue: string;
  watcher: Watcher;
  /** The events up to this stream id are replayed: they leave the aggregate as read at the resume. */
  replayedUntil: string;
  /**
   * The stream's last id once the tree was read: the events up to it may already show in the
   * aggregate, so they only move a job forward (`FlowTally.update`'s `forwardOnly`).
   */
  settledUntil: string;
}

/**
 * How long the root's final event waits for the last events of the other queues. Its children
 * finished before it did, but each queue's stream is read by a reader of its own, so their last
 * events may arrive just after it; the root's final event still comes last, once every job of the
 * tree has finished or this long has passed (a sibling left running under a failed root).
 */
export const FLOW_END_GRACE_MS = 2_000;

/**
 * The delivery side of a `flowEvents` watch. It merges the events of the flow's jobs from the
 * watcher of each queue the tree spans into one stream: in stream order per queue (so per job),
 * each event carrying the watch's cursor (every queue's position) and the flow's aggregate as of
 * it. It ends with the root's final event. The aggregate is updated from each event's job, read
 * once per event for every watcher of it, so a watch reads the tree only when it starts.
 */
export class FlowWatch {
  private readonly out: AsyncQueue<JobEvent>;
  private readonly positions: Map<string, string>;
  /** The root's final event while it waits for the rest of the tree (see FLOW_END_GRACE_MS). */
  private heldEnd: JobEvent | undefined;
  private graceTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly root: JobAddress,
    private readonly parts: readonly FlowPart[],
    private readonly tally: FlowTally,
    positions: FlowPositions,
  ) {
    this.positions = new Map(positions);
    this.out = new AsyncQueue({ onReturn: () => this.close() });
  }

  /** The cursor of the watch now: after the last event delivered of each queue. */
  get cursor(): string {
    return encodeFlowCursor(this.positions);
  }

  /** Delivers `first` (a SNAPSHOT, when the watch starts with one), then the events of every part. */
  start(first?: JobEvent): AsyncIterableIterator<JobEvent> {
    if (first) this.out.push(first);
    for (const part of this.parts) void this.pump(part);
    return this.out;
  }

  /** Delivers only `last` (the SNAPSHOT of a root already finished) and ends. */
  endWith(last: JobEvent): AsyncIterableIterator<JobEvent> {
    this.out.push(last);
    this.finish();
    return this.out;
  }

  private async pump({ queue, watcher, replayedUntil, settledUntil }: FlowPart): Promise<void> {
    try {
      for (;;) {
        const step = await watcher.next();
        if (step.done || this.out.isEnded) return;
        const event = step.value;
        const view = await event.job();
        if (compareStreamIds(event.cursor, replayedUntil) > 0) this.tally.update(view, compareStreamIds(event.cursor, settledUntil) <= 0);
        if (event.isFinal && event.queue === this.root.queue && event.jobId === this.root.jobId) {
          // Nothing more of the root's queue is read: its position stays before the held event.
          this.heldEnd = event;
          this.graceTimer = setTimeout(() => this.end(), FLOW_END_GRACE_MS);
          return this.endIfTreeFinished();
        }
        this.deliver(queue, event);
        this.endIfTreeFinished();
      }
    } catch (error) {
      this.finish(error);
    }
  }

  private deliver(queue: string, event: JobEvent): void {
    this.positions.set(queue, event.cursor);
    this.out.push(event.inFlow(this.cursor, this.tally.view()));
  }

  private endIfTreeFinished(): void {
    if (this.heldEnd && this.tally.finished) this.end();
  }

  /** Delivers the root's held final event, then ends. */
  private end(): void {
    const last = this.heldEnd;
    this.heldEnd = undefined;
    if (!last || this.out.isEnded) return;
    this.deliver(last.queue, last);
    this.finish();
  }

  private finish(error?: unknown): void {
    this.out.end(error);
    this.close();
  }

  private close(): void {
    clearTimeout(this.graceTimer);
    for (const { watcher } of this.parts) watcher.close();
  }
}
