/**
 * The `jobgate` command line (packages/client, bin of @jobgate/client) against a real stack:
 * a progress bar under a pseudo-terminal (`script` from util-linux), JSON lines without one,
 * the exit codes of COMPLETED, FAILED and CANCELLED, and errors with the gateway's code.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gqlOk } from '../support/graphql';
import { startNoUpgradeProxy } from '../support/no-upgrade-proxy';
import { Stack } from '../support/stack';
import { HELD, PROMOTE } from './operations';

const BIN = path.resolve(__dirname, '..', '..', 'packages', 'client', 'dist', 'cjs', 'cli', 'main.js');

let stack: Stack;
let erp: Server;

/** What a run of the CLI printed, and how it ended. */
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `jobgate …` without a terminal; `onLine` sees each stdout line as it comes. */
function jobgate(args: readonly string[], onLine?: (line: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, JOBGATE_URL: `${stack.url}/graphql`, JOBGATE_TOKEN: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach((line) => onLine?.(line));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `jobgate …` under a pseudo-terminal: `script -qfec` gives it a TTY and returns its exit code. */
function jobgateOnTerminal(args: readonly string[]): Promise<Run> {
  const quote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    execFile(
      'script',
      ['-qfec', command, '/dev/null'],
      { env: { ...process.env, JOBGATE_URL: `${stack.url}/graphql`, COLUMNS: '120', TERM: 'xterm' }, timeout: 45_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') return reject(error);
        resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}

function jsonLines(
  stdout: string,
): { type: string; cursor: string; job: { id: string; state: string; progress: { percent: number } | null } }[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(
      (line) =>
        JSON.parse(line) as { type: string; cursor: string; job: { id: string; state: string; progress: { percent: number } | null } },
    );
}

before(async () => {
  // An ERP that refuses every order: a syncExternal job then fails for good (a 4xx is not retried).
  erp = createServer((_request, response) => response.writeHead(400, { 'content-type': 'application/json' }).end('{}'));
  await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
  const erpUrl = `http://127.0.0.1:${(erp.address() as AddressInfo).port}`;
  stack = await Stack.start({ workers: 1, env: { SYNC_BASE_URL: erpUrl, SYNC_ALLOWED_ORIGINS: erpUrl } });
});

after(async () => {
  await stack?.close();
  await new Promise<void>((resolve) => (erp ? erp.close(() => resolve()) : resolve()));
});

test('on a terminal, enqueue --watch draws a moving bar with percent and ETA, then exits 0 on COMPLETED', async () => {
  const run = await jobgateOnTerminal([
    'enqueue',
    'importParts',
    '--set',
    'project=cli',
    '--set',
    'phase=A',
    '--set',
    'stage=01',
    '--set',
    'items=20',
    '--set',
    'msPerItem=60',
    '--watch',
  ]);
  assert.equal(run.code, 0, run.stdout);
  const percents = new Set([...run.stdout.matchAll(/(\d+)% \| ETA/g)].map((match) => Number(match[1])));
  assert.ok(percents.size >= 3, `the bar moved through several values: ${[...percents].join(', ')}`);
  assert.ok(percents.has(100), 'and reached 100%');
  assert.match(run.stdout, /ETA/);
  assert.match(run.stdout, /COMPLETED \S+ \{"imported":20\}/);
});

test('without a terminal, enqueue --watch prints JSON lines from SNAPSHOT to COMPLETED and exits 0', async () => {
  const watched = await jobgate([
    'enqueue',
    'importParts',
    '--data',
    '{"project":"cli","phase":"A","stage":"02","items":10,"msPerItem":100}',
    '--watch',
  ]);
  assert.equal(watched.code, 0, watched.stderr);
  const events = jsonLines(watched.stdout);
  const id = events[0].job.id;
  assert.equal(events[0].type, 'SNAPSHOT');
  assert.equal(events.at(-1)?.job.state, 'COMPLETED');
  assert.ok(events.every((event) => event.job.id === id));
  assert.equal(new Set(events.map((event) => event.cursor)).size, events.length, 'no event twice');

  // Watching a finished job: its SNAPSHOT is the last event, and the exit code says how it ended.
  const again = await jobgate(['watch', id]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(
    jsonLines(again.stdout).map((event) => [event.type, event.job.state]),
    [['SNAPSHOT', 'COMPLETED']],
  );
  const shown = await jobgate(['job', id]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal((JSON.parse(shown.stdout) as { state: string }).state, 'COMPLETED');
  const listed = await jobgate(['jobs', 'imports', '--state', 'completed']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok((JSON.parse(listed.stdout) as { id: string }[]).some((job) => job.id === id));
});

test('watch exits 1 on FAILED', async () => {
  const run = await jobgate(['enqueue', 'syncExternal', '--set', 'orderId=400', '--options', '{"attempts":1}', '--watch']);
  assert.equal(run.code, 1, run.stderr);
  // A FAILED event, or a SNAPSHOT in FAILED when the job failed before the watch began.
  assert.equal(jsonLines(run.stdout).at(-1)?.job.state, 'FAILED');
});

test('watch exits 130 on CANCELLED', async () => {
  const enqueued = await jobgate([
    'enqueue',
    'importParts',
    '--data',
    '{"project":"cli","phase":"A","stage":"03","items":200,"msPerItem":100}',
  ]);
  const { id } = JSON.parse(enqueued.stdout) as { id: string };
  let cancelling: Promise<Run> | undefined;
  const watched = await jobgate(['watch', id], (line) => {
    // Cancel once the job runs, as seen by the watch itself.
    if (cancelling === undefined && (JSON.parse(line) as { type: string }).type === 'PROGRESS') cancelling = jobgate(['cancel', id]);
  });
  assert.ok(cancelling !== undefined, 'the job ran before it was cancelled');
  assert.equal((await cancelling).code, 0);
  assert.equal(watched.code, 130, watched.stderr);
  assert.equal(jsonLines(watched.stdout).at(-1)?.type, 'CANCELLED');
});

test('watch over SSE resumes across a dropped connection: every progress step once, then exit 0', async () => {
  const proxy = await startNoUpgradeProxy(stack.url);
  try {
    const enqueued = await jobgate([
      'enqueue',
      'importParts',
      '--data',
      '{"project":"cli","phase":"A","stage":"04","items":30,"msPerItem":60}',
      '--options',
      JSON.stringify(HELD),
    ]);
    const { id } = JSON.parse(enqueued.stdout) as { id: string };
    // Held until the watch has its SNAPSHOT: on a busy machine a watch could start after the job had ended.
    let promoted: Promise<unknown> | undefined;
    let dropped = 0;
    const watched = await jobgate(['--url', `${proxy.origin}/graphql`, '--transport', 'sse', 'watch', id], (line) => {
      const event = JSON.parse(line) as { type: string; job: { progress: { current: number | null } | null } };
      promoted ??= gqlOk(stack.url, PROMOTE, { id });
      if (dropped === 0 && event.type === 'PROGRESS' && (event.job.progress?.current ?? 0) >= 5) dropped = proxy.dropConnections();
    });
    await promoted;
    assert.ok(dropped > 0, 'the stream was cut mid-job');
    assert.equal(watched.code, 0, watched.stderr);
    const events = jsonLines(watched.stdout) as { type: string; cursor: string; job: { progress: { current: number | null } | null } }[];
    assert.equal(events.at(-1)?.type, 'COMPLETED');
    assert.equal(new Set(events.map((event) => event.cursor)).size, events.length, 'no event twice');
    assert.equal(events.filter((event) => event.type === 'SNAPSHOT').length, 1, 'resumed after its cursor, not with a new SNAPSHOT');
    const steps = events.filter((event) => event.type === 'PROGRESS').map((event) => event.job.progress?.current ?? -1);
    assert.deepEqual(
      steps,
      Array.from({ length: 30 - steps[0] + 1 }, (_, index) => steps[0] + index),
      'no progress step lost',
    );
  } finally {
    await proxy.close();
  }
});

test('errors name the GraphQL error code and exit 2', async () => {
  const invalid = await jobgate(['enqueue', 'importParts', '--set', 'projet=42']);
  assert.equal(invalid.code, 2);
  assert.match(invalid.stderr, /^jobgate: BAD_USER_INPUT: /);
  const unknown = await jobgate(['enqueue', 'importPart', '--data', '{}']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /UNKNOWN_JOB_TYPE/);
  const missing = await jobgate(['job', `imports:${Date.now()}`]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /NOT_FOUND/);
  const unreachable = await jobgate(['--url', 'http://127.0.0.1:9/graphql', 'queues']);
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.stderr, /NETWORK_ERROR/);
});

test('queues, workers and schedules print what the gateway knows', async () => {
  const queues = await jobgate(['queues']);
  assert.equal(queues.code, 0, queues.stderr);
  assert.ok((JSON.parse(queues.stdout) as { name: string }[]).some((queue) => queue.name === 'imports'));
  const workers = await jobgate(['workers', 'imports']);
  assert.equal(workers.code, 0, workers.stderr);
  assert.ok((JSON.parse(workers.stdout) as { queue: string }[]).length >= 1, 'the stack runs a worker');
  const schedules = await jobgate(['schedules']);
  assert.equal(schedules.code, 0, schedules.stderr);
  assert.ok(Array.isArray(JSON.parse(schedules.stdout)));
});
