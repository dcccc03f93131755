import type { FlowProgressView } from '../jobs/flow-reader';
import { JobState, FINAL_STATES, progressOf, startingProgress, type JobView } from '../jobs/job-view';

/** What happened to a job; SNAPSHOT is the state when a watch starts. */
export enum JobEventType {
  SNAPSHOT = 'SNAPSHOT',
  WAITING = 'WAITING',
  DELAYED = 'DELAYED',
  ACTIVE = 'ACTIVE',
  PROGRESS = 'PROGRESS',
  LOG = 'LOG',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  RETRYING = 'RETRYING',
  STALLED = 'STALLED',
  REMOVED = 'REMOVED',
  CANCELLED = 'CANCELLED',
}

/** Event types after which a job's stream ends. */
export const FINAL_EVENT_TYPES: ReadonlySet<JobEventType> = new Set([
  JobEventType.COMPLETED,
  JobEventType.FAILED,
  JobEventType.CANCELLED,
  JobEventType.REMOVED,
]);

/**
 * One event as delivered to watchers. Built once per stream entry and shared by every
 * watcher of the job and of the queue, so reading the job for it costs one Redis read
 * however many watchers there are.
 */
export class JobEvent {
  private jobPromise?: Promise<JobView>;
  /** The job once `job()` has read it: a watcher that finds it here checks it without waiting a turn. */
  loadedJob: JobView | undefined;

  constructor(
    readonly type: JobEventType,
    readonly cursor: string,
    readonly at: Date,
    readonly queue: string,
    readonly jobId: string,
    /** Reads the job as of this event; called at most once. */
    private readonly readJob: () => Promise<JobView>,
    readonly gap = false,
    /** The log line of a LOG event. */
    readonly log: string | null = null,
    /** Rough size, to tell when a slow socket's backlog is too large. */
    readonly approxBytes = 512,
    /** The aggregate of the flow being watched as of this event (`flowEvents` only). */
    readonly flow: FlowProgressView | null = null,
  ) {}

  /** This event as a `flowEvents` watch delivers it: the watch's own cursor and aggregate, the same shared job read. */
  inFlow(cursor: string, flow: FlowProgressView): JobEvent {
    const event = new JobEvent(
      this.type,
      cursor,
      this.at,
      this.queue,
      this.jobId,
      () => this.job(),
      this.gap,
      this.log,
      this.approxBytes,
      flow,
    );
    return this.loadedJob ? event.withJob(this.loadedJob) : event;
  }

  /** Gives the event its job, known when it is built (a running job's view): it is then never read. */
  withJob(view: JobView): this {
    this.loadedJob = view;
    return this;
  }

  /** The job as of this event, read once and shared. */
  job(): Promise<JobView> {
    this.jobPromise ??= this.loadedJob ? Promise.resolve(this.loadedJob) : this.readJob().then((view) => (this.loadedJob = view));
    return this.jobPromise;
  }

  /** The job itself when it is known, else its read: a render of an event whose job is known needs no turn of the event loop. */
  jobNow(): JobView | Promise<JobView> {
    return this.loadedJob ?? this.job();
  }

  get isFinal(): boolean {
    return FINAL_EVENT_TYPES.has(this.type);
  }

  /** A SNAPSHOT event carrying an already read view. */
  static snapshot(view: JobView, cursor: string, gap = false): JobEvent {
    return new JobEvent(JobEventType.SNAPSHOT, cursor, new Date(), view.queue, view.jobId, async () => view, gap).withJob(view);
  }

  /** Whether a SNAPSHOT of `view` ends the watch. */
  static isFinalView(view: JobView): boolean {
    return FINAL_STATES.has(view.state);
  }
}

/** State a job is in right after an event of `type`; undefined when the event says nothing of it. */
export function stateAfter(type: JobEventType): JobState | undefined {
  switch (type) {
    case JobEventType.WAITING:
    case JobEventType.STALLED:
      return JobState.WAITING;
    case JobEventType.DELAYED:
      return JobState.DELAYED;
    case JobEventType.ACTIVE:
    case JobEventType.PROGRESS:
    case JobEventType.LOG: // a log line is written by the running processor
      return JobState.ACTIVE;
    case JobEventType.COMPLETED:
      return JobState.COMPLETED;
    case JobEventType.FAILED:
      return JobState.FAILED;
    case JobEventType.CANCELLED:
      return JobState.CANCELLED;
    default:
      return undefined;
  }
}

/**
 * The job as of an event: `view` (already in the state the event leaves it in) with the progress
 * the event carries. An ACTIVE event starts a run (the first, or again after a stall, a hand-back
 * or a retry), which has reported no progress yet: it carries the progress every run starts from,
 * not the last run's, so that a progress bar goes back when the new run starts rather than at its
 * first report.
 */
export function viewAsOf(view: JobView, type: JobEventType, progressData: string | undefined): JobView {
  const progress =
    type === JobEventType.PROGRESS && progressData !== undefined
      ? progressOf(safeJson(progressData))
      : type === JobEventType.ACTIVE
        ? startingProgress()
        : view.progress;
  return { ...view, progress };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
