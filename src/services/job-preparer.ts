import type { Context as TraceContext } from '@opentelemetry/api';
import { validateSync, type ValidationError } from 'class-validator';
import type { Job, JobsOptions } from 'bullmq';
import { hasRole, Role, type Caller } from '../auth/caller';
import type { Config } from '../config';
import { badInput, forbidden, JobgateError, unknownJobType } from '../errors';
import { queuesOf, type JobDefinition } from '../jobs/job-definition';
import { JobState, type JobgateMeta } from '../jobs/job-view';
import type { JobRegistry } from '../jobs/registry';
import { checkBackoffDefinition } from '../jobs/retry-policy';
import { checkOptions, childFailureOptions, queueRetentionSeconds, toBullOptions, type JobOptionsRequest } from './job-options';

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
  /** The operation's span, the parent of the enqueue's (tracing on). */
  trace?: TraceContext;
}

/** A request that passed every check: its type, its data with defaults applied, its options. */
export interface PreparedJob {
  /**
   * Its job type, as routed for this job: `definition.queue` is the queue it goes to, the type's
   * own or the one the caller chose (`options.queue`), so every path that adds it (a batch, a
   * flow's node, the owner index) uses that queue.
   */
  definition: JobDefinition;
  data: Record<string, unknown>;
  options: JobOptionsRequest | null | undefined;
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

/** Admins enqueue anything; submitters what the type allows (every type without `roles`). */
function mayEnqueue(caller: Caller, definition: JobDefinition): boolean {
  if (hasRole(caller, Role.ADMIN)) return true;
  if (!hasRole(caller, Role.SUBMITTER)) return false;
  return !definition.roles || definition.roles.some((role) => hasRole(caller, role));
}

/** The state a job is in right after `add` (before any worker sees it). */
export function initialState(job: Job): JobState {
  if (job.opts.delay) return JobState.DELAYED;
  if (job.opts.priority) return JobState.PRIORITIZED;
  return JobState.WAITING;
}

/**
 * The checks every enqueue path makes on one job (`enqueue`, `enqueueMany`, the typed mutations,
 * every node of `enqueueFlow`, schedules' data), and the BullMQ options it then gets. Data is
 * validated against the type's input class (unknown fields refused, defaults applied), options
 * against BullMQ's ranges, the queues the type allows (`options.queue`) and the queue's
 * retention; errors name the field under the paths given.
 */
export class JobPreparer {
  /** Seconds each queue keeps completed jobs (one value per queue: see queueRetentionSeconds). */
  private readonly retention: ReadonlyMap<string, number>;

  constructor(
    private readonly config: Config,
    readonly registry: JobRegistry,
  ) {
    for (const definition of registry.definitions) checkBackoffDefinition(definition);
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

  /** How long `queue` keeps completed jobs (s). */
  retentionOf(queue: string): number {
    return this.retention.get(queue) ?? this.config.keepCompletedSeconds;
  }

  /**
   * Checks the type, the caller's right to enqueue it, the options and the data; `dataField`,
   * `optionsField` and `typeField` are the paths errors name (`children.2.data` in a flow).
   */
  prepare(
    request: EnqueueRequest,
    dataField: string,
    optionsField: string,
    caller: Caller,
    typeField = 'type',
    hasParent = false,
  ): PreparedJob {
    const definition = this.registry.get(request.type);
    if (!definition) {
      const error = unknownJobType(request.type, this.registry.names);
      error.extensions.field = typeField;
      throw error;
    }
    if (!mayEnqueue(caller, definition)) throw forbidden(`enqueue ${definition.name} jobs`);
    checkOptions(request.options, optionsField);
    if (!hasParent && request.options?.onChildFailure) {
      throw badInput(`${optionsField}.onChildFailure`, 'onChildFailure applies to a job with a parent: give it to a child in enqueueFlow');
    }
    const routed = this.route(definition, request.options?.queue, `${optionsField}.queue`);
    const keep = this.retentionOf(routed.queue);
    const expiry = request.options?.removeOnCompleteAfterSeconds;
    if (expiry !== null && expiry !== undefined && expiry > keep) {
      throw badInput(
        `${optionsField}.removeOnCompleteAfterSeconds`,
        `removeOnCompleteAfterSeconds may be at most ${keep}: queue ${routed.queue} keeps completed jobs that long (KEEP_COMPLETED_SECONDS)`,
      );
    }
    const data = this.validateData(definition, request.data, dataField);
    return { definition: routed, data, options: request.options };
  }

  /**
   * `definition` routed to `queue` (Celery's `apply_async(queue=…)`): itself for its own queue or
   * none, a copy naming `queue` for one of its extra `queues`; any other queue is refused on `field`.
   */
  private route(definition: JobDefinition, queue: string | null | undefined, field: string): JobDefinition {
    if (queue === null || queue === undefined || queue === definition.queue) return definition;
    const allowed = queuesOf(definition);
    if (!allowed.includes(queue)) {
      throw badInput(field, `${definition.name} jobs may go to ${allowed.join(', ')}; not to "${queue.slice(0, 100)}"`);
    }
    return { ...definition, queue };
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

  /** The BullMQ options of a prepared job enqueued by `origin`; a child's carry its failure policy. */
  bullOptions(
    definition: JobDefinition,
    options: JobOptionsRequest | null | undefined,
    origin: EnqueueOrigin,
    hasParent = false,
  ): JobsOptions & { jobgate: JobgateMeta } {
    const bull = toBullOptions(
      definition,
      options,
      { owner: origin.caller.id, requestId: origin.requestId },
      this.config,
      this.retentionOf(definition.queue),
    );
    return hasParent ? { ...bull, ...childFailureOptions(options?.onChildFailure) } : bull;
  }
}
