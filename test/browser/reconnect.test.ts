import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser';
import { compareCursors, enqueueImport, jobEventsOf, recordSockets, waitForProgress } from './page-helpers';
import { startStack, type Stack } from './stack';

const ITEMS = 80;
const JOB_TIMEOUT_MS = 60_000;

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

test('the page rides out a gateway restart and resumes the job stream after its last cursor', async () => {
  const sockets = recordSockets(page);
  await page.goto(`${stack.origin}/enqueue`);
  await page.getByTestId('connection').getByText('live').waitFor();
  const card = await enqueueImport(page, ITEMS, 100, 'restart');
  const jobId = await card.getAttribute('data-job-id');
  assert.ok(jobId !== null);
  await waitForProgress(page, jobId, 20, JOB_TIMEOUT_MS);

  const beforeRestart = jobEventsOf(sockets, jobId);
  await stack.restartGateway();
  await card.and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  await page.getByTestId('connection').getByText('live').waitFor();
  await screenshot(page, 'jobs-page-after-restart');

  assert.ok(sockets.sockets >= 2, `expected the page to open a new WebSocket after the restart, it opened ${sockets.sockets}`);
  const subscribes = sockets.sent.filter((message) => message.type === 'subscribe' && message.payload?.variables?.['id'] === jobId);
  assert.ok(subscribes.length >= 2, `expected the job's subscription to be sent again, it was sent ${subscribes.length} time(s)`);
  assert.equal(subscribes[0].payload?.variables?.['since'], undefined, 'the first watch starts with a SNAPSHOT');
  const resumedSince = subscribes[1].payload?.variables?.['since'];
  const lastBefore = beforeRestart.at(-1)?.cursor;
  assert.ok(lastBefore !== undefined && typeof resumedSince === 'string', 'the resumed watch should carry a cursor');
  // Events may still have arrived between the snapshot above and the socket closing.
  assert.ok(compareCursors(resumedSince, lastBefore) >= 0, `resumed since ${resumedSince}, before the last cursor seen ${lastBefore}`);

  const events = jobEventsOf(sockets, jobId);
  assert.equal(events.filter((event) => event.type === 'SNAPSHOT').length, 1, 'a resumed watch gets no second SNAPSHOT');
  for (let index = 1; index < events.length; index++) {
    assert.ok(
      compareCursors(events[index - 1].cursor, events[index].cursor) < 0,
      `cursors must strictly increase: ${events[index - 1].cursor} then ${events[index].cursor}`,
    );
  }
  const steps = events.filter((event) => event.type === 'PROGRESS').map((event) => event.job.progress?.current ?? -1);
  const first = steps[0];
  assert.deepEqual(
    steps,
    Array.from({ length: ITEMS - first + 1 }, (_, index) => first + index),
    'every progress step arrives once, in order, across the restart',
  );
  assert.equal(await card.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  assert.equal(await card.getByTestId('job-state').textContent(), 'COMPLETED');
});
