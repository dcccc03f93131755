import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { Config } from '../config';
import { badInput } from '../errors';
import { ChildFailurePolicy } from '../jobs/flow-child';
import type { JobDefaults } from '../jobs/job-definition';
import type { JobgateMeta } from '../jobs/job-view';

/** Options a caller may give for one job (the contract's JobOptionsInput). */
export interface JobOptionsRequest {
  delayMs?: number | null;
  priority?: number | null;
  attempts?: number | null;
  backoff?: { type: 'FIXED' | 'EXPONENTIAL'; delayMs: number } | null;
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
const MAX_DELAY_MS = 365 * 86_400_000;

function checkInt(field: string, value: number | null | undefined, min: number, max: number): void {
  if (value === null || value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw badInput(field, `${field.split('.').pop()} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Refuses impossible options; `field` prefixes the error's field path (e.g. "options"). */
export function checkOptions(options: JobOptionsRequest | null | undefined, field = 'options'): void {
  if (!options) return;
  checkInt(`${field}.delayMs`, options.delayMs, 0, MAX_DELAY_MS);
  checkInt(`${field}.priority`, options.priority, 0, MAX_PRIORITY);
  checkInt(`${field}.attempts`, options.attempts, 1, 100);
  checkInt(`${field}.removeOnCompleteAfterSeconds`, options.removeOnCompleteAfterSeconds, 0, 365 * 86_400);
  if (options.backoff) checkInt(`${field}.backoff.delayMs`, options.backoff.delayMs, 0, MAX_DELAY_MS);
  if (options.dedupKey !== null && options.dedupKey !== undefined && (options.dedupKey.length === 0 || options.dedupKey.length > 200)) {
    throw badInput(`${field}.dedupKey`, 'dedupKey must be 1 to 200 characters');
  }
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
 * record in `opts.jobgate`: owner, request id, and the expiry the caller asked for when it is
 * sooner than the queue's retention (the workers remove such jobs themselves: JobExpiry).
 */
export function toBullOptions(
  type: string,
  defaults: JobDefaults,
  options: JobOptionsRequest | null | undefined,
  meta: JobgateMeta,
  config: Config,
  keepCompletedSeconds: number,
): JobsOptions & { jobgate: JobgateMeta } {
  const backoff = options?.backoff
    ? { type: options.backoff.type === 'FIXED' ? 'fixed' : 'exponential', delay: options.backoff.delayMs }
    : defaults.backoff && { type: defaults.backoff.type, delay: defaults.backoff.delayMs };
  const expireAfterSeconds = options?.removeOnCompleteAfterSeconds ?? undefined;
  return {
    attempts: options?.attempts ?? defaults.attempts ?? 1,
    ...(backoff && { backoff }),
    ...(options?.delayMs ? { delay: options.delayMs } : {}),
    ...((options?.priority ?? defaults.priority) ? { priority: options?.priority ?? defaults.priority } : {}),
    ...(options?.dedupKey ? { deduplication: { id: dedupId(meta.owner, type, options.dedupKey) } } : {}),
    removeOnComplete: { age: keepCompletedSeconds, count: config.keepJobsCount },
    removeOnFail: { age: config.keepFailedSeconds, count: config.keepJobsCount },
    jobgate: expireAfterSeconds !== undefined && expireAfterSeconds < keepCompletedSeconds ? { ...meta, expireAfterSeconds } : meta,
  };
}
