import type { Job } from 'bullmq';
import type { Config } from '../config';
import { CUSTOM_EVENTS } from '../events/stream-entry';
import { eventStreamKey, jobKey, type RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';

/**
 * Appends a line to a job's log (as BullMQ's `addLog`: only while the job exists, trimmed to
 * `keepLogs`) and its LOG event to the queue's event stream (as `QueueEventsProducer` writes
 * it), in one script. Two commands left a moment when a SNAPSHOT read between them held the
 * line and a cursor before its LOG event: the watcher got the line twice. Every key is in the
 * queue's hash slot. Returns -1 when the job is gone (then nothing is written).
 */
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) ~= 1 then return -1 end
local count = redis.call('RPUSH', KEYS[2], ARGV[1])
if ARGV[2] ~= '' then
  local keep = tonumber(ARGV[2])
  redis.call('LTRIM', KEYS[2], -keep, -1)
  count = math.min(keep, count)
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[4], 'jobId', ARGV[5], 'line', ARGV[1])
return count`;

/** Writes the log lines of a worker process's jobs, each with its LOG event. */
export class JobLogWriter {
  private readonly appendWithEvent: (
    jobKey: string,
    logsKey: string,
    eventsKey: string,
    line: string,
    keepLogs: string,
    maxLen: number,
    event: string,
    jobId: string,
  ) => Promise<number>;

  constructor(
    private readonly config: Config,
    redis: RedisClient,
  ) {
    this.appendWithEvent = defineScript(redis, 'jobgateAppendLog', 3, APPEND_SCRIPT);
  }

  /** Appends `line` to `job`'s log and announces it to watchers; fails when the job is gone. */
  async append(job: Job, line: string): Promise<void> {
    const id = job.id ?? '';
    const key = jobKey(this.config, job.queueName, id);
    const keepLogs = job.opts.keepLogs === undefined ? '' : String(job.opts.keepLogs);
    const written = await this.appendWithEvent(
      key,
      `${key}:logs`,
      eventStreamKey(this.config, job.queueName),
      line,
      keepLogs,
      this.config.eventStreamMaxLen,
      CUSTOM_EVENTS.LOG,
      id,
    );
    if (written < 0) throw new Error(`Missing key for job ${id}. addLog`);
  }
}
