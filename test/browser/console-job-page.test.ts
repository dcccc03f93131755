import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser';
import { progressValues, recordProgress } from './page-helpers';
import { startStack, type Stack } from './stack';

const JOB_TIMEOUT_MS = 30_000;
/** Long enough that the page is open before the job runs: the test promotes it from the page. */
const HELD = { delayMs: 60_000 };

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** An ERP stand-in that answers every call with a 500. */
let erp: { server: Server; origin: string };

before(async () => {
  const server = createServer((_request, response) => {
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end('{"error":"down"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  erp = { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  stack = await startStack();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.origin });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
  erp?.server.close();
});

/** Sends a GraphQL operation over plain HTTP, as a program other than the console would. */
async function graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${stack.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (body.errors !== undefined || body.data === undefined) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const enqueue = async (type: string, data: unknown, options: Record<string, unknown>): Promise<string> =>
  (
    await graphql<{ enqueue: { id: string } }>(
      'mutation ($type: String!, $data: JSON!, $options: JobOptionsInput) { enqueue(type: $type, data: $data, options: $options) { id } }',
      { type, data, options },
    )
  ).enqueue.id;

const jobPage = (id: string) => page.locator(`[data-testid="job-page"][data-job-id="${id}"]`);

async function openJob(id: string): Promise<void> {
  await page.goto(`${stack.origin}/jobs/${encodeURIComponent(id)}`);
  await jobPage(id).waitFor();
}

/** Whether the page scrolls sideways (it must not, even at 390 px). */
const scrollsSideways = (): Promise<boolean> =>
  page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth') as Promise<boolean>;

let completedId: string;

test('a shared link to a job shows it live: progress, stamped log lines by attempt, then its result', async () => {
  completedId = await enqueue('importParts', { project: 'shared', phase: 'build', stage: 'frame', items: 20, msPerItem: 150 }, HELD);
  await openJob(completedId);
  await recordProgress(page);
  assert.equal(await jobPage(completedId).getAttribute('data-state'), 'DELAYED');
  assert.equal(await page.getByTestId('job-owner').textContent(), 'system:dev');
  assert.deepEqual(JSON.parse((await page.getByTestId('job-options').textContent()) ?? ''), {
    queue: 'imports',
    attempts: 3,
    delayMs: HELD.delayMs,
    backoff: { type: 'EXPONENTIAL', delayMs: 1000 },
  });

  await page.getByRole('button', { name: 'Run now' }).click();
  // Log lines show while it runs, the first one too (written while the page reads the job again on ACTIVE).
  const runningLine = (text: string | RegExp) =>
    page.locator('[data-testid="job-page"][data-state="ACTIVE"] [data-testid="job-log-line"]', { hasText: text }).first();
  await runningLine('importing 20 items').waitFor({ timeout: JOB_TIMEOUT_MS });
  await runningLine(/imported \d+\/20/).waitFor({ timeout: JOB_TIMEOUT_MS });
  await jobPage(completedId).and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });

  const values = await progressValues(page, completedId);
  assert.ok(
    values.filter((value) => value > 0 && value < 100).length >= 3,
    `expected the bar to advance live, it went ${values.join(' → ')}`,
  );
  assert.equal(values.at(-1), 100);
  assert.deepEqual(JSON.parse((await page.getByTestId('job-result').textContent()) ?? 'null'), { imported: 20 });

  const groups = page.getByTestId('job-log-group');
  assert.equal(await groups.count(), 1);
  assert.equal(await groups.first().getAttribute('data-attempt'), '1');
  assert.equal(await groups.first().locator('h3').textContent(), 'Attempt 1');
  const lines = await page.getByTestId('job-log-line').allTextContents();
  assert.match(lines[0], /^\d{2}:\d{2}:\d{2}\.\d{3} importing 20 items of shared\/build\/frame$/);
  assert.match(lines.at(-1) ?? '', /^\d{2}:\d{2}:\d{2}\.\d{3} imported 20\/20$/);
  assert.equal(new Set(lines).size, lines.length, `no line twice: ${lines.join(' | ')}`);
  assert.deepEqual(await page.getByTestId('job-attempt').evaluateAll((items) => items.map((item) => item.getAttribute('data-outcome'))), [
    'COMPLETED',
  ]);
  assert.match((await page.getByTestId('job-times').textContent()) ?? '', /waited .*ran \d+ s/);
  await screenshot(page, 'console-job', 'console-job.png');
});

test('copy as curl gives a command whose body enqueues the same job; GraphQL and TypeScript copy too', async () => {
  await openJob(completedId);
  await page.getByTestId('copy-curl').click();
  await page.getByTestId('copy-status').filter({ hasText: 'curl copied' }).waitFor();
  const curl = (await page.evaluate('navigator.clipboard.readText()')) as string;
  assert.ok(curl.startsWith(`curl -sS '${stack.origin}/graphql'`), curl);
  const quoted = /--data-raw '((?:[^']|'\\'')*)'$/.exec(curl)?.[1];
  assert.ok(quoted !== undefined, `expected a --data-raw body, got ${curl}`);
  const body = JSON.parse(quoted.replace(/'\\''/g, "'")) as { query: string; variables: Record<string, unknown> };
  const copy = await graphql<{ enqueue: { id: string; state: string } }>(body.query, body.variables);
  assert.notEqual(copy.enqueue.id, completedId);
  assert.equal(copy.enqueue.state, 'DELAYED', 'the copy keeps the delay of the original');

  await page.getByTestId('copy-typescript').click();
  await page.getByTestId('copy-status').filter({ hasText: 'TypeScript copied' }).waitFor();
  assert.match((await page.evaluate('navigator.clipboard.readText()')) as string, /client\.enqueue\("importParts", \{/);
  await page.getByTestId('copy-graphql').click();
  await page.getByTestId('copy-status').filter({ hasText: 'GraphQL copied' }).waitFor();
  assert.match(
    (await page.evaluate('navigator.clipboard.readText()')) as string,
    /enqueue\(type: \$type, data: \$data, options: \$options\)/,
  );
});

test('a job that fails twice shows its error, its stack trace and both attempts', async () => {
  const id = await enqueue(
    'syncExternal',
    { orderId: 7, url: `${erp.origin}/orders/7` },
    { attempts: 2, backoff: { type: 'FIXED', delayMs: 50 } },
  );
  await openJob(id);
  await jobPage(id).and(page.locator('[data-state="FAILED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  assert.match((await page.getByTestId('job-error').textContent()) ?? '', /500/);
  assert.match((await page.getByTestId('job-stack').last().textContent()) ?? '', /\n\s+at /);
  assert.deepEqual(await page.getByTestId('job-attempt').evaluateAll((items) => items.map((item) => item.getAttribute('data-outcome'))), [
    'FAILED',
    'FAILED',
  ]);
  assert.deepEqual(
    await page.getByTestId('job-log-group').evaluateAll((groups) => groups.map((group) => group.getAttribute('data-attempt'))),
    ['1', '2'],
  );

  await page.setViewportSize({ width: 390, height: 844 });
  try {
    assert.equal(await scrollsSideways(), false, 'the failed job page should not scroll sideways at 390 px');
    await screenshot(page, 'console-job-failed-390');
    await openJob(completedId);
    assert.equal(await scrollsSideways(), false, 'the completed job page should not scroll sideways at 390 px');
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test('Retry of a job cancelled before it ran goes to the new job it started', async () => {
  const id = await enqueue('helloWorld', { name: 'again' }, HELD);
  await graphql('mutation ($id: ID!) { cancelJob(id: $id) { id } }', { id });
  await openJob(id);
  await jobPage(id).and(page.locator('[data-state="CANCELLED"]')).waitFor();
  await page.getByTestId('job-retry').click();
  const next = page.locator('[data-testid="job-page"]:not([data-job-id="' + id + '"])');
  await next.waitFor({ timeout: JOB_TIMEOUT_MS });
  const nextId = (await next.getAttribute('data-job-id')) ?? '';
  assert.notEqual(nextId, id);
  assert.equal(new URL(page.url()).pathname, `/jobs/${encodeURIComponent(nextId)}`);
  await jobPage(nextId).and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
});

test('a job that is absent says so', async () => {
  await page.goto(`${stack.origin}/jobs/${encodeURIComponent('imports:no-such-job')}`);
  await page.getByTestId('job-missing').filter({ hasText: 'No job imports:no-such-job (or not yours)' }).waitFor();
});
