import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser';
import { ARTIFACTS } from './stack';

/**
 * The console's queues, queue, workers and schedules pages against one `npm start`-style
 * stack: `node dist/cli/start.js` runs the gateway and one supervised worker process that
 * heartbeats every 300 ms, so a worker killed with SIGKILL shows LOST, then its replacement ONLINE.
 * One API key per role: the pages offer actions to the admin only, and refuse the submitter plainly.
 */
const KEYS = { admin: 'console-admin-key-0001', viewer: 'console-viewer-key-001', submitter: 'console-submit-key-001' } as const;
const ROOT = path.resolve(__dirname, '..', '..');
const QUEUE = 'default';
const TIMEOUT_MS = 20_000;
/** LOST after 3 missed heartbeats, then the supervisor's 2 s backoff and a worker's start. */
const RESTART_TIMEOUT_MS = 45_000;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;

/** `node dist/cli/start.js` on a free port with a private queue prefix; stopped by SIGTERM to its process group. */
interface Stack {
  origin: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error(`expected a TCP address, got ${String(address)}`);
  return address.port;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, 'SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function startSupervisedStack(): Promise<Stack> {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'start.js')) || !existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('expected dist/cli/start.js and dist/web: run `npm run build:server && npm run build:web` first');
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = createWriteStream(path.join(ARTIFACTS, 'console-admin.log'), { flags: 'a' });
  // Own process group: the supervisor, the gateway and the worker are stopped together.
  const child = spawn('node', ['dist/cli/start.js'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      QUEUE_PREFIX: `test-console-${randomUUID().slice(0, 8)}`,
      REDIS_AUTOSTART: 'false',
      WORKER_PROCESSES: '1',
      WORKER_HEARTBEAT_MS: '300',
      API_KEYS: `${KEYS.admin}:alice:admin,${KEYS.viewer}:vera:viewer,${KEYS.submitter}:sam:submitter`,
    },
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const stack = { origin, stop: () => stopGroup(child) };
  try {
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`start.js exited with code ${child.exitCode}; see ${ARTIFACTS}/console-admin.log`);
        return request<{ __typename: string }>(origin, '{ __typename }').then(
          () => true,
          () => false,
        );
      },
      (ready) => ready,
      START_TIMEOUT_MS,
    );
  } catch (failure) {
    await stack.stop();
    throw failure;
  }
  return stack;
}

let stack: Stack;
let browser: Browser;
let page: Page;

before(async () => {
  stack = await startSupervisedStack();
  browser = await launchChromium();
  page = await signedIn(KEYS.admin);
});

/** A page of a browser context whose console holds `key` as its token (sessionStorage, as the sign-in form keeps it). */
async function signedIn(key: string): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(`sessionStorage.setItem('jobgate.token', ${JSON.stringify(key)})`);
  return context.newPage();
}

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A plain HTTP GraphQL request, as another client would send it. */
async function request<T>(origin: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.admin}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (body.errors !== undefined || body.data === undefined) throw new Error(`expected data, got ${JSON.stringify(body)}`);
  return body.data;
}

/** Polls `read` until `accept` holds, or fails after `timeoutMs` saying what it last saw. */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const queuePaused = async (): Promise<boolean> =>
  (await request<{ queue: { paused: boolean } }>(stack.origin, 'query ($name: String!) { queue(name: $name) { paused } }', { name: QUEUE }))
    .queue.paused;

const scheduleIds = async (): Promise<string[]> =>
  (await request<{ schedules: { id: string }[] }>(stack.origin, '{ schedules { id } }')).schedules.map((schedule) => schedule.id);

const everyMsOf = (id: string) => async (): Promise<number | null | undefined> =>
  (await request<{ schedules: { id: string; everyMs: number | null }[] }>(stack.origin, '{ schedules { id everyMs } }')).schedules.find(
    (schedule) => schedule.id === id,
  )?.everyMs;

/** Whether the page at 390 px is as wide as the viewport (no horizontal scroll). */
async function fitsPhone(path: string, ready: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  try {
    await page.goto(`${stack.origin}${path}`);
    await page.locator(ready).first().waitFor({ timeout: TIMEOUT_MS });
    const widths = (await page.evaluate('[document.documentElement.scrollWidth, document.documentElement.clientWidth]')) as number[];
    assert.ok(widths[0] <= widths[1], `${path} scrolls sideways at 390 px: ${widths[0]} px of content in ${widths[1]} px`);
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

test('/queues shows live counts that move when jobs are enqueued over plain HTTP', async () => {
  await page.goto(`${stack.origin}/queues`);
  const completed = page.getByTestId(`queue-row-${QUEUE}`).getByTestId('count-completed');
  await completed.filter({ hasText: /^\d+$/ }).waitFor({ timeout: TIMEOUT_MS });
  const before = Number(await completed.textContent());

  const jobs = 3;
  await request(stack.origin, 'mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }', {
    jobs: Array.from({ length: jobs }, (_, index) => ({ type: 'helloWorld', data: { name: `queues-${index}` } })),
  });
  await completed.filter({ hasText: new RegExp(`^${before + jobs}$`) }).waitFor({ timeout: TIMEOUT_MS });
  await screenshot(page, 'console-queues', 'console-queues.png');
});

test('the queue page charts the jobs that completed in the last hour', async () => {
  await page.goto(`${stack.origin}/queues/${QUEUE}`);
  const summary = page.getByTestId('throughput-chart').locator('desc');
  await summary.filter({ hasText: /^[1-9]\d* completed/ }).waitFor({ state: 'attached', timeout: TIMEOUT_MS });
  assert.equal(await page.getByTestId('throughput-chart').locator('polyline').count(), 2, 'one line for completed, one for failed');
  await screenshot(page, 'console-queue', 'console-queue.png');
});

test('an admin pauses, then resumes a queue from its page', async () => {
  await page.goto(`${stack.origin}/queues/${QUEUE}`);
  const section = page.getByTestId('queue-page');
  await section.and(page.locator('[data-paused="false"]')).waitFor({ timeout: TIMEOUT_MS });

  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await eventually(queuePaused, (paused) => paused);
  await section.and(page.locator('[data-paused="true"]')).waitFor({ timeout: TIMEOUT_MS });
  assert.equal(await page.getByRole('region', { name: 'Actions' }).getByTestId('action-result').textContent(), `${QUEUE} paused`);

  await page.getByRole('button', { name: 'Resume', exact: true }).click();
  await page.getByRole('button', { name: 'Confirm' }).click();
  await eventually(queuePaused, (paused) => !paused);
  await section.and(page.locator('[data-paused="false"]')).waitFor({ timeout: TIMEOUT_MS });
});

test('a schedule created on /schedules is served by `schedules`, edited, and removed from there', async () => {
  const id = `console-${Date.now()}`;
  await page.goto(`${stack.origin}/schedules`);
  await page.getByTestId('schedule-new').click();
  await page.locator('#schedule-type option[value="helloWorld"]').waitFor({ state: 'attached' });
  await page.locator('#schedule-id').fill(id);
  await page.locator('#schedule-type').selectOption('helloWorld');
  await page.getByLabel('every N seconds').check();
  await page.getByLabel('interval in seconds').fill('3600');
  await page.locator('#schedule-data').fill('{"name": ');
  assert.equal(await page.getByTestId('schedule-save').isDisabled(), true, 'data that is not JSON is not sent');
  await page.locator('#schedule-data').fill('{"name": "scheduled"}');
  await page.getByTestId('schedule-save').click();

  await eventually(scheduleIds, (ids) => ids.includes(id));
  const row = page.getByTestId(`schedule-${id}`);
  await row.waitFor({ timeout: TIMEOUT_MS });
  assert.match((await row.textContent()) ?? '', /every 1 h/);
  await screenshot(page, 'console-schedules', 'console-schedules.png');

  await row.getByRole('button', { name: 'Edit' }).click();
  await page.getByLabel('interval in seconds').fill('7200');
  await page.getByTestId('schedule-save').click();
  await eventually(everyMsOf(id), (everyMs) => everyMs === 7_200_000);
  await row.filter({ hasText: 'every 2 h' }).waitFor({ timeout: TIMEOUT_MS });

  await row.getByRole('button', { name: 'Remove' }).click();
  await row.getByRole('button', { name: 'Confirm' }).click();
  await eventually(scheduleIds, (ids) => !ids.includes(id));
  await row.waitFor({ state: 'detached', timeout: TIMEOUT_MS });
});

test('/workers lists the worker process; killed, it shows LOST, then its restart ONLINE', async () => {
  await page.goto(`${stack.origin}/workers`);
  const online = page.locator('[data-testid="worker-row"][data-status="ONLINE"]');
  await online.first().waitFor({ timeout: TIMEOUT_MS });
  const pid = Number(await online.first().getAttribute('data-pid'));
  const workerId = await online.first().getAttribute('data-worker-id');
  assert.ok(pid > 0 && workerId !== null);
  assert.doesNotThrow(() => process.kill(pid, 0), `the page's pid ${pid} should be a running process`);
  await screenshot(page, 'console-workers', 'console-workers.png');

  process.kill(pid, 'SIGKILL');
  await page
    .locator(`[data-testid="worker-row"][data-worker-id="${workerId}"][data-status="LOST"]`)
    .waitFor({ timeout: RESTART_TIMEOUT_MS });
  await page.locator(`[data-testid="worker-row"][data-status="ONLINE"]:not([data-pid="${pid}"])`).waitFor({ timeout: RESTART_TIMEOUT_MS });
});

test('a viewer gets the pages without actions; a submitter is told it needs viewer or admin', async () => {
  const viewer = await signedIn(KEYS.viewer);
  await viewer.goto(`${stack.origin}/queues/${QUEUE}`);
  await viewer.getByTestId('throughput-chart').waitFor({ timeout: TIMEOUT_MS });
  assert.equal(await viewer.getByRole('region', { name: 'Actions' }).count(), 0, 'a viewer gets no queue actions');
  assert.equal(await viewer.getByRole('button', { name: 'Set rate limit' }).count(), 0, 'a viewer cannot change limits');
  await viewer.goto(`${stack.origin}/schedules`);
  await viewer.getByRole('heading', { name: 'Schedules' }).waitFor({ timeout: TIMEOUT_MS });
  assert.equal(await viewer.getByTestId('schedule-new').count(), 0, 'a viewer cannot create schedules');
  await viewer.context().close();

  const submitter = await signedIn(KEYS.submitter);
  for (const path of ['/queues', `/queues/${QUEUE}`, '/workers', '/schedules']) {
    await submitter.goto(`${stack.origin}${path}`);
    await submitter.getByTestId('needs-reader').waitFor({ timeout: TIMEOUT_MS });
    assert.match((await submitter.getByTestId('needs-reader').textContent()) ?? '', /needs the viewer or admin role/);
  }
  await submitter.context().close();
});

test('each page fits a 390 px screen without sideways scroll', async () => {
  await fitsPhone('/queues', '[data-testid="queues-table"]');
  await fitsPhone(`/queues/${QUEUE}`, '[data-testid="throughput-chart"]');
  await fitsPhone('/workers', '[data-testid="workers-table"]');
  await fitsPhone('/schedules', 'h1');
});
