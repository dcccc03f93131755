#!/usr/bin/env node
/**
 * `jobgate`: Jobgate's command line, on `@jobgate/client`. `--url`/`JOBGATE_URL` is the GraphQL
 * endpoint, `--token`/`JOBGATE_TOKEN` the bearer token.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { createJobgateClient, type JobgateClient } from '../client.js';
import { JobgateClientError } from '../errors.js';
import { QueuesDocument, SchedulesDocument, WorkersDocument } from '../operations.js';
import type { JobState, TransportName } from '../types.js';
import { parseSetting, mergeSetting } from './settings.js';
import { watchToEnd } from './watch.js';

const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';
const JOB_STATES: readonly JobState[] = [
  'WAITING',
  'DELAYED',
  'PRIORITIZED',
  'WAITING_CHILDREN',
  'ACTIVE',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'UNKNOWN',
];
/** Exit code of a command that could not do its work (a refused request, a gateway out of reach). */
const EXIT_ERROR = 2;

interface GlobalOptions {
  url: string;
  token?: string;
  transport: TransportName | 'auto';
  json?: boolean;
}

const program = new Command();
program
  .name('jobgate')
  .description('Enqueue, watch and control Jobgate jobs from a shell.')
  .addOption(new Option('--url <url>', 'the gateway GraphQL endpoint').env('JOBGATE_URL').default(DEFAULT_URL))
  .addOption(new Option('--token <token>', 'bearer token (JWT or API key)').env('JOBGATE_TOKEN'))
  .addOption(new Option('--transport <transport>', 'what carries watches').choices(['ws', 'sse', 'auto']).default('auto'))
  .option('--json', 'print JSON even on a terminal')
  .showHelpAfterError();

function client(): JobgateClient {
  const options = program.opts<GlobalOptions>();
  return createJobgateClient({ url: options.url, token: options.token, transport: options.transport });
}

/** Prints `value` as indented JSON. */
function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Whether to print for a person: a terminal, and no `--json`. */
function forPeople(): boolean {
  return process.stdout.isTTY === true && program.opts<GlobalOptions>().json !== true;
}

/** Prints rows as an aligned table on a terminal, as JSON otherwise. */
function printRows(rows: readonly Record<string, unknown>[], columns: readonly string[]): void {
  if (!forPeople()) return printJson(rows);
  const cell = (value: unknown): string =>
    value === null || value === undefined ? '-' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => cell(row[column]).length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((text, index) => text.padEnd(widths[index]))
      .join('  ')
      .trimEnd();
  process.stdout.write(`${line(columns)}\n`);
  for (const row of rows) process.stdout.write(`${line(columns.map((column) => cell(row[column])))}\n`);
  if (rows.length === 0) process.stdout.write('(none)\n');
}

/** Runs `action` with a client, then disposes it and exits with the code it returns. */
function run<A extends unknown[]>(action: (jobgate: JobgateClient, ...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
  return async (...args) => {
    const jobgate = client();
    let code = 0;
    try {
      code = (await action(jobgate, ...args)) ?? 0;
    } catch (failure) {
      code = EXIT_ERROR;
      process.stderr.write(`jobgate: ${describe(failure)}\n`);
    }
    await jobgate.dispose().catch(() => undefined);
    process.exit(code);
  };
}

/** A failure as one line: the GraphQL error code first. */
function describe(failure: unknown): string {
  if (failure instanceof JobgateClientError) {
    return `${failure.code}: ${failure.message}${failure.field === undefined ? '' : ` (field ${failure.field})`}`;
  }
  return failure instanceof Error ? failure.message : String(failure);
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (failure) {
    throw new InvalidArgumentError(`expected JSON, got ${JSON.stringify(text)} (${String(failure)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidArgumentError('expected a JSON object');
  return value as Record<string, unknown>;
}

function parseState(value: string, previous: JobState[] = []): JobState[] {
  const state = value.toUpperCase() as JobState;
  if (!JOB_STATES.includes(state)) throw new InvalidArgumentError(`expected one of ${JOB_STATES.join(', ')}`);
  return [...previous, state];
}

program
  .command('enqueue')
  .description('enqueue a job of a registered type; prints it (with --watch, watches it to the end)')
  .argument('<type>', 'job type, e.g. importParts')
  .option('--data <json>', 'the job input as a JSON object', parseJsonObject)
  .option('--set <key=value>', 'one input field (repeatable; dotted keys nest; values are JSON, else strings)', parseSetting, [])
  .option('--options <json>', 'job options as a JSON object (attempts, delayMs, priority…)', parseJsonObject)
  .option('--watch', 'then watch the job to its end; the exit code is its outcome')
  .action(
    run(
      async (
        jobgate,
        type: string,
        options: { data?: Record<string, unknown>; set: [string, unknown][]; options?: Record<string, unknown>; watch?: boolean },
      ) => {
        const data = options.set.reduce((merged, setting) => mergeSetting(merged, setting), options.data ?? {});
        const job = await jobgate.enqueueAny(type, data, options.options);
        if (!options.watch) {
          if (forPeople()) process.stdout.write(`${job.id} ${job.state}\n`);
          else printJson(job);
          return 0;
        }
        if (forPeople()) process.stdout.write(`enqueued ${job.id}\n`);
        return watchToEnd(jobgate, job.id, { tty: forPeople() });
      },
    ),
  );

program
  .command('watch')
  .description('watch a job to its end: a progress bar on a terminal, JSON lines otherwise; exit 0 COMPLETED, 1 FAILED, 130 CANCELLED')
  .argument('<id>', 'job id, e.g. imports:1')
  .option('--since <cursor>', 'resume after this cursor')
  .action(
    run(async (jobgate, id: string, options: { since?: string }) => watchToEnd(jobgate, id, { tty: forPeople(), since: options.since })),
  );

program
  .command('job')
  .description('print a job')
  .argument('<id>')
  .action(
    run(async (jobgate, id: string) => {
      const job = await jobgate.job(id);
      if (job === null) throw new JobgateClientError('NOT_FOUND', `no job ${id}`);
      printJson(job);
    }),
  );

program
  .command('jobs')
  .description("list a queue's jobs, newest first")
  .argument('<queue>')
  .option('--state <state>', 'only jobs in this state (repeatable)', parseState)
  .option('--first <n>', 'how many', (value) => Number.parseInt(value, 10), 20)
  .action(
    run(async (jobgate, queue: string, options: { state?: JobState[]; first: number }) => {
      const page = await jobgate.jobs(queue, { states: options.state, first: options.first });
      const jobs = page.edges.map((edge) => edge.node);
      if (!forPeople()) return printJson(jobs);
      printRows(
        jobs.map((job) => ({
          id: job.id,
          type: job.type,
          state: job.state,
          progress: `${job.progress?.percent ?? 0}%`,
          created: job.createdAt,
        })),
        ['id', 'type', 'state', 'progress', 'created'],
      );
      process.stdout.write(`${jobs.length} of ${page.totalCount}\n`);
    }),
  );

program
  .command('cancel')
  .description('cancel a job (an active one is aborted on its worker)')
  .argument('<id>')
  .action(run(async (jobgate, id: string) => printJson(await jobgate.cancel(id))));

program
  .command('retry')
  .description('run a failed or cancelled job again')
  .argument('<id>')
  .action(run(async (jobgate, id: string) => printJson(await jobgate.retry(id))));

program
  .command('queues')
  .description('every queue with its counts')
  .action(
    run(async (jobgate) => {
      const { queues } = await jobgate.request(QueuesDocument, {});
      if (!forPeople()) return printJson(queues);
      printRows(
        queues.map((queue) => ({ queue: queue.name, ...queue.counts, paused: queue.paused })),
        ['queue', 'paused', 'waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'cancelled'],
      );
    }),
  );

program
  .command('workers')
  .description("the workers connected to a queue (every queue's without one)")
  .argument('[queue]')
  .action(
    run(async (jobgate, queue: string | undefined) => {
      const names = queue === undefined ? (await jobgate.request(QueuesDocument, {})).queues.map((entry) => entry.name) : [queue];
      const rows: Record<string, unknown>[] = [];
      for (const name of names) {
        const { workers } = await jobgate.request(WorkersDocument, { queue: name });
        rows.push(...workers.map((worker) => ({ queue: name, ...worker })));
      }
      printRows(rows, ['queue', 'name', 'address', 'ageSeconds', 'idleSeconds']);
    }),
  );

program
  .command('schedules')
  .description('every repeatable schedule')
  .action(
    run(async (jobgate) => {
      const { schedules } = await jobgate.request(SchedulesDocument, {});
      printRows(schedules, ['id', 'type', 'queue', 'cron', 'everyMs', 'timeZone', 'nextRunAt', 'lastJobId']);
    }),
  );

program.parseAsync(process.argv).catch((failure: unknown) => {
  process.stderr.write(`jobgate: ${describe(failure)}\n`);
  process.exit(EXIT_ERROR);
});
