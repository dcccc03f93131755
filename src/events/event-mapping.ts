import type { Job } from 'bullmq';
import { isConnectionError } from '../redis/connections';
import { toGlobalId } from '../jobs/job-id';
import type { JobReader } from '../jobs/job-reader';
import { CANCELLED_REASON_PREFIX, JobState, viewOf, type JobView } from '../jobs/job-view';
import { JobEvent, JobEventType, stateAfter, viewAsOf } from './job-event';
import type { StreamEntry } from './stream-entry';
import { streamIdTime } from './stream-id';

/** Told when a pending event is built (or could not be). */
export interface BuildListener {
  eventBuilt(): void;
}

/**
 * An entry's event, built once for all its watchers. Most events are built at once (their job
 * is read later, if at all); an event whose type depends on the stored job (a retry looks like
 * a delay, a wait or a failure) or on a tombstone is built when that read answers, and the
 * watchers waiting for it are told then, by one callback for the entry rather than a promise
 * per watcher.
 */
export class PendingEvent {
  /** The event, once built. */
  value: JobEvent | undefined;
  /** Whether building it failed (Redis away for longer than the read waits). */
  failed = false;
  private readonly building: Promise<JobEvent> | undefined;
  private listeners: BuildListener[] | undefined;

  constructor(
    readonly cursor: string,
    readonly jobId: string,
    /** Known at once: PROGRESS events may be coalesced for slow clients. */
    readonly isProgress: boolean,
    readonly approxBytes: number,
    event: JobEvent | Promise<JobEvent>,
  ) {
    if (event instanceof JobEvent) {
      this.value = event;
      return;
    }
    this.building = event;
    event.then(
      (built) => {
        this.value = built;
        this.tell();
      },
      () => {
        this.failed = true;
        this.tell();
      },
    );
  }

  /** Whether the event is built or failed: nothing more to wait for. */
  get settled(): boolean {
    return this.value !== undefined || this.failed;
  }

  /** The event, when built. */
  get event(): Promise<JobEvent> {
    return this.building ?? Promise.resolve(this.value as JobEvent);
  }

  /** Tells `listener` once when the event is built or failed; only while it is not settled. */
  whenBuilt(listener: BuildListener): void {
    (this.listeners ??= []).push(listener);
  }

  private tell(): void {
    const listeners = this.listeners;
    this.listeners = undefined;
    for (const listener of listeners ?? []) listener.eventBuilt();
  }
}

/**
 * Whether a `waiting` entry that left `active` is a retry rather than a stall's or a shutdown's
 * hand-back: BullMQ's immediate retry (no backoff) writes the same entry. A retry counted the
 * attempt (`attemptsMade`) and leaves no started attempt unfinished, unless the job has started
 * again since (one more in `attemptsStarted`); a hand-back leaves the attempt it interrupted
 * uncounted. A job handed back on a later attempt, and read before it starts again, counts as a
 * retry: the entry does not say which it was, and the job's fields then look alike.
 */
function isRetry(job: Job | undefined): boolean {
  return job !== undefined && !job.finishedOn && job.attemptsMade > 0 && job.attemptsStarted <= job.attemptsMade + 1;
}

/** The type of the event of `entry` (a `removed` one depends on its tombstone: `toPendingEvent`); `job` is the stored job when `needsJob`. */
function typeOf(entry: Exclude<StreamEntry, { kind: 'removed' }>, job: Job | undefined): JobEventType {
  switch (entry.kind) {
    case 'waiting':
      if (entry.prev === 'failed' || (entry.prev === 'active' && isRetry(job))) return JobEventType.RETRYING;
      return JobEventType.WAITING;
    case 'waiting-children':
      return JobEventType.WAITING;
    case 'active':
      return JobEventType.ACTIVE;
    case 'progress':
      return JobEventType.PROGRESS;
    case 'completed':
      return JobEventType.COMPLETED;
    case 'stalled':
      return JobEventType.STALLED;
    case 'log':
      return JobEventType.LOG;
    case 'delayed':
      return job && job.attemptsMade > 0 ? JobEventType.RETRYING : JobEventType.DELAYED;
    case 'failed':
      if (job?.failedReason?.startsWith(CANCELLED_REASON_PREFIX)) return JobEventType.CANCELLED;
      return job && !job.finishedOn ? JobEventType.RETRYING : JobEventType.FAILED;
  }
}

/** The views `goneView` made: a job absent from Redis when its event was built. */
const goneViews = new WeakSet<JobView>();

/** Whether `view` stands for a job that was absent from Redis when its event was built. */
export const isGoneView = (view: JobView): boolean => goneViews.has(view);

/** What is left to show of a job removed from Redis: its address only. */
function goneView(queue: string, jobId: string, at: Date): JobView {
  const view: JobView = {
    id: toGlobalId({ queue, jobId }),
    queue,
    jobId,
    type: '',
    state: JobState.UNKNOWN,
    data: {},
    progress: null,
    result: null,
    failedReason: null,
    attemptsMade: 0,
    attempt: 0,
    maxAttempts: 0,
    createdAt: at,
    startedAt: null,
    finishedAt: at,
    owner: undefined,
    requestId: undefined,
  };
  goneViews.add(view);
  return view;
}

/** How long the job read of an event waits for Redis to answer again before it fails. */
const JOB_READ_PATIENCE_MS = 30_000;
const JOB_READ_RETRY_MS = 200;

/**
 * Runs `read`, and again while Redis is unreachable, for at most JOB_READ_PATIENCE_MS. An
 * entry read from the stream just before Redis went away (or just after it came back, before
 * the fail-fast API connection did) is then delivered late rather than as an UNAVAILABLE
 * error: an error in its place would lose the event for good, its cursor never reaching the
 * client.
 */
export async function patiently<T>(read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + JOB_READ_PATIENCE_MS;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (!isConnectionError(error) || Date.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, JOB_READ_RETRY_MS));
    }
  }
}

/** Whether the event of `entry` depends on the stored job (a retry looks like a delay, a wait or a failure). */
function needsJob(entry: StreamEntry): boolean {
  return entry.kind === 'delayed' || entry.kind === 'failed' || (entry.kind === 'waiting' && entry.prev === 'active');
}

/**
 * The job as of its last ACTIVE or PROGRESS event, per watched job. Between ACTIVE and the
 * next state change a job's stored fields do not change but for its progress, which the
 * PROGRESS event itself carries: so the job is read once when it starts (or when a watch
 * joins it running), and its PROGRESS and LOG events are built from that read. An entry is
 * the view itself once read, so that the events after it are built with their job at once;
 * while the read is on its way, a promise chained in stream order at dispatch. Any other
 * event of the job drops its entry; a COMPLETED one is built from it first (`completedRun`).
 */
export type RunningJobViews = Map<string, JobView | Promise<JobView>>;

/**
 * The job as its COMPLETED entry leaves it, built from the view of the run it ends, when that
 * view is at hand: the run's job, finished, with the entry's return value. So the final event of
 * a watched run needs no read to be checked and rendered, and its watchers (and their
 * subscriptions' ends) are served in the turn its entry is read rather than after a read of the
 * job: when hundreds of jobs end at once, thousands of watches end in that burst. The one field
 * the run's view cannot tell is the worker's finish time, which the next step of a chain may
 * start at to the millisecond (BullMQ stamps both in one script): the `finishedAt` field reads it
 * (`storedFinishedAt`, with `read`, the event's own job read), so only a selection that asks for
 * it waits; the view's own `finishedAt` is the entry's time meanwhile. Undefined when the view is
 * not known or still being read, or the entry carries no return value: the event then reads the job.
 */
function completedRun(
  entry: Extract<StreamEntry, { kind: 'completed' }>,
  running: RunningJobViews | undefined,
  read: () => Promise<Job | undefined>,
): JobView | undefined {
  const view = running?.get(entry.jobId);
  if (view === undefined || view instanceof Promise || entry.returnvalue === undefined) return undefined;
  const at = streamIdTime(entry.cursor);
  return {
    ...view,
    state: JobState.COMPLETED,
    result: returnValueOf(entry.returnvalue),
    failedReason: null,
    stacktrace: null,
    // The run ended, and BullMQ counted it: the attempt it was is now the last made.
    attemptsMade: view.attempt,
    finishedAt: at,
    storedFinishedAt: async () => {
      const stored = await read();
      return stored?.finishedOn ? new Date(stored.finishedOn) : at;
    },
  };
}

/** A return value as BullMQ reads it from its JSON: null when it does not parse (BullMQ logs it as corrupted). */
function returnValueOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** The running view of an ACTIVE, PROGRESS or LOG entry, or undefined for other events. */
function runningViewOf(
  entry: StreamEntry,
  running: RunningJobViews,
  read: () => Promise<JobView | undefined>,
): JobView | Promise<JobView> | undefined {
  const { kind, jobId } = entry;
  if (kind !== 'active' && kind !== 'progress' && kind !== 'log') {
    running.delete(jobId);
    return undefined;
  }
  const progress = kind === 'progress' ? entry.data : undefined;
  const base = kind === 'active' ? undefined : running.get(jobId);
  let view: JobView | Promise<JobView>;
  if (base === undefined)
    view = read().then((current) => {
      if (!current) throw new Error(`job ${jobId} is gone`);
      return viewAsOf(current, eventTypeWhileActive(kind), progress);
    });
  else if (progress === undefined) view = base;
  else if (base instanceof Promise) view = base.then((current) => viewAsOf(current, JobEventType.PROGRESS, progress));
  else view = viewAsOf(base, JobEventType.PROGRESS, progress);
  running.set(jobId, view);
  if (view instanceof Promise) {
    const reading = view;
    reading.then(
      (current) => running.get(jobId) === reading && running.set(jobId, current),
      // A failed read must not poison the events after it: they read for themselves.
      () => running.get(jobId) === reading && running.delete(jobId),
    );
  }
  return view;
}

const eventTypeWhileActive = (kind: 'active' | 'progress' | 'log'): JobEventType =>
  kind === 'active' ? JobEventType.ACTIVE : kind === 'progress' ? JobEventType.PROGRESS : JobEventType.LOG;

/**
 * Turns one stream entry into the event watchers receive. The job is read at most once per
 * entry (lazily, unless the type depends on it), only when someone watches, and, for a job
 * watched while it runs (`running` given), once per run rather than once per PROGRESS or for
 * its COMPLETED: such an event is built with its job, so it can be checked and rendered without
 * waiting a turn.
 */
export function toPendingEvent(queue: string, entry: StreamEntry, store: JobReader, running?: RunningJobViews): PendingEvent {
  const { jobId, cursor } = entry;
  const address = { queue, jobId };
  let fetched: Promise<Job | undefined> | undefined;
  const fetchJob = (): Promise<Job | undefined> => (fetched ??= patiently(() => store.fetch(address)));
  const readRunning = async (): Promise<JobView | undefined> => {
    const stored = await fetchJob();
    return stored && viewOf(stored, JobState.ACTIVE);
  };
  const completed = entry.kind === 'completed' ? completedRun(entry, running, fetchJob) : undefined;
  const runningView = running && runningViewOf(entry, running, readRunning);
  const build = (type: JobEventType, known: JobView | undefined): JobEvent => {
    const readJob = async (): Promise<JobView> => {
      if (runningView) {
        const current = await Promise.resolve(runningView).catch(() => undefined);
        if (current) return current;
      }
      const stored = await fetchJob();
      if (!stored) return goneView(queue, jobId, streamIdTime(cursor));
      return viewAsOf(viewOf(stored, stateOfStored(type, entry)), type, entry.kind === 'progress' ? entry.data : undefined);
    };
    const log = entry.kind === 'log' ? entry.line : null;
    const event = new JobEvent(type, cursor, streamIdTime(cursor), queue, jobId, readJob, false, log, entry.bytes);
    const view = known ?? (runningView instanceof Promise ? undefined : runningView);
    return view ? event.withJob(view) : event;
  };
  let event: JobEvent | Promise<JobEvent>;
  if (entry.kind === 'removed')
    event = patiently(() => store.tombstone(address)).then((tombstone) =>
      tombstone ? build(JobEventType.CANCELLED, tombstone) : build(JobEventType.REMOVED, undefined),
    );
  else if (needsJob(entry)) event = fetchJob().then((job) => build(typeOf(entry, job), undefined));
  else event = build(typeOf(entry, undefined), completed);
  return new PendingEvent(cursor, jobId, entry.kind === 'progress', entry.bytes, event);
}

/**
 * The state of a job read for an event of `type`. A RETRYING job waits, or is delayed when its
 * retry waits out a backoff; a parent waits for its children; a job still stored after its
 * REMOVED entry is another job given the same id since, whose state this entry does not know.
 */
function stateOfStored(type: JobEventType, entry: StreamEntry): JobState {
  if (type === JobEventType.RETRYING) return entry.kind === 'delayed' ? JobState.DELAYED : JobState.WAITING;
  if (entry.kind === 'waiting-children') return JobState.WAITING_CHILDREN;
  return stateAfter(type) ?? JobState.UNKNOWN;
}
