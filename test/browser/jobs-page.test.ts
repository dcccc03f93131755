import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page, Request } from 'playwright-core';
import { launchChromium, screenshot } from './browser';
import { enqueueImport, jobEventsOf, progressValues, recordProgress, recordSockets } from './page-helpers';
import { startStack, type Stack } from './stack';

const JOB_TIMEOUT_MS = 30_000;

let stack: Stack;
let browser: Browser;
let page: Page;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

test('an importParts enqueued from the form goes 0 → 100 live, over the WebSocket only', async () => {
  const sockets = recordSockets(page);
  await page.goto(`${stack.origin}/enqueue`);
  await page.getByTestId('job-type').locator('option[value="importParts"]').waitFor({ state: 'attached' });

  const completedCell = page.getByTestId('queue-imports').getByTestId('count-completed');
  await completedCell.filter({ hasText: /^\d+$/ }).waitFor();
  const completedBefore = Number(await completedCell.textContent());

  const requests: Request[] = [];
  page.on('request', (request) => requests.push(request));
  await recordProgress(page);
  const card = await enqueueImport(page, 40, 60);
  const jobId = await card.getAttribute('data-job-id');
  assert.ok(jobId !== null);
  await card.and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });

  const values = await progressValues(page, jobId);
  assert.equal(values[0], 0, `the bar should start at 0, it went ${values.join(' → ')}`);
  assert.equal(values.at(-1), 100, `the bar should end at 100, it went ${values.join(' → ')}`);
  assert.ok(values.filter((value) => value > 0 && value < 100).length >= 3, `expected intermediate values, got ${values.join(' → ')}`);
  assert.deepEqual(
    [...values].sort((a, b) => a - b),
    values,
    `the bar should never go back: ${values.join(' → ')}`,
  );
  assert.equal(await card.getByTestId('job-state').textContent(), 'COMPLETED');
  assert.deepEqual(JSON.parse((await card.getByTestId('job-result').textContent()) ?? 'null'), { imported: 40 });
  assert.match((await card.getByTestId('job-logs').textContent()) ?? '', /imported 40\/40/);

  // queueStats pushes the new count over the same socket.
  await completedCell.filter({ hasText: new RegExp(`^${completedBefore + 1}$`) }).waitFor();

  // The console's frame asks GET /readyz now and then (no subscription carries health); GraphQL goes over the socket.
  const http = requests.filter((request) => request.resourceType() !== 'websocket' && new URL(request.url()).pathname === '/graphql');
  assert.equal(
    http.length,
    1,
    `only the enqueue mutation should go over HTTP, got: ${http.map((r) => `${r.method()} ${r.url()}`).join(', ')}`,
  );
  assert.match(http[0].postData() ?? '', /EnqueueJob/);
  assert.ok(jobEventsOf(sockets, jobId).length >= 10, 'the progress should have come as jobEvents over the WebSocket');
  assert.equal(sockets.sockets, 1, 'one WebSocket carries every subscription');
});

test('a running job is cancelled from its card, then retried to completion', async () => {
  const card = await enqueueImport(page, 40, 100, 'cancel-me');
  await card.and(page.locator('[data-state="ACTIVE"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  await card.locator('[role="progressbar"]:not([aria-valuenow="0"])').waitFor({ timeout: JOB_TIMEOUT_MS });
  await card.getByTestId('job-cancel').click();
  await card.and(page.locator('[data-state="CANCELLED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  assert.ok(Number(await card.getByRole('progressbar').getAttribute('aria-valuenow')) < 100, 'a cancelled job should stop short of 100');
  assert.equal(await card.getByTestId('job-cancel').isDisabled(), true);

  await card.getByTestId('job-retry').click();
  await card.and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  assert.equal(await card.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  await screenshot(page, 'jobs-page', 'jobs-page.png');
});
