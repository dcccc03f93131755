import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Config } from '../config';
import { badInput } from '../errors';
import { ChildFailurePolicy } from '../jobs/flow-child';
import type { BackoffDefinition, JobDefaults, JobDefinition } from '../jobs/job-definition';
import { MAX_STACK_TRACES, type JobgateMeta } from '../jobs/job-view';
import { toJobBackoff } from '../jobs/retry-policy';

/** Options a caller may give for one job (the contract's JobOptionsInput). */
export interface JobOptionsRequest {
  delayMs?: number | null;
  /** Run no earlier than this instant (Celery's `eta`); exclusive with `delayMs`. */
  runAt?: Date | null;
  /** Not run when it has not started by then (Celery's `expires`): it fails with a reason starting `expired`. */
  expiresAt?: Date | null;
  /** Another queue than the type's own, among those it allows (Celery's `apply_async(queue=…)`). */
  queue?: string | null;
  priority?: number | null;
  attempts?: number | null;
  /** Replaces the type's backoff as a whole: a cap or jitter not given is none. */
  backoff?: { type: 'FIXED' | 'EXPONENTIAL'; delayMs: number; maxDelayMs?: number | null; jitter?: number | null } | null;
  dedupKey?: string | null;
  removeOnCompleteAfterSeconds?: number | null;
  /** Only on a job with a parent (a flow's child): what its failure does to the parent. */
  onChildFailure?: ChildFailurePolicy | null;
}

/** The BullMQ option of each failure policy (mutually exclusive in BullMQ). */
const POLICY_OPTIONS: Record<ChildFailurePolicy, JobsOptions> = {
  [ChildFailurePolicy.FAIL_PARENT]: { failParentOnFailure: true },
  [ChildFailurePolicy.IGNORE]: { ignoreDependencyOnFailure: true },
  [ChildFailurePolicy.CONTINUE]: { continueParentOnFailure: true },
};

/** The BullMQ options of a child's failure policy (FAIL_PARENT when it gives none). */
export function childFailureOptions(policy: ChildFailurePolicy | null | undefined): JobsOptions {
  return POLICY_OPTIONS[policy ?? ChildFailurePolicy.FAIL_PARENT];
}

/** BullMQ's priority range: 0 (none) to 2^21. */
export const MAX_PRIORITY = 2 ** 21;
/** How far ahead a job may be put off, through `runAt` or `expiresAt`: 365 days. */
export const MAX_DELAY_MS = 365 * 86_400_000;
/**
 * The largest `delayMs` (and `backoff.delayMs`): GraphQL's `Int` is a signed 32-bit integer, so
 * 2^31 - 1 ms, about 24.8 days. Longer delays, up to {@link MAX_DELAY_MS}, are given as `runAt`.
 */
export const MAX_DELAY_INT_MS = 2_147_483_647;

function checkInt(field: string, value: number | null | undefined, min: number, max: number): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `${field.split('.').pop()} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Refuses impossible options; `field` prefixes the error's field path (e.g. "options"). */
export function checkOptions(options: JobOptionsRequest | null | undefined, field = 'options'): void {
  if (!options) return;
  checkInt(`${field}.delayMs`, options.delayMs, 0, MAX_DELAY_INT_MS);
  checkInt(`${field}.priority`, options.priority, 0, MAX_PRIORITY);
  checkInt(`${field}.attempts`, options.attempts, 1, 100);
  checkInt(`${field}.removeOnCompleteAfterSeconds`, options.removeOnCompleteAfterSeconds, 0, 365 * 86_400);
  if (options.backoff) checkBackoff(options.backoff, `${field}.backoff`);
  checkTimes(options, field, Date.now());
  if (options.dedupKey !== null && options.dedupKey !== undefined && (options.dedupKey.length === 0 || options.dedupKey.length > 200)) {
    throw badInput(`${field}.dedupKey`, 'dedupKey must be 1 to 200 characters');
  }
}

/**
 * A caller's backoff acts on its own job only (the delays between its attempts), so the checks are
 * of range: every delay fits a GraphQL `Int` of ms (the worker caps what a strategy computes there
 * too: an exponential backoff of 100 attempts would otherwise reach 2^99 × delayMs), the cap is no
 * shorter than the first delay, and the jitter is a fraction.
 */
function checkBackoff(backoff: NonNullable<JobOptionsRequest['backoff']>, field: string): void {
  checkInt(`${field}.delayMs`, backoff.delayMs, 0, MAX_DELAY_INT_MS);
  checkInt(`${field}.maxDelayMs`, backoff.maxDelayMs, backoff.delayMs, MAX_DELAY_INT_MS);
  const { jitter } = backoff;
  if (jitter !== null && jitter !== undefined && !(Number.isFinite(jitter) && jitter >= 0 && jitter <= 1)) {
    throw badInput(`${field}.jitter`, `jitter must be from 0 to 1 (the random fraction of each delay), got ${jitter}`);
  }
}

/** A caller's backoff in the form of a type's. */
function backoffOf(backoff: NonNullable<JobOptionsRequest['backoff']>): BackoffDefinition {
  return {
    type: backoff.type === 'FIXED' ? 'fixed' : 'exponential',
    delayMs: backoff.delayMs,
    ...(backoff.maxDelayMs !== null && backoff.maxDelayMs !== undefined && { maxDelayMs: backoff.maxDelayMs }),
    ...(backoff.jitter !== null && backoff.jitter !== undefined && { jitter: backoff.jitter }),
  };
}

function checkInstant(field: string, value: Date | null | undefined): void {
  if (value === null || value === undefined) return;
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw badInput(field, `${field.split('.').pop()} must be a date-time`);
}

/**
 * `runAt` and `expiresAt` against `now`: `runAt` excludes `delayMs` and lies at most
 * {@link MAX_DELAY_MS} ahead (one in the past runs at once, as Celery runs a past `eta`);
 * `expiresAt` lies after the time the job may first run (a job that expires before it may run
 * could never run), and at most {@link MAX_DELAY_MS} after it.
 */
function checkTimes(options: JobOptionsRequest, field: string, now: number): void {
  const { runAt, expiresAt } = options;
  checkInstant(`${field}.runAt`, runAt);
  checkInstant(`${field}.expiresAt`, expiresAt);
  if (runAt) {
    if (options.delayMs !== null && options.delayMs !== undefined) {
      throw badInput(`${field}.runAt`, 'give runAt or delayMs, not both');
    }
    if (runAt.getTime() - now > MAX_DELAY_MS) {
      throw badInput(`${field}.runAt`, `runAt may be at most 365 days ahead, got ${runAt.toISOString()}`);
    }
  }
  if (expiresAt) {
    const earliest = runAt ? Math.max(now, runAt.getTime()) : now + (options.delayMs ?? 0);
    if (expiresAt.getTime() <= now) throw badInput(`${field}.expiresAt`, `expiresAt is in the past: ${expiresAt.toISOString()}`);
    if (expiresAt.getTime() <= earliest) {
      throw badInput(
        `${field}.expiresAt`,
        `expiresAt (${expiresAt.toISOString()}) must be after the job may run (${new Date(earliest).toISOString()}, from ${runAt ? 'runAt' : 'delayMs'})`,
      );
    }
    if (expiresAt.getTime() - earliest > MAX_DELAY_MS) {
      throw badInput(`${field}.expiresAt`, `expiresAt may be at most 365 days after the job may run, got ${expiresAt.toISOString()}`);
    }
  }
}

/** The delay of a job asked to run at `runAt` (0 once it is due), or its `delayMs`. */
function delayOf(options: JobOptionsRequest | null | undefined, now: number): number {
  if (options?.runAt) return Math.max(0, options.runAt.getTime() - now);
  return options?.delayMs ?? 0;
}

/**
 * How long a queue keeps completed jobs: `KEEP_COMPLETED_SECONDS`, or longer when one of its
 * job types asks for more. BullMQ trims a queue's whole completed set by the age the
 * completing job carries, so every job of a queue must carry the same age: one job's option
 * would otherwise remove the finished jobs of every owner.
 */
export function queueRetentionSeconds(defaults: readonly JobDefaults[], config: Config): number {
  return Math.max(config.keepCompletedSeconds, ...defaults.map((type) => type.keepCompletedSeconds ?? 0));
}

/** The dedup id of `key`: one per owner and job type, and no owner, type or key can spell another's. */
export function dedupId(owner: string, type: string, key: string): string {
  return createHash('sha256')
    .update(JSON.stringify([owner, type, key]))
    .digest('base64url');
}

/**
 * The BullMQ options of a job: the type's defaults, the caller's overrides, the queue's
 * retention (`keepCompletedSeconds`, the same for every job of the queue), and Jobgate's own
 * record in `opts.jobgate`: owner, request id, the expiry the caller asked for when it is
 * sooner than the queue's retention (the workers remove such jobs themselves: JobExpiry), and
 * the instant past which it must not start (`expiresAt`, enforced by the workers: expired-jobs).
 */
export function toBullOptions(
  definition: Pick<JobDefinition, 'name' | 'defaults'> & Partial<Pick<JobDefinition, 'retry'>>,
  options: JobOptionsRequest | null | undefined,
  meta: JobgateMeta,
  config: Config,
  keepCompletedSeconds: number,
): JobsOptions & { jobgate: JobgateMeta } {
  const { name: type, defaults } = definition;
  const attempts = options?.attempts ?? defaults.attempts ?? 1;
  // A job without retries needs no backoff; see toJobBackoff for which type a job carries.
  const chosen = options?.backoff ? backoffOf(options.backoff) : defaults.backoff;
  const backoff = attempts > 1 ? toJobBackoff(chosen, definition.retry?.countdown !== undefined) : undefined;
  const expireAfterSeconds = options?.removeOnCompleteAfterSeconds ?? undefined;
  // One clock reading for the creation time and the delay, so that `timestamp + delay` is `runAt` exactly.
  const now = Date.now();
  const delay = delayOf(options, now);
  const own: JobgateMeta = {
    ...meta,
    ...(expireAfterSeconds !== undefined && expireAfterSeconds < keepCompletedSeconds && { expireAfterSeconds }),
    ...(options?.expiresAt && { expiresAt: options.expiresAt.getTime() }),
  };
  return {
    attempts,
    ...(backoff && { backoff }),
    ...(delay > 0 ? { delay, timestamp: now } : {}),
    ...((options?.priority ?? defaults.priority) ? { priority: options?.priority ?? defaults.priority } : {}),
    ...(options?.dedupKey ? { deduplication: { id: dedupId(meta.owner, type, options.dedupKey) } } : {}),
    removeOnComplete: { age: keepCompletedSeconds, count: config.keepJobsCount },
    removeOnFail: { age: config.keepFailedSeconds, count: config.keepJobsCount },
    // BullMQ keeps every failed attempt's stack otherwise; `Job.stacktrace` shows these few.
    stackTraceLimit: MAX_STACK_TRACES,
    jobgate: own,
  };
}
