import { CronExpressionParser } from 'cron-parser';
import type { Logger } from 'pino';
import { OwnerId, requireRole, Role, type Caller } from '../auth/caller';
import type { Config } from '../config';
import { badInput, notFound, unknownJobType } from '../errors';
import { jobgateKey, type RedisClient } from '../redis/connections';
import type { JobRegistry } from '../jobs/registry';
import type { ScheduleDefinition } from '../jobs/job-definition';
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

/** Upserts one schedule of job type `type` as a BullMQ job scheduler. */
async function writeSchedule(
  config: Config,
  registry: JobRegistry,
  queues: QueueSet,
  type: string,
  schedule: ScheduleDefinition,
): Promise<void> {
  const definition = registry.get(type);
  if (!definition) throw unknownJobType(type, registry.names);
  const repeat = schedule.cron ? { pattern: schedule.cron, tz: schedule.timeZone ?? config.scheduleTimeZone } : { every: schedule.everyMs };
  const keep = queueRetentionSeconds(
    registry.inQueue(definition.queue).map((other) => other.defaults),
    config,
  );
  const { jobgate, ...opts } = toBullOptions(
    type,
    definition.defaults,
    null,
    { owner: SCHEDULER_OWNER, requestId: `schedule:${schedule.id}` },
    config,
    keep,
  );
  await queues.get(definition.queue).upsertJobScheduler(schedule.id, repeat, {
    name: type,
    data: schedule.data ?? {},
    opts: { ...opts, jobgate } as typeof opts,
  });
}

/**
 * Upserts the schedules declared beside the job types (Celery beat). Run by every gateway
 * and worker at start: scheduler ids make it idempotent however many start at once.
 */
export async function upsertDeclaredSchedules(config: Config, registry: JobRegistry, queues: QueueSet, logger: Logger): Promise<void> {
  for (const definition of registry.definitions) {
    for (const schedule of definition.schedules?.(config) ?? []) {
      await writeSchedule(config, registry, queues, definition.name, schedule);
      logger.info({ schedule: schedule.id, type: definition.name }, 'schedule upserted');
    }
  }
}
