import type { Job } from 'bullmq';
import { validateSync, type ValidationError } from 'class-validator';
import { hasRole, Role, type Caller } from '../auth/caller';
import type { Config } from '../config';
import { badInput, forbidden, JobgateError, unknownJobType } from '../errors';
import type { JobDefinition } from '../workers/job-definition';
import type { JobRegistry } from '../workers/registry';
import { checkOptions, toBullOptions, type JobOptionsRequest } from './job-options';
import type { JobStore } from './job-store';
import type { EnqueueRateLimiter } from './rate-limiter';
import { JobState, viewOf, type JobView } from './job-view';

/** One job to enqueue, as a resolver received it. */
export interface EnqueueRequest {
  type: string;
  data: unknown;
  options?: JobOptionsRequest | null;
}

/** Who enqueues, for ownership and log correlation. */
export interface EnqueueOrigin {
  caller: Caller;
  requestId: string;
}

function firstViolation(errors: ValidationError[], path: string): { field: string; message: string } | undefined {
  for (const error of errors) {
    const field = `${path}.${error.property}`;
    if (error.constraints) return { field, message: `${field}: ${Object.values(error.constraints)[0]}` };
    const nested = firstViolation(error.children ?? [], field);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * Jobs per `addBulk` call of a batch. BullMQ writes an `addBulk` to Redis only once every job
 * of it is encoded; the chunks of one batch are written one after the other without waiting
 * for replies (one round trip, in order, on one connection), so Redis runs the first chunk
 * while the gateway encodes the next. 100 measured best among 50 to 1,000 (README, *Performance*).
 */
const ADD_BULK_CHUNK = 100;

/** Admins enqueue anything; submitters what the type allows (every type without `roles`). */
function mayEnqueue(caller: Caller, definition: JobDefinition): boolean {
  if (hasRole(caller, Role.ADMIN)) return true;
  if (!hasRole(caller, Role.SUBMITTER)) return false;
  return !definition.roles || definition.roles.some((role) => hasRole(caller, role));
}

/** The state a job is in right after `add` (before any worker sees it). */
function initialState(job: Job): JobState {
  if (job.opts.delay) return JobState.DELAYED;
  if (job.opts.priority) return JobState.PRIORITIZED;
  return JobState.WAITING;
}

/**
 * Validates and enqueues jobs. Data is validated against the type's input class (unknown
 * fields refused, defaults applied), options are checked against BullMQ's ranges.
 */
export class EnqueueService {
  constructor(
    private readonly config: Config,
    private readonly registry: JobRegistry,
    private readonly store: JobStore,
    private readonly rateLimiter: EnqueueRateLimiter,
  ) {}

  async enqueue(request: EnqueueRequest, origin: EnqueueOrigin, field = 'data'): Promise<JobView> {
    const { definition, data, options } = this.prepare(request, field, 'options', origin.caller);
    await this.rateLimiter.take(origin.caller.id, 1);
    const job = await this.store.queues.get(definition.queue).add(definition.name, data, this.bullOptions(definition, options, origin));
    return this.viewAfterAdd(job, options);
  }

  /** Enqueues a batch: validated whole first, then `addBulk` per queue in chunks of {@link ADD_BULK_CHUNK}. */
  async enqueueMany(requests: EnqueueRequest[], origin: EnqueueOrigin): Promise<JobView[]> {
    if (requests.length > this.config.maxBatchSize) {
      throw badInput('jobs', `at most ${this.config.maxBatchSize} jobs per enqueueMany, got ${requests.length}`);
    }
    const prepared = requests.map((request, index) => this.prepare(request, `jobs.${index}.data`, `jobs.${index}.options`, origin.caller));
    await this.rateLimiter.take(origin.caller.id, requests.length);
    const byQueue = new Map<string, number[]>();
    prepared.forEach(({ definition }, index) => {
      const indexes = byQueue.get(definition.queue);
      if (indexes) indexes.push(index);
      else byQueue.set(definition.queue, [index]);
    });
    const views: JobView[] = new Array(requests.length);
    const chunks: number[][] = [];
    for (const indexes of byQueue.values()) {
      for (let start = 0; start < indexes.length; start += ADD_BULK_CHUNK) chunks.push(indexes.slice(start, start + ADD_BULK_CHUNK));
    }
    await Promise.all(
      chunks.map(async (indexes) => {
        const jobs = await this.store.queues.get(prepared[indexes[0]].definition.queue).addBulk(
          indexes.map((index) => {
            const { definition, data, options } = prepared[index];
            return { name: definition.name, data, opts: this.bullOptions(definition, options, origin) };
          }),
        );
        const added = await Promise.all(jobs.map((job, position) => this.viewAfterAdd(job, prepared[indexes[position]].options)));
        added.forEach((view, position) => (views[indexes[position]] = view));
      }),
    );
    return views;
  }

  private bullOptions(definition: JobDefinition, options: JobOptionsRequest | null | undefined, origin: EnqueueOrigin) {
    return toBullOptions(definition.name, definition.defaults, options, { owner: origin.caller.id, requestId: origin.requestId }, this.config);
  }

  /**
   * A deduplicated add returns the existing job's id: read that job rather than echo our data.
   * Without a dedup key the view is built at once (no promise per job of a batch).
   */
  private viewAfterAdd(job: Job, options: JobOptionsRequest | null | undefined): JobView | Promise<JobView> {
    if (!options?.dedupKey) return viewOf(job, initialState(job));
    return this.store.load({ queue: job.queueName, jobId: job.id ?? '' }).then((existing) => existing ?? viewOf(job, initialState(job)));
  }

  private prepare(request: EnqueueRequest, dataField: string, optionsField: string, caller: Caller) {
    const definition = this.registry.get(request.type);
    if (!definition) throw unknownJobType(request.type, this.registry.names);
    if (!mayEnqueue(caller, definition)) throw forbidden(`enqueue ${definition.name} jobs`);
    checkOptions(request.options, optionsField);
    const data = this.validateData(definition, request.data, dataField);
    return { definition, data, options: request.options };
  }

  /**
   * Checks `raw` against the type's input class; returns plain data with defaults applied.
   * Synchronous: job inputs use no async validators, and a batch of 1,000 would otherwise
   * allocate a promise per constraint per job.
   */
  validateData(definition: JobDefinition, raw: unknown, field: string): Record<string, unknown> {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw badInput(field, `${field} must be an object`);
    const size = Buffer.byteLength(JSON.stringify(raw));
    if (size > this.config.maxJobDataBytes) throw badInput(field, `${field} is ${size} bytes; the limit is ${this.config.maxJobDataBytes}`);
    const input = Object.assign(new definition.input(), raw);
    const errors = validateSync(input, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    const violation = firstViolation(errors, field);
    if (violation) throw badInput(violation.field, violation.message);
    try {
      definition.check?.(input, this.config);
    } catch (error) {
      if (error instanceof JobgateError && typeof error.extensions.field === 'string') throw badInput(`${field}.${error.extensions.field}`, error.message);
      throw error;
    }
    return { ...input } as Record<string, unknown>;
  }
}
