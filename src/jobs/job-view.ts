import type { Job } from 'bullmq';
import { addressOfJobKey, toGlobalId, type JobAddress } from './job-id';
import { JOBGATE_BACKOFF } from './retry-policy';

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
  /**
   * The stored `finishedAt`, read when a selection asks for it: a COMPLETED event's job built from
   * the run it ends knows every other field without a read (`completedRun` in events/event-mapping.ts),
   * but its finish time is the worker's, and `finishedAt` is meanwhile the event's own time.
   */
  storedFinishedAt?: () => Promise<Date | null>;
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
  /** The options that shaped it, named as JobOptionsInput names them (see `optionsOf`); absent from tombstones written before they were kept. */
  options?: JobOptionsView;
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
    options: optionsOf(job),
    parent: job.parentKey ? (addressOfJobKey(job.parentKey) ?? null) : null,
  };
}

/** A job's options as a caller gives them (JobOptionsInput's names): what `Job.options` shows, and enough to enqueue it again. */
export interface JobOptionsView {
  queue: string;
  attempts: number;
  priority?: number;
  delayMs?: number;
  expiresAt?: string;
  backoff?: { type: 'FIXED' | 'EXPONENTIAL'; delayMs: number; maxDelayMs?: number; jitter?: number };
  removeOnCompleteAfterSeconds?: number;
  onChildFailure?: 'FAIL_PARENT' | 'IGNORE' | 'CONTINUE';
}

/** A backoff as BullMQ stores it: its own (`fixed`/`exponential`) or Jobgate's (`jobgate`, with `growth`). */
interface StoredBackoffOption {
  type?: string;
  delay?: number;
  growth?: string;
  maxDelay?: number;
  jitter?: number;
}

function backoffOptionOf(raw: unknown): JobOptionsView['backoff'] {
  if (raw === null || typeof raw !== 'object') return undefined;
  const stored = raw as StoredBackoffOption;
  const growth = stored.type === JOBGATE_BACKOFF ? stored.growth : stored.type;
  if ((growth !== 'fixed' && growth !== 'exponential') || typeof stored.delay !== 'number') return undefined;
  return {
    type: growth === 'fixed' ? 'FIXED' : 'EXPONENTIAL',
    delayMs: stored.delay,
    ...(typeof stored.maxDelay === 'number' && { maxDelayMs: stored.maxDelay }),
    ...(typeof stored.jitter === 'number' && stored.jitter > 0 && { jitter: stored.jitter }),
  };
}

/**
 * The options of `job` in JobOptionsInput's terms, rebuilt from what BullMQ and `opts.jobgate`
 * keep: the type's defaults merged with the caller's (they are not told apart once stored).
 * A `runAt` shows as its `delayMs` from creation; a `dedupKey` is kept only hashed, so it is not
 * shown; `removeOnCompleteAfterSeconds` only when it was sooner than the queue's retention.
 */
export function optionsOf(job: Job): JobOptionsView {
  const opts = job.opts as Job['opts'] & { jobgate?: JobgateMeta };
  const meta = opts.jobgate;
  const backoff = backoffOptionOf(opts.backoff);
  const onChildFailure = opts.failParentOnFailure
    ? 'FAIL_PARENT'
    : opts.ignoreDependencyOnFailure
      ? 'IGNORE'
      : opts.continueParentOnFailure
        ? 'CONTINUE'
        : undefined;
  return {
    queue: job.queueName,
    attempts: opts.attempts ?? 1,
    ...(opts.priority ? { priority: opts.priority } : {}),
    ...(opts.delay ? { delayMs: opts.delay } : {}),
    ...(meta?.expiresAt !== undefined && { expiresAt: new Date(meta.expiresAt).toISOString() }),
    ...(backoff && { backoff }),
    ...(meta?.expireAfterSeconds !== undefined && { removeOnCompleteAfterSeconds: meta.expireAfterSeconds }),
    ...(job.parentKey && onChildFailure && { onChildFailure }),
  };
}

/** One line of a job's log: when and during which attempt it was written (null for lines written before Jobgate recorded them). */
export interface JobLogEntryView {
  at: Date | null;
  attempt: number | null;
  message: string;
}

/**
 * A stored log line is `<ISO time> #<attempt> <message>`: readable as it is in Redis and in
 * BullMQ's own tools, and told apart from a plain line (written before, or by another producer)
 * by its exact shape.
 */
const LOG_LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) #(\d{1,6}) /;

/** The stored form of a log line (see {@link LOG_LINE}). */
export function logLineOf(at: Date, attempt: number, message: string): string {
  return `${at.toISOString()} #${attempt} ${message}`;
}

/** A stored log line read back; a plain line is all message. */
export function logEntryOf(line: string): JobLogEntryView {
  const match = LOG_LINE.exec(line);
  if (!match) return { at: null, attempt: null, message: line };
  return { at: new Date(match[1]), attempt: Number(match[2]), message: line.slice(match[0].length) };
}

/** How one attempt of a job ended, or that it runs. */
export enum JobAttemptOutcome {
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
  /** Its worker stopped answering (stalled, crashed): BullMQ ran the attempt again, or failed the job. */
  STALLED = 'STALLED',
}

/** One run of a job's processor. */
export interface JobAttemptView {
  number: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  outcome: JobAttemptOutcome;
  error: string | null;
}

/** The field of a job's hash where its worker records each run (see `JobLogWriter.attemptStarted`); it goes with the job. */
export const ATTEMPTS_FIELD = 'jobgate:attempts';

/** Most runs a job's record keeps, the last ones. */
export const MAX_ATTEMPT_RECORDS = 50;

/** A run as the worker records it: number, start and end (epoch ms), outcome, error message. */
interface AttemptRecord {
  n: number;
  s: number;
  f?: number;
  o: JobAttemptOutcome;
  e?: string;
}

function recordsOf(raw: string | null | undefined): AttemptRecord[] {
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? (parsed as AttemptRecord[]).filter((record) => typeof record?.n === 'number') : [];
  } catch {
    return [];
  }
}

/**
 * The runs of `view`: those its workers recorded (`raw`, the {@link ATTEMPTS_FIELD} field), a
 * run still marked RUNNING on a job no longer ACTIVE being one its worker lost (STALLED). A job
 * without a record (run by a worker before they were kept, or failed before its processor ran,
 * e.g. expired) gets what BullMQ keeps: one entry per attempt made, times and error only for the last.
 */
export function attemptsOf(raw: string | null | undefined, view: JobView): JobAttemptView[] {
  const records = recordsOf(raw);
  if (records.length > 0) {
    return records.map((record) => ({
      number: record.n,
      startedAt: new Date(record.s),
      finishedAt: record.f ? new Date(record.f) : null,
      outcome: record.o === JobAttemptOutcome.RUNNING && view.state !== JobState.ACTIVE ? JobAttemptOutcome.STALLED : record.o,
      error: record.e ?? null,
    }));
  }
  const lastOutcome =
    view.state === JobState.ACTIVE
      ? JobAttemptOutcome.RUNNING
      : view.state === JobState.COMPLETED
        ? JobAttemptOutcome.COMPLETED
        : view.state === JobState.CANCELLED
          ? JobAttemptOutcome.CANCELLED
          : JobAttemptOutcome.FAILED;
  const ran = view.state === JobState.ACTIVE ? view.attempt : view.attemptsMade;
  return Array.from({ length: ran }, (_, index) => {
    const last = index === ran - 1;
    return {
      number: index + 1,
      startedAt: last ? view.startedAt : null,
      finishedAt: last ? view.finishedAt : null,
      outcome: last ? lastOutcome : JobAttemptOutcome.FAILED,
      error: last ? view.failedReason : null,
    };
  });
}
