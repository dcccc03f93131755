import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { Role } from '../../src/auth/caller';
import { defineJob, sleep, type JobContext } from '../../src/jobs/job-definition';
import { FleetQueue, random } from './fleet';

/**
 * Deletes the rows of a simulated table older than `maxAgeMs`, in chunks of 1,000 with progress
 * per chunk, as the seed's cleanup tasks deleted from PostgreSQL and Redis. The table (its size
 * and ages) is generated from the job id: nothing is stored.
 */
async function cleanTable(context: JobContext, table: string, rows: number, maxAgeMs: number, oldestMs: number) {
  const next = random(`${table}:${context.job.id}`);
  const chunks = Math.ceil(rows / 1000);
  let deleted = 0;
  for (let chunk = 0; chunk < chunks; chunk++) {
    context.signal.throwIfAborted();
    for (let row = chunk * 1000; row < Math.min(rows, (chunk + 1) * 1000); row++) if (next() * oldestMs > maxAgeMs) deleted += 1;
    await sleep(5, context.signal);
    await context.progress({ current: chunk + 1, total: chunks, message: `${deleted} ${table} deleted` });
  }
  await context.log(`deleted ${deleted} of ${rows} ${table} older than ${Math.round(maxAgeMs / 3_600_000)} h`);
  return { status: 'success', table, scanned: rows, deleted, kept: rows - deleted };
}

@InputType('FleetRetentionInput', { description: 'How many days of fleet data to keep.' })
export class FleetRetentionInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(3650)
  daysToKeep: number = 30;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const cleanupDefaults = { attempts: 3, backoff: { type: 'exponential' as const, delayMs: 60_000 } };

export const cleanupOldPositions = defineJob({
  name: 'cleanupOldPositions',
  queue: FleetQueue.CLEANUP,
  description: 'Fleet example: deletes positions older than daysToKeep (default 30); scheduled hourly.',
  input: FleetRetentionInput,
  roles: [Role.ADMIN],
  defaults: cleanupDefaults,
  schedules: () => [{ id: 'fleet-cleanup-old-positions', everyMs: HOUR, data: { daysToKeep: 30 } }],
  process: (input, context) => cleanTable(context, 'positions', 20_000, input.daysToKeep * DAY, 60 * DAY),
});

export const cleanupOldEvents = defineJob({
  name: 'cleanupOldEvents',
  queue: FleetQueue.CLEANUP,
  description: 'Fleet example: deletes events (alerts, status changes) older than daysToKeep; scheduled hourly with 90.',
  input: FleetRetentionInput,
  roles: [Role.ADMIN],
  defaults: cleanupDefaults,
  schedules: () => [{ id: 'fleet-cleanup-old-events', everyMs: HOUR, data: { daysToKeep: 90 } }],
  process: (input, context) => cleanTable(context, 'events', 5_000, input.daysToKeep * DAY, 180 * DAY),
});

@InputType('CleanupExpiredSessionsInput', { description: 'Input of the cleanupExpiredSessions job.' })
export class CleanupExpiredSessionsInput {
  @Field(() => Int, { description: 'Sessions idle longer than this are expired, hours.' })
  @IsInt()
  @Min(1)
  @Max(24 * 365)
  maxIdleHours: number = 24;
}

export const cleanupExpiredSessions = defineJob({
  name: 'cleanupExpiredSessions',
  queue: FleetQueue.CLEANUP,
  description: 'Fleet example: deletes expired sessions; scheduled every 30 minutes.',
  input: CleanupExpiredSessionsInput,
  roles: [Role.ADMIN],
  defaults: cleanupDefaults,
  schedules: () => [{ id: 'fleet-cleanup-expired-sessions', everyMs: 30 * 60_000, data: {} }],
  process: (input, context) => cleanTable(context, 'sessions', 2_000, input.maxIdleHours * HOUR, 72 * HOUR),
});

@InputType('CleanupCacheInput', { description: 'Input of the cleanupCache job (the seed: cleanup_cache(pattern, max_age_hours)).' })
export class CleanupCacheInput {
  @Field(() => String, { description: 'Glob of the cache keys to look at.' })
  @IsString()
  @MaxLength(100)
  @Matches(/^[A-Za-z0-9:_*?-]+$/)
  pattern: string = '*';

  @Field(() => Int)
  @IsInt()
  @Min(0)
  @Max(24 * 365)
  maxAgeHours: number = 24;
}

export const cleanupCache = defineJob({
  name: 'cleanupCache',
  queue: FleetQueue.CLEANUP,
  description: 'Fleet example: deletes cache entries matching a pattern older than maxAgeHours.',
  input: CleanupCacheInput,
  roles: [Role.ADMIN],
  defaults: cleanupDefaults,
  process: (input, context) => cleanTable(context, `cache entries ${input.pattern}`, 3_000, input.maxAgeHours * HOUR, 48 * HOUR),
});

export const cleanupJobs = [cleanupOldPositions, cleanupOldEvents, cleanupExpiredSessions, cleanupCache];
