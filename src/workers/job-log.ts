import type { Job } from 'bullmq';
import type { Config } from '../config';
import { CUSTOM_EVENTS } from '../events/stream-entry';
import { eventStreamKey, jobKey, type RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import { ATTEMPTS_FIELD, JobAttemptOutcome, logLineOf, MAX_ATTEMPT_RECORDS } from '../jobs/job-view';

/**
 * Appends a line to a job's log (as BullMQ's `addLog`: only while the job exists, trimmed to
 * `keepLogs`) and its LOG event to the queue's event stream (as `QueueEventsProducer` writes
 * it), in one script. Two commands left a moment when a SNAPSHOT read between them held the
 * line and a cursor before its LOG event: the watcher got the line twice. Every key is in the
 * queue's hash slot. Returns -1 when the job is gone (then nothing is written). The stored line
 * carries its time and attempt (`logLineOf`); the event carries the message alone (ARGV[6]), as
 * watchers always got it.
 */
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) ~= 1 then return -1 end
local count = redis.call('RPUSH', KEYS[2], ARGV[1])
if ARGV[2] ~= '' then
  local keep = tonumber(ARGV[2])
  redis.call('LTRIM', KEYS[2], -keep, -1)
  count = math.min(keep, count)
end
redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[4], 'jobId', ARGV[5], 'line', ARGV[6])
return count`;

/**
 * Records that attempt ARGV[2] of a job started at ARGV[3] (epoch ms) in the job's own hash
 * (field ARGV[1]), so the record goes when the job goes; a run still RUNNING there was lost by
 * its worker (a stall). Keeps the last ARGV[4] runs. Returns -1 when the job is gone.
 */
const ATTEMPT_STARTED_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) ~= 1 then return -1 end
local raw = redis.call('HGET', KEYS[1], ARGV[1])
local runs = raw and cjson.decode(raw) or {}
local last = runs[#runs]
if last and last.o == 'RUNNING' then last.o = 'STALLED' end
table.insert(runs, { n = tonumber(ARGV[2]), s = tonumber(ARGV[3]), o = 'RUNNING' })
while #runs > tonumber(ARGV[4]) do table.remove(runs, 1) end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(runs))
return #runs`;

/** Records how the running attempt ARGV[2] ended: at ARGV[3], with outcome ARGV[4] and error ARGV[5] (if not empty). */
const ATTEMPT_ENDED_SCRIPT = `
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return 0 end
local runs = cjson.decode(raw)
local last = runs[#runs]
if not last or last.o ~= 'RUNNING' or last.n ~= tonumber(ARGV[2]) then return 0 end
last.f = tonumber(ARGV[3])
last.o = ARGV[4]
if ARGV[5] ~= '' then last.e = ARGV[5] end
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(runs))
return 1`;

/** The longest error message an attempt's record keeps (the job's failedReason and stacktrace keep the rest). */
const MAX_ATTEMPT_ERROR_CHARS = 1000;

/**
 * Writes what a worker process's jobs leave behind for their readers: log lines, each with its
 * LOG event, and the start and end of each attempt (`Job.attempts`).
 */
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
    message: string,
  ) => Promise<number>;
  private readonly recordStart: (jobKey: string, field: string, attempt: number, at: number, keep: number) => Promise<number>;
  private readonly recordEnd: (
    jobKey: string,
    field: string,
    attempt: number,
    at: number,
    outcome: string,
    error: string,
  ) => Promise<number>;

  constructor(
    private readonly config: Config,
    redis: RedisClient,
  ) {
    this.appendWithEvent = defineScript(redis, 'jobgateAppendLog', 3, APPEND_SCRIPT);
    this.recordStart = defineScript(redis, 'jobgateAttemptStarted', 1, ATTEMPT_STARTED_SCRIPT);
    this.recordEnd = defineScript(redis, 'jobgateAttemptEnded', 1, ATTEMPT_ENDED_SCRIPT);
  }

  /**
   * Appends `message` to `job`'s log, stamped with the time and the attempt running (or, from
   * the backoff strategy, the one that just failed: BullMQ counts it in `attemptsMade` only
   * after), and announces it to watchers; fails when the job is gone.
   */
  async append(job: Job, message: string): Promise<void> {
    const id = job.id ?? '';
    const key = jobKey(this.config, job.queueName, id);
    const line = logLineOf(new Date(), job.attemptsMade + 1, message);
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
      message,
    );
    if (written < 0) throw new Error(`Missing key for job ${id}. addLog`);
  }

  /** Records that `attempt` of `job` starts now (nothing when the job is gone). */
  async attemptStarted(job: Job, attempt: number): Promise<void> {
    await this.recordStart(jobKey(this.config, job.queueName, job.id ?? ''), ATTEMPTS_FIELD, attempt, Date.now(), MAX_ATTEMPT_RECORDS);
  }

  /** Records how `attempt` of `job` ended now, with the (scrubbed) error message of a failure. */
  async attemptEnded(job: Job, attempt: number, outcome: JobAttemptOutcome, error?: string): Promise<void> {
    await this.recordEnd(
      jobKey(this.config, job.queueName, job.id ?? ''),
      ATTEMPTS_FIELD,
      attempt,
      Date.now(),
      outcome,
      (error ?? '').slice(0, MAX_ATTEMPT_ERROR_CHARS),
    );
  }
}
