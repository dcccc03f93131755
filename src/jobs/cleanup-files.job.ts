import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { IsInt, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { Role } from '../auth/caller';
import { defineJob } from './job-definition';

@InputType({ description: 'Input of the cleanupFiles job.' })
export class CleanupFilesInput {
  @Field(() => Int, { description: 'Files last modified more than this many days ago are deleted.' })
  @IsInt()
  @Min(0)
  @Max(36500)
  olderThanDays: number = 30;
}

/** Walks `dir` recursively, yielding regular files. */
async function* filesUnder(dir: string): AsyncGenerator<string> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (entry.isFile()) yield full;
  }
}

/** Deletes old files from the storage directory; runs daily at 02:00 like a beat schedule. */
export const cleanupFiles = defineJob({
  name: 'cleanupFiles',
  queue: 'maintenance',
  description: 'Deletes files older than N days from the storage directory.',
  input: CleanupFilesInput,
  // Deleting storage is an operator's call, not a submitter's.
  roles: [Role.ADMIN],
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 60_000 } },
  schedules: (config) => [{ id: 'cleanupFiles-daily', cron: '0 2 * * *', timeZone: config.scheduleTimeZone, data: { olderThanDays: 30 } }],
  async process(input, { config, signal, log, progress }) {
    const cutoff = Date.now() - input.olderThanDays * 86_400_000;
    let deleted = 0;
    let freedBytes = 0;
    for await (const file of filesUnder(config.storageDir)) {
      signal.throwIfAborted();
      const info = await stat(file);
      if (info.mtimeMs < cutoff) {
        await rm(file, { force: true });
        deleted += 1;
        freedBytes += info.size;
      }
    }
    await progress({ percent: 100, message: `${deleted} files deleted` });
    await log(`deleted ${deleted} files (${freedBytes} bytes) older than ${input.olderThanDays} days`);
    return { deleted, freedBytes };
  },
});
