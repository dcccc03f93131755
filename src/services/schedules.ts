import type { Logger } from 'pino';
import type { Config } from '../config';
import type { JobRegistry } from '../workers/registry';
import type { QueueSet } from './queue-set';
import { toBullOptions } from './job-options';

/** Owner recorded on jobs that schedules produce. */
export const SCHEDULER_OWNER = 'scheduler';

/**
 * Upserts the schedules declared beside the job types (Celery beat). BullMQ job schedulers
 * are keyed by id, so any number of processes starting at once leave one schedule each.
 */
export async function upsertDeclaredSchedules(config: Config, registry: JobRegistry, queues: QueueSet, logger: Logger): Promise<void> {
  for (const definition of registry.definitions) {
    for (const schedule of definition.schedules?.(config) ?? []) {
      const repeat = schedule.cron ? { pattern: schedule.cron, tz: schedule.timeZone ?? config.scheduleTimeZone } : { every: schedule.everyMs };
      const { jobgate, ...opts } = toBullOptions(definition.name, definition.defaults, null, { owner: SCHEDULER_OWNER, requestId: schedule.id }, config);
      await queues.get(definition.queue).upsertJobScheduler(schedule.id, repeat, {
        name: definition.name,
        data: schedule.data ?? {},
        opts: { ...opts, jobgate } as typeof opts,
      });
      logger.info({ schedule: schedule.id, type: definition.name, ...repeat }, 'schedule upserted');
    }
  }
}
