/**
 * `npm start` (src/cli/start.ts) supervising its worker process: a SIGKILLed worker is logged
 * and started again after the backoff, the new one runs jobs, and SIGTERM to start.ts stops
 * everything, a restart still pending included, leaving no process behind.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { eventually, gqlOk } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

const ROOT = path.resolve(__dirname, '..', '..');
/** Starts (tsx compiling the sources) take a few seconds on a loaded machine; restarts 2 s more. */
const START_TIMEOUT_MS = 60_000;

/** One JSON log line of start.ts or of a child it started (they share its stdout). */
interface LogLine {
  component: string;
  pid: number;
  msg: string;
  [field: string]: unknown;
}

// Only its key prefix and environment are used, and `close` to remove the keys afterwards: the
// processes are start.ts's own.
const keys = new Stack();
let start: ChildProcess | undefined;
const lines: LogLine[] = [];
const output: string[] = [];

after(async () => {
  if (start !== undefined && start.exitCode === null && start.signalCode === null) {
    const exited = new Promise((resolve) => start?.once('exit', resolve));
    start.kill('SIGTERM');
    await exited;
  }
  await keys.close();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for a log line at or after index `from` that `accept` takes, and returns it. */
function logLine(what: string, accept: (line: LogLine) => boolean, from = 0): Promise<LogLine> {
  return eventually(() => lines.slice(from).find(accept), START_TIMEOUT_MS, `${what}; output so far:\n${output.slice(-30).join('\n')}`);
}

test('a killed worker is logged and restarted with backoff; SIGTERM stops everything', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...keys.env, LOG_LEVEL: 'info', LOG_FORMAT: 'auto', PORT: '0', HOST: '127.0.0.1', WORKER_PROCESSES: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start = child;
  let pending = '';
  const collect = (chunk: Buffer): void => {
    pending += chunk.toString();
    const complete = pending.split('\n');
    pending = complete.pop() ?? '';
    for (const text of complete.filter(Boolean)) {
      output.push(text);
      // stdout is not a terminal here: every line is JSON (LOG_FORMAT auto), or a crash's stderr.
      if (text.startsWith('{')) lines.push(JSON.parse(text) as LogLine);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const listening = await logLine('the gateway listening', (line) => line.msg === 'gateway listening');
  const url = listening.url as string;
  if (listening.web === true) assert.equal(listening.graphiql, `${url}/graphiql`, 'the start log says where GraphiQL is');
  const first = await logLine('a worker started', (line) => line.msg === 'workers started');

  process.kill(first.pid, 'SIGKILL');
  const crash = await logLine('the crash logged', (line) => line.component === 'start' && /exited unexpectedly/.test(line.msg));
  assert.equal(crash.process, 'worker 1');
  assert.equal(crash.exitedPid, first.pid);
  assert.equal(crash.signal, 'SIGKILL');
  assert.equal(crash.restartInMs, 2000, 'the first restart waits 2 s');
  const crashAt = lines.indexOf(crash);
  const restarted = await logLine('the restart logged', (line) => line.component === 'start' && line.msg === 'worker 1 restarted', crashAt);
  const second = await logLine('a new worker started', (line) => line.msg === 'workers started', crashAt);
  assert.equal(second.pid, restarted.pid);
  assert.notEqual(second.pid, first.pid);
  assert.ok(!alive(first.pid));

  const { enqueue } = await gqlOk<{ enqueue: EnqueuedJob }>(url, ENQUEUE, { type: 'helloWorld', data: { name: 'supervised' } });
  await eventually(
    async () => (await gqlOk<{ job: EnqueuedJob }>(url, JOB, { id: enqueue.id })).job.state === 'COMPLETED',
    START_TIMEOUT_MS,
    'the job to complete on the restarted worker',
  );

  // A second crash in a row waits twice as long; SIGTERM meanwhile cancels the restart.
  process.kill(second.pid, 'SIGKILL');
  const again = await logLine('the second crash logged', (line) => /exited unexpectedly/.test(line.msg), lines.indexOf(second));
  assert.equal(again.restartInMs, 4000, 'the second restart in a row waits 4 s');
  const stopAt = lines.length;
  child.kill('SIGTERM');
  await exited;
  assert.equal(child.exitCode, 0);
  assert.deepEqual(
    lines.slice(stopAt).filter((line) => line.msg === 'worker 1 restarted' || line.msg === 'workers started'),
    [],
    'no worker started once stopping',
  );
  assert.ok(!alive(second.pid), 'no worker left behind');
  assert.ok(!alive(listening.pid), 'no gateway left behind');
});
