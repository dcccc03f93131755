import type { Job } from 'bullmq';
import { addressOfJobKey, toGlobalId, type JobAddress } from './job-id';

/** Where a job is in its life. */
export enum JobState {
  WAITING = 'WAITING',
  PRIORITIZED = 'PRIORITIZED',
  DELAYED = 'DELAYED',
  ACTIVE = 'ACTIVE',
  WAITING_CHILDREN = 'WAITING_CHILDREN',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  UNKNOWN = 'UNKNOWN',
}

/** States a job never leaves. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set([JobState.COMPLETED, JobState.FAILED, JobState.CANCELLED]);

/** Progress in the shape of Celery's PROGRESS meta: percent, current/total, a message, free data. */
export interface JobProgressView {
  percent: number | null;
  current: number | null;
  total: number | null;
  message: string | null;
  data: unknown;
}

/** What Jobgate records on a job beside BullMQ's own fields (kept in `opts.jobgate`). */
export interface JobgateMeta {
  owner: string;
  requestId?: string;
  /** Removed this many seconds after completing, sooner than its queue keeps completed jobs. */
  expireAfterSeconds?: number;
  /** Epoch ms past which no attempt of it starts (`options.expiresAt`): it fails `expired` instead. */
  expiresAt?: number;
}

/** A job as clients see it, whatever produced it. */
export interface JobView {
  id: string;
  queue: string;
  jobId: string;
  type: string;
  state: JobState;
  data: unknown;
  progress: JobProgressView | null;
  result: unknown;
  /** Null once COMPLETED: BullMQ keeps the reason of an earlier failed attempt on a job that then completed. */
  failedReason: string | null;
  /** Attempts that ended, failed or completed (BullMQ's `attemptsMade`): for an ACTIVE job, those before the one running. */
  attemptsMade: number;
  /** The attempt the job is on, from 1 (see `attemptOf`); 0 for a finished job that never ran. */
  attempt: number;
  maxAttempts: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When it was asked to run (absent from views of jobs Redis no longer holds): creation time plus its delay (`delayMs`, `runAt`, a schedule's); null without one. */
  runAt?: Date | null;
  /** The instant past which it does not start (`options.expiresAt`). */
  expiresAt?: Date | null;
  /** The worker that ran or runs its last attempt (BullMQ's `processedBy`: `<host>:<pid>` for Jobgate workers). */
  worker?: string | null;
  /** Stacks of its last failed attempts, oldest first, bounded (see `stacktraceOf`); null once COMPLETED. */
  stacktrace?: string[] | null;
  owner: string | undefined;
  requestId: string | undefined;
  /** The last log lines as of a SNAPSHOT's cursor, when the snapshot read them; else read on demand. */
  logs?: string[];
  /** The job's parent in a flow (BullMQ `parentKey`); null for a job without one. */
  parent?: JobAddress | null;
  /** A flow job's children, kept in its tombstone when it is cancelled (BullMQ's record of them goes with the job). */
  children?: JobAddress[];
}

/** Stacks BullMQ keeps per job (its `stackTraceLimit`): one per failed attempt, the last ones. */
export const MAX_STACK_TRACES = 5;
/** Lines of one stack `Job.stacktrace` shows; the rest is cut. */
const MAX_STACK_LINES = 30;
/** Characters of one stack `Job.stacktrace` shows at most. */
const MAX_STACK_CHARS = 4000;

/**
 * The stacks BullMQ recorded for a job's failed attempts, bounded: the last {@link MAX_STACK_TRACES},
 * each cut to {@link MAX_STACK_LINES} lines and {@link MAX_STACK_CHARS} characters. They are the
 * worker's: the stack of what the processor threw, scrubbed there of the worker's secrets
 * (processor.ts). The gateway adds nothing of its own.
 */
export function stacktraceOf(raw: readonly unknown[] | null | undefined): string[] | null {
  const traces = (raw ?? []).filter((trace): trace is string => typeof trace === 'string' && trace.length > 0);
  if (traces.length === 0) return null;
  return traces.slice(-MAX_STACK_TRACES).map((trace) => {
    const lines = trace.split('\n');
    const cut =
      lines.length > MAX_STACK_LINES ? [...lines.slice(0, MAX_STACK_LINES), `    … ${lines.length - MAX_STACK_LINES} more lines`] : lines;
    const text = cut.join('\n');
    return text.length > MAX_STACK_CHARS ? `${text.slice(0, MAX_STACK_CHARS)}…` : text;
  });
}

/** Most log lines a client may ask for (`Job.logs(last)`). */
export const MAX_LOG_LINES = 1000;

/** How the failure reason of a job not started by its `expiresAt` starts (Celery's `expires`). */
export const EXPIRED_REASON_PREFIX = 'expired';

/** Prefix of the failure reason of a job cancelled while it ran; how CANCELLED is told from FAILED. */
export const CANCELLED_REASON_PREFIX = 'jobgate.cancelled: ';

const BULLMQ_STATES: Record<string, JobState> = {
  waiting: JobState.WAITING,
  wait: JobState.WAITING,
  paused: JobState.WAITING,
  prioritized: JobState.PRIORITIZED,
  delayed: JobState.DELAYED,
  active: JobState.ACTIVE,
  'waiting-children': JobState.WAITING_CHILDREN,
  completed: JobState.COMPLETED,
  failed: JobState.FAILED,
};

/** Maps BullMQ's state name, telling a cancelled job from a failed one. */
export function stateOf(bullState: string, failedReason: string | undefined | null): JobState {
  const state = BULLMQ_STATES[bullState] ?? JobState.UNKNOWN;
  return state === JobState.FAILED && failedReason?.startsWith(CANCELLED_REASON_PREFIX) ? JobState.CANCELLED : state;
}

const numberOrNull = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Normalizes whatever a processor passed to `updateProgress` (a number or an object). */
export function progressOf(raw: unknown): JobProgressView | null {
  if (typeof raw === 'number') return { percent: raw, current: null, total: null, message: null, data: null };
  if (raw === null || raw === undefined) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) return { percent: null, current: null, total: null, message: null, data: raw };
  const fields = raw as Record<string, unknown>;
  const current = numberOrNull(fields.current);
  const total = numberOrNull(fields.total);
  const percent = numberOrNull(fields.percent) ?? (current !== null && total ? Math.round((current / total) * 10000) / 100 : null);
  return {
    percent,
    current,
    total,
    message: typeof fields.message === 'string' ? fields.message : null,
    data: fields.data ?? null,
  };
}

/** The progress of a run that has reported none: what BullMQ gives a new job (0), and what every run starts from. */
export const startingProgress = (): JobProgressView | null => progressOf(0);

/**
 * The attempt a job is on, counted like `attemptsMade` (a stall or a hand-back on shutdown is
 * not an attempt; BullMQ's `attemptsStarted` counts those too): the one running (ACTIVE), the next
 * to run (waiting, delayed, or retrying), or the last that ran (finished; 0 if none did).
 * An ACTIVE job's hash may be read after its run ended (an event's job is read when the event is
 * handled, not when it happened): the run had then already added to `attemptsMade`, but not to
 * `attemptsStarted`, which bounds the attempt running.
 */
export function attemptOf(job: Job, state: JobState): number {
  if (FINAL_STATES.has(state) || state === JobState.UNKNOWN) return job.attemptsMade;
  const next = job.attemptsMade + 1;
  return state === JobState.ACTIVE && job.attemptsStarted > 0 ? Math.min(next, job.attemptsStarted) : next;
}

const dateOrNull = (ms: number | undefined): Date | null => (ms ? new Date(ms) : null);

/** Builds the client view of a BullMQ job in `state`. */
export function viewOf(job: Job, state: JobState): JobView {
  const meta = (job.opts as { jobgate?: JobgateMeta }).jobgate;
  const attempt = attemptOf(job, state);
  return {
    id: toGlobalId({ queue: job.queueName, jobId: job.id ?? '' }),
    queue: job.queueName,
    jobId: job.id ?? '',
    type: job.name,
    state,
    data: job.data,
    progress: progressOf(job.progress),
    result: job.returnvalue ?? null,
    failedReason: state === JobState.COMPLETED ? null : job.failedReason || null,
    attemptsMade: state === JobState.ACTIVE ? attempt - 1 : job.attemptsMade,
    attempt,
    maxAttempts: job.opts.attempts ?? 1,
    createdAt: new Date(job.timestamp),
    startedAt: dateOrNull(job.processedOn),
    finishedAt: dateOrNull(job.finishedOn),
    runAt: job.opts.delay ? new Date(job.timestamp + job.opts.delay) : null,
    expiresAt: dateOrNull(meta?.expiresAt),
    worker: job.processedBy ?? null,
    stacktrace: state === JobState.COMPLETED ? null : stacktraceOf(job.stacktrace),
    owner: meta?.owner,
    requestId: meta?.requestId,
    parent: job.parentKey ? (addressOfJobKey(job.parentKey) ?? null) : null,
  };
}
