import type { Job } from 'bullmq';
import { isConnectionError } from '../redis/connections';
import { toGlobalId } from '../jobs/job-id';
import type { JobReader } from '../jobs/job-reader';
import { CANCELLED_REASON_PREFIX, JobState, viewOf, type JobView } from '../jobs/job-view';
import { CUSTOM_EVENTS, JobEvent, JobEventType, stateAfter, viewAsOf, type StreamFields } from './job-event';
import { streamIdTime } from './stream-id';

/** Stream event names that concern one job, in the order of BullMQ's stream. */
export const JOB_STREAM_EVENTS = [
  'waiting',
  'waiting-children',
  'delayed',
  'active',
  'progress',
  'completed',
  'failed',
  'stalled',
  'removed',
  CUSTOM_EVENTS.LOG,
] as const;

/** An event whose type may need the job to be read first (a retry looks like a delay). */
export interface PendingEvent {
  cursor: string;
  jobId: string;
  /** Known at once: PROGRESS events may be coalesced for slow clients. */
  isProgress: boolean;
  approxBytes: number;
  /** The event, or null when the entry turns out to say nothing to watchers. */
  event: Promise<JobEvent | null>;
}

/** A state for a job read outside of any state-changing event (LOG, a retry). */
function inferredState(job: Job): JobState {
  if (job.finishedOn) return job.failedReason ? JobState.FAILED : JobState.COMPLETED;
  if (job.processedOn) return JobState.ACTIVE;
  return job.delay > 0 ? JobState.DELAYED : JobState.WAITING;
}

async function classify(
  name: string,
  fields: StreamFields,
  job: Job | undefined,
  store: JobReader,
  queue: string,
): Promise<{ type: JobEventType; view?: JobView } | null> {
  switch (name) {
    case 'waiting':
      return { type: fields.prev === 'failed' ? JobEventType.RETRYING : JobEventType.WAITING };
    case 'waiting-children':
      return { type: JobEventType.WAITING };
    case 'active':
      return { type: JobEventType.ACTIVE };
    case 'progress':
      return { type: JobEventType.PROGRESS };
    case 'completed':
      return { type: JobEventType.COMPLETED };
    case 'stalled':
      return { type: JobEventType.STALLED };
    case CUSTOM_EVENTS.LOG:
      return { type: JobEventType.LOG };
    case 'delayed':
      return { type: job && job.attemptsMade > 0 ? JobEventType.RETRYING : JobEventType.DELAYED };
    case 'failed':
      if (job?.failedReason?.startsWith(CANCELLED_REASON_PREFIX)) return { type: JobEventType.CANCELLED };
      return { type: job && !job.finishedOn ? JobEventType.RETRYING : JobEventType.FAILED };
    case 'removed': {
      const tombstone = await patiently(() => store.tombstone({ queue, jobId: fields.jobId }));
      return tombstone ? { type: JobEventType.CANCELLED, view: tombstone } : { type: JobEventType.REMOVED };
    }
    default:
      return null;
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

/** Event names whose meaning depends on the stored job. */
const NEEDS_JOB = new Set(['delayed', 'failed']);

/** Stream events that happen while a job runs and change nothing of it but progress and logs. */
const WHILE_ACTIVE = new Set(['progress', CUSTOM_EVENTS.LOG]);

/**
 * The job as of its last ACTIVE or PROGRESS event, per watched job. Between ACTIVE and the
 * next state change a job's stored fields do not change but for its progress, which the
 * PROGRESS event itself carries: so the job is read once when it starts (or when a watch
 * joins it running), and its PROGRESS and LOG events are built from that read. Entries are
 * promises chained in stream order at dispatch; any other event of the job drops its entry.
 */
export type RunningJobViews = Map<string, Promise<JobView>>;

/** The running view of an ACTIVE, PROGRESS or LOG entry, or undefined for other events. */
function runningViewOf(
  name: string,
  jobId: string,
  fields: StreamFields,
  running: RunningJobViews,
  read: () => Promise<JobView | undefined>,
): Promise<JobView> | undefined {
  if (name !== 'active' && !WHILE_ACTIVE.has(name)) {
    running.delete(jobId);
    return undefined;
  }
  const base = name === 'active' ? undefined : running.get(jobId);
  const type = name === 'progress' ? JobEventType.PROGRESS : name === 'active' ? JobEventType.ACTIVE : JobEventType.LOG;
  const view = base
    ? name === 'progress'
      ? base.then((current) => viewAsOf(current, type, fields))
      : base
    : read().then((current) => {
        if (!current) throw new Error(`job ${jobId} is gone`);
        return viewAsOf(current, type, fields);
      });
  running.set(jobId, view);
  // A failed read must not poison the events after it: they read for themselves.
  view.catch(() => running.get(jobId) === view && running.delete(jobId));
  return view;
}

/**
 * Turns one stream entry into the event watchers receive. The job is read at most once per
 * entry (lazily, unless the type depends on it), only when someone watches, and, for a job
 * watched while it runs (`running` given), once per run rather than once per PROGRESS.
 */
export function toPendingEvent(
  queue: string,
  name: string,
  cursor: string,
  fields: StreamFields,
  store: JobReader,
  running?: RunningJobViews,
): PendingEvent | null {
  const jobId = fields.jobId;
  if (!jobId || !(JOB_STREAM_EVENTS as readonly string[]).includes(name)) return null;
  const address = { queue, jobId };
  let fetched: Promise<Job | undefined> | undefined;
  const fetchJob = (): Promise<Job | undefined> => (fetched ??= patiently(() => store.fetch(address)));
  const readRunning = async (): Promise<JobView | undefined> => {
    const stored = await fetchJob();
    return stored && viewOf(stored, JobState.ACTIVE);
  };
  const runningView = running && runningViewOf(name, jobId, fields, running, readRunning);
  const approxBytes = 256 + Object.values(fields).reduce((sum, value) => sum + value.length, 0);
  const event = (async (): Promise<JobEvent | null> => {
    const job = NEEDS_JOB.has(name) ? await fetchJob() : undefined;
    const classified = await classify(name, fields, job, store, queue);
    if (!classified) return null;
    const { type, view } = classified;
    const readJob = async (): Promise<JobView> => {
      if (view) return view;
      if (runningView) {
        const current = await runningView.catch(() => undefined);
        if (current) return current;
      }
      const stored = await fetchJob();
      if (!stored) return goneView(queue, jobId, streamIdTime(cursor));
      const state =
        stateAfter(type) ??
        (type === JobEventType.RETRYING ? (name === 'delayed' ? JobState.DELAYED : JobState.WAITING) : inferredState(stored));
      return viewAsOf(viewOf(stored, state), type, fields);
    };
    const log = type === JobEventType.LOG ? (fields.line ?? '') : null;
    return new JobEvent(type, cursor, streamIdTime(cursor), queue, jobId, readJob, false, log, approxBytes);
  })();
  return { cursor, jobId, isProgress: name === 'progress', approxBytes, event };
}
