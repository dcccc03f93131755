import type { Job } from 'bullmq';
import { validateSync, type ValidationError } from 'class-validator';
import { canRead, hasRole, Role, type Caller } from '../auth/caller';
import type { Config } from '../config';
import { badInput, forbidden, JobgateError, unknownJobType } from '../errors';
import type { JobDefinition } from '../jobs/job-definition';
import type { JobRegistry } from '../jobs/registry';
import { checkOptions, queueRetentionSeconds, toBullOptions, type JobOptionsRequest } from './job-options';
import type { JobStore } from './job-store';
import type { EnqueueRateLimiter } from './rate-limiter';
import { JobState, viewOf, type JobView } from '../jobs/job-view';

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

/** One input field that failed validation, and why. */
interface Violation {
  field: string;
  message: string;
}

/**
 * Constraints that say what a value must be, reported before the others: a list given where a
 * string is expected fails `maxLength` too, but "must be a string" is what is wrong.
 */
const FIRST_CONSTRAINTS = [
  'whitelistValidation',
  'isDefined',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'isArray',
  'isObject',
  'isEnum',
  'isIn',
];

/** The constraint of `constraints` to report. */
function reportedConstraint(constraints: Record<string, string>): string {
  const name = FIRST_CONSTRAINTS.find((candidate) => candidate in constraints) ?? Object.keys(constraints)[0];
  return constraints[name];
}

/** Every invalid field of a validated input, each with the constraint that failed (a missing one as required). */
function violations(errors: ValidationError[], path: string): Violation[] {
  return errors.flatMap((error) => {
    const field = `${path}.${error.property}`;
    const own = error.constraints
      ? [
          {
            field,
            message:
              error.value === undefined && !('whitelistValidation' in error.constraints)
                ? `${field} is required`
                : `${field}: ${reportedConstraint(error.constraints)}`,
          },
        ]
      : [];
    return [...own, ...violations(error.children ?? [], field)];
  });
}

/**
 * Jobs per `addBulk` call of a batch. BullMQ writes an `addBulk` to Redis only once every job
 * of it is encoded; the chunks of one batch are written one after the other without waiting
 * for replies (one round trip, in order, on one connection), so Redis runs the first chunk
 * while the gateway encodes the next. 100 measured best among 50 to 1,000 (docs/performance.md).
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
  /** Seconds each queue keeps completed jobs (one value per queue: see queueRetentionSeconds). */
  private readonly retention: ReadonlyMap<string, number>;

  constructor(
    private readonly config: Config,
    private readonly registry: JobRegistry,
    private readonly store: JobStore,
    private readonly rateLimiter: EnqueueRateLimiter,
  ) {
    this.retention = new Map(
      registry.queues.map((queue) => [
        queue,
        queueRetentionSeconds(
          registry.inQueue(queue).map((type) => type.defaults),
          config,
        ),
      ]),
    );
  }

  async enqueue(request: EnqueueRequest, origin: EnqueueOrigin, field = 'data'): Promise<JobView> {
    const { definition, data, options } = this.prepare(request, field, 'options', origin.caller);
    await this.rateLimiter.take(origin.caller.id, 1);
    const job = await this.store.queues.get(definition.queue).add(definition.name, data, this.bullOptions(definition, options, origin));
    return this.viewAfterAdd(job, options, origin.caller, 'options');
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
        const added = await Promise.all(
          jobs.map((job, position) =>
            this.viewAfterAdd(job, prepared[indexes[position]].options, origin.caller, `jobs.${indexes[position]}.options`),
          ),
        );
        added.forEach((view, position) => (views[indexes[position]] = view));
      }),
    );
    return views;
  }

  private bullOptions(definition: JobDefinition, options: JobOptionsRequest | null | undefined, origin: EnqueueOrigin) {
    return toBullOptions(
      definition.name,
      definition.defaults,
      options,
      { owner: origin.caller.id, requestId: origin.requestId },
      this.config,
      this.retention.get(definition.queue) ?? this.config.keepCompletedSeconds,
    );
  }

  /**
   * A deduplicated add returns the existing job's id: read that job rather than echo our data,
   * and only when the caller may see it (dedup ids are per owner, so it always should).
   * Without a dedup key the view is built at once (no promise per job of a batch).
   */
  private viewAfterAdd(
    job: Job,
    options: JobOptionsRequest | null | undefined,
    caller: Caller,
    optionsField: string,
  ): JobView | Promise<JobView> {
    if (!options?.dedupKey) return viewOf(job, initialState(job));
    return this.store.load({ queue: job.queueName, jobId: job.id ?? '' }).then((existing) => {
      if (existing && !canRead(caller, existing.owner)) throw badInput(`${optionsField}.dedupKey`, 'dedupKey is in use');
      return existing ?? viewOf(job, initialState(job));
    });
  }

  private prepare(request: EnqueueRequest, dataField: string, optionsField: string, caller: Caller) {
    const definition = this.registry.get(request.type);
    if (!definition) throw unknownJobType(request.type, this.registry.names);
    if (!mayEnqueue(caller, definition)) throw forbidden(`enqueue ${definition.name} jobs`);
    checkOptions(request.options, optionsField);
    const keep = this.retention.get(definition.queue) ?? this.config.keepCompletedSeconds;
    const expiry = request.options?.removeOnCompleteAfterSeconds;
    if (expiry !== null && expiry !== undefined && expiry > keep) {
      throw badInput(
        `${optionsField}.removeOnCompleteAfterSeconds`,
        `removeOnCompleteAfterSeconds may be at most ${keep}: queue ${definition.queue} keeps completed jobs that long (KEEP_COMPLETED_SECONDS)`,
      );
    }
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
    // Object.assign would take a `__proto__` key of parsed JSON as the object's prototype.
    if (Object.hasOwn(raw, '__proto__')) throw badInput(`${field}.__proto__`, `${field}.__proto__: property __proto__ should not exist`);
    const input = Object.assign(new definition.input(), raw);
    const invalid = violations(validateSync(input, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }), field);
    if (invalid.length > 0)
      throw badInput(invalid[0].field, invalid.map((violation) => violation.message).join('; '), { violations: invalid });
    try {
      definition.check?.(input, this.config);
    } catch (error) {
      if (error instanceof JobgateError && typeof error.extensions.field === 'string')
        throw badInput(`${field}.${error.extensions.field}`, error.message);
      throw error;
    }
    return { ...input } as Record<string, unknown>;
  }
}
