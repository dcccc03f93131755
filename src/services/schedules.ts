import { Queue, type JobSchedulerJson } from 'bullmq';
import { CronExpressionParser } from 'cron-parser';
import type { Logger } from 'pino';
import { OwnerId, requireRole, Role, type Caller } from '../auth/caller';
import type { Config } from '../config';
import { badInput, notFound, unknownJobType } from '../errors';
import { jobgateKey, queuePrefix, type RedisClient } from '../redis/connections';
import type { JobRegistry } from '../jobs/registry';
import type { ScheduleDefinition } from '../jobs/job-definition';
import type { JobgateMeta } from '../jobs/job-view';
import type { EnqueueService } from './enqueue.service';
import { queueRetentionSeconds, toBullOptions } from './job-options';
import type { QueueSet } from './queue-set';

/** Owner recorded on jobs that schedules produce. */
export const SCHEDULER_OWNER = OwnerId.system('scheduler');

/** A schedule as clients see it. */
export interface ScheduleView {
  id: string;
  type: string;
  queue: string;
  cron: string | null;
  everyMs: number | null;
  timeZone: string | null;
  data: unknown;
  nextRunAt: Date | null;
  /** Global id of the last job this schedule started, when a Jobgate worker ran it. */
  lastJobId: string | null;
}

/** What `upsertSchedule` asks for. */
export interface ScheduleRequest {
  id: string;
  type: string;
  cron?: string | null;
  everyMs?: number | null;
  timeZone?: string | null;
  data?: unknown;
}

/**
 * Jobgate's record on a schedule declared in code (`schedules` of a job type): set in the
 * scheduler's job template, so it lives and dies with the scheduler. A schedule created or
 * replaced through `upsertSchedule` has none, and is never removed at start.
 */
type ScheduleMeta = JobgateMeta & { declaredSchedule?: true };

/** Key of the set of queues in which Jobgate has upserted declared schedules, so it finds them once their job type is gone. */
const declaredQueuesKey = (config: Config): string => `${config.queuePrefix}:jobgate:declared-schedule-queues`;

/** Whether `scheduler` was upserted from a job type's `schedules` (not through the API). */
const isDeclared = (scheduler: JobSchedulerJson): boolean =>
  (scheduler.template?.opts as { jobgate?: ScheduleMeta } | undefined)?.jobgate?.declaredSchedule === true;

/** Key of the hash `schedule id → last job id` of a queue (written by workers). */
export const lastScheduledJobKey = (config: Config, queue: string): string => jobgateKey(config, queue, 'schedule-last-job');

/**
 * Schedules (Celery beat) as BullMQ job schedulers, keyed by id: upserting the same id from
 * any number of processes leaves one schedule.
 */
export class ScheduleService {
  constructor(
    private readonly config: Config,
    private readonly registry: JobRegistry,
    private readonly queues: QueueSet,
    private readonly redis: RedisClient,
    private readonly enqueue: EnqueueService,
  ) {}

  async list(): Promise<ScheduleView[]> {
    const views: ScheduleView[] = [];
    for (const queue of this.registry.queues) {
      const [schedulers, last] = await Promise.all([
        this.queues.get(queue).getJobSchedulers(0, -1, true),
        this.redis.hgetall(lastScheduledJobKey(this.config, queue)),
      ]);
      for (const scheduler of schedulers) {
        const id = scheduler.id ?? scheduler.key;
        views.push({
          id,
          type: scheduler.name,
          queue,
          cron: scheduler.pattern ?? null,
          everyMs: scheduler.every ?? null,
          timeZone: scheduler.tz ?? null,
          data: scheduler.template?.data ?? {},
          nextRunAt: scheduler.next ? new Date(scheduler.next) : null,
          lastJobId: last[id] ?? null,
        });
      }
    }
    return views;
  }

  /** Creates or replaces a schedule (admin). Invalid cron, interval, time zone or data: BAD_USER_INPUT. */
  async upsert(request: ScheduleRequest, caller: Caller): Promise<ScheduleView> {
    requireRole(caller, Role.ADMIN, 'manage schedules');
    if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(request.id)) throw badInput('id', 'id must be 1 to 100 letters, digits or _ . : -');
    const definition = this.registry.get(request.type);
    if (!definition) throw unknownJobType(request.type, this.registry.names);
    // A schedule adds plain jobs (BullMQ job schedulers know no flows): the children would be missing.
    if (definition.children) throw badInput('type', `${definition.name} jobs come with children, which schedules cannot add`);
    if (Boolean(request.cron) === Boolean(request.everyMs)) throw badInput('cron', 'give exactly one of cron and everyMs');
    const timeZone = request.timeZone ?? this.config.scheduleTimeZone;
    try {
      new Intl.DateTimeFormat('en', { timeZone });
    } catch {
      throw badInput('timeZone', `"${timeZone}" is not an IANA time zone`);
    }
    if (request.cron) {
      try {
        CronExpressionParser.parse(request.cron, { tz: timeZone });
      } catch (error) {
        throw badInput('cron', `"${request.cron}" is not a valid cron expression: ${(error as Error).message}`);
      }
    }
    if (request.everyMs !== null && request.everyMs !== undefined && (!Number.isInteger(request.everyMs) || request.everyMs < 1000)) {
      throw badInput('everyMs', 'everyMs must be an integer of at least 1000');
    }
    const data = this.enqueue.validateData(definition, request.data ?? {}, 'data');
    // Without the declared mark: a schedule replaced through the API is the caller's from then on.
    await writeSchedule(this.config, this.registry, this.queues, definition.name, {
      id: request.id,
      cron: request.cron ?? undefined,
      everyMs: request.everyMs ?? undefined,
      timeZone,
      data,
    });
    const view = (await this.list()).find((schedule) => schedule.id === request.id);
    if (!view) throw notFound('Schedule', request.id);
    return view;
  }

  /** Removes a schedule (admin); false when there was none. */
  async remove(id: string, caller: Caller): Promise<boolean> {
    requireRole(caller, Role.ADMIN, 'manage schedules');
    const results = await Promise.all(this.registry.queues.map((queue) => this.queues.get(queue).removeJobScheduler(id)));
    return results.some(Boolean);
  }
}

/** Upserts one schedule of job type `type` as a BullMQ job scheduler; `declared` when it comes from the type's `schedules`. */
async function writeSchedule(
  config: Config,
  registry: JobRegistry,
  queues: QueueSet,
  type: string,
  schedule: ScheduleDefinition,
  declared = false,
): Promise<void> {
  const definition = registry.get(type);
  if (!definition) throw unknownJobType(type, registry.names);
  const repeat = schedule.cron ? { pattern: schedule.cron, tz: schedule.timeZone ?? config.scheduleTimeZone } : { every: schedule.everyMs };
  const keep = queueRetentionSeconds(
    registry.inQueue(definition.queue).map((other) => other.defaults),
    config,
  );
  const { jobgate, ...opts } = toBullOptions(
    definition,
    null,
    { owner: SCHEDULER_OWNER, requestId: `schedule:${schedule.id}` },
    config,
    keep,
  );
  const meta: ScheduleMeta = declared ? { ...jobgate, declaredSchedule: true } : jobgate;
  await queues.get(definition.queue).upsertJobScheduler(schedule.id, repeat, {
    name: type,
    data: schedule.data ?? {},
    opts: { ...opts, jobgate: meta } as typeof opts,
  });
}

/**
 * Upserts the schedules declared beside the job types (Celery beat), then removes the declared
 * schedules no job type declares any more (an example turned off, a type removed or moved to
 * another queue), so that nothing keeps adding jobs no worker knows. Run by every gateway and
 * worker at start: scheduler ids make it idempotent however many start at once. Processes
 * started with different job types (a rolling deploy that removes one) undo each other's
 * schedules until they agree: the last to start wins.
 */
export async function upsertDeclaredSchedules(config: Config, registry: JobRegistry, queues: QueueSet, logger: Logger): Promise<void> {
  const declared = new Map<string, Set<string>>();
  const schedules = registry.definitions.flatMap((definition) =>
    (definition.schedules?.(config) ?? []).map((schedule) => ({ definition, schedule })),
  );
  for (const { definition, schedule } of schedules) {
    declared.set(definition.queue, (declared.get(definition.queue) ?? new Set()).add(schedule.id));
  }
  const connection = queues.get(registry.queues[0]).opts.connection as RedisClient;
  // Recorded before the upserts: a process that stops between the two still leaves them findable.
  if (declared.size > 0) await connection.sadd(declaredQueuesKey(config), ...declared.keys());
  for (const { definition, schedule } of schedules) {
    await writeSchedule(config, registry, queues, definition.name, schedule, true);
    logger.info({ schedule: schedule.id, type: definition.name }, 'schedule upserted');
  }
  await removeUndeclaredSchedules(config, registry, queues, connection, declared, logger);
}

/**
 * Removes the declared schedules of the queues Jobgate has declared schedules in (the registered
 * ones and those recorded in earlier starts) that `declared` (queue → ids) does not list. Schedules
 * created through the API are left alone, even when their job type is gone: they are logged.
 */
async function removeUndeclaredSchedules(
  config: Config,
  registry: JobRegistry,
  queues: QueueSet,
  connection: RedisClient,
  declared: ReadonlyMap<string, ReadonlySet<string>>,
  logger: Logger,
): Promise<void> {
  const recorded = await connection.smembers(declaredQueuesKey(config));
  for (const name of new Set([...registry.queues, ...recorded])) {
    // A queue no job type uses any more is opened for this alone, on the same connection.
    const known = queues.has(name);
    const queue = known ? queues.get(name) : new Queue(name, { connection, prefix: queuePrefix(config, name), skipWaitingForReady: true });
    try {
      let kept = 0;
      for (const scheduler of await queue.getJobSchedulers(0, -1, true)) {
        const id = scheduler.id ?? scheduler.key;
        if (!isDeclared(scheduler)) {
          if (!registry.get(scheduler.name)) {
            logger.warn(
              { schedule: id, type: scheduler.name, queue: name },
              'schedule of a job type no worker knows, not declared in code (made through the API): left as it is; removeSchedule it',
            );
          }
        } else if (declared.get(name)?.has(id)) {
          kept += 1;
        } else {
          await queue.removeJobScheduler(id);
          logger.info({ schedule: id, type: scheduler.name, queue: name }, 'schedule no longer declared: removed');
        }
      }
      if (kept === 0 && !declared.has(name)) await connection.srem(declaredQueuesKey(config), name);
    } finally {
      if (!known) await queue.close();
    }
  }
}
