import type { BackoffDefinition, JobDefinition } from './job-definition';

/**
 * The BullMQ backoff type of the jobs Jobgate enqueues. BullMQ computes its built-in `fixed` and
 * `exponential` backoffs itself, without a cap and without the error at hand; for any other type
 * it calls the worker's `settings.backoffStrategy` with the error, which is where a job type's
 * countdown per kind of error, the cap and the jitter are applied (workers/backoff).
 */
export const JOBGATE_BACKOFF = 'jobgate';

/** The longest delay between attempts, ms: 2^31 - 1 (about 24.8 days), the largest GraphQL `Int`. */
export const MAX_BACKOFF_MS = 2_147_483_647;

/** A job's backoff as stored in its BullMQ options (`opts.backoff`): what the worker's strategy reads. */
export interface StoredBackoff {
  type: typeof JOBGATE_BACKOFF;
  /** The first retry's delay, ms. */
  delay: number;
  growth: 'fixed' | 'exponential';
  /** Cap of each delay, ms. */
  maxDelay?: number;
  /** 0 to 1 (BullMQ checks this field's range when the job is added). */
  jitter?: number;
}

/** `backoff` as stored in a job; no backoff (an immediate retry) but for the countdowns of the job's type. */
export function toStoredBackoff(backoff: BackoffDefinition | undefined): StoredBackoff {
  return {
    type: JOBGATE_BACKOFF,
    delay: backoff?.delayMs ?? 0,
    growth: backoff?.type ?? 'fixed',
    ...(backoff?.maxDelayMs !== undefined && { maxDelay: backoff.maxDelayMs }),
    ...(backoff?.jitter ? { jitter: backoff.jitter } : {}),
  };
}

/** BullMQ's own backoff, which any BullMQ worker computes (with its jitter, in the same range as Jobgate's). */
export interface BuiltinBackoff {
  type: 'fixed' | 'exponential';
  delay: number;
  jitter?: number;
}

/**
 * The backoff a job carries. BullMQ's own `fixed` or `exponential` when that says it all, so
 * that any BullMQ worker (an older Jobgate worker, a plain one) retries the job as Jobgate
 * would; Jobgate's type only when the worker's strategy is needed: a cap, or a countdown per kind
 * of error declared by the job's type. None (an immediate retry) when neither is asked.
 */
export function toJobBackoff(backoff: BackoffDefinition | undefined, hasCountdown: boolean): StoredBackoff | BuiltinBackoff | undefined {
  if (hasCountdown || backoff?.maxDelayMs !== undefined) return toStoredBackoff(backoff);
  if (!backoff) return undefined;
  return { type: backoff.type, delay: backoff.delayMs, ...(backoff.jitter ? { jitter: backoff.jitter } : {}) };
}

/** Whether `value` (a job's `opts.backoff`) is a backoff Jobgate stored. */
export function isStoredBackoff(value: unknown): value is StoredBackoff {
  if (value === null || typeof value !== 'object') return false;
  const backoff = value as Partial<StoredBackoff>;
  return (
    backoff.type === JOBGATE_BACKOFF &&
    typeof backoff.delay === 'number' &&
    (backoff.growth === 'fixed' || backoff.growth === 'exponential')
  );
}

/** The delay of the `retry`-th retry (1 for the first) before jitter: grown, then capped. */
export function cappedDelay(backoff: StoredBackoff, retry: number): number {
  const grown = backoff.growth === 'exponential' ? backoff.delay * 2 ** Math.max(0, retry - 1) : backoff.delay;
  return Math.round(Math.min(grown, backoff.maxDelay ?? MAX_BACKOFF_MS, MAX_BACKOFF_MS));
}

/**
 * The `retry`-th retry's delay: the capped delay less a random part of up to `jitter` of it, so
 * within `[capped × (1 - jitter), capped]` (BullMQ's own jitter has that range). Celery's
 * `retry_jitter=True` is `jitter: 1`.
 */
export function backoffDelay(backoff: StoredBackoff, retry: number, random: () => number = Math.random): number {
  const capped = cappedDelay(backoff, retry);
  const jitter = Math.min(1, Math.max(0, backoff.jitter ?? 0));
  return jitter > 0 ? Math.floor(capped * (1 - jitter * random())) : capped;
}

/** Throws a TypeError naming `definition` when its declared backoff is out of range. */
export function checkBackoffDefinition(definition: Pick<JobDefinition, 'name' | 'defaults'>): void {
  const backoff = definition.defaults.backoff;
  if (!backoff) return;
  const { delayMs, maxDelayMs, jitter } = backoff;
  const bad = (what: string): never => {
    throw new TypeError(`Job type "${definition.name}": defaults.backoff.${what}`);
  };
  if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_BACKOFF_MS) bad(`delayMs must be an integer from 0 to ${MAX_BACKOFF_MS}`);
  if (maxDelayMs !== undefined && (!Number.isInteger(maxDelayMs) || maxDelayMs < delayMs || maxDelayMs > MAX_BACKOFF_MS))
    bad(`maxDelayMs must be an integer from delayMs to ${MAX_BACKOFF_MS}`);
  if (jitter !== undefined && !(jitter >= 0 && jitter <= 1)) bad('jitter must be from 0 to 1');
}
