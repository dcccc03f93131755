import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { gql } from '../support/graphql';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { launchChromium, screenshot } from './browser';
import { progressValues, recordProgress } from './page-helpers';
import { startStack, type Stack } from './stack';

const JOB_TIMEOUT_MS = 30_000;
/** How soon a job enqueued elsewhere must show on the page (issue 20). */
const APPEARS_WITHIN_MS = 1000;
const BURST_ROWS = 1000;
const HOUR_MS = 3_600_000;
/** Cancel mutations in flight at once for the update burst. */
const CANCEL_CONCURRENCY = 25;
/** Deliberately generous: the figure is printed, the bound only catches a list that stalls. */
const FRAME_WORK_BOUND_MS = 2000;

let stack: Stack;
let browser: Browser;
let page: Page;
let adminToken: string;
let bobToken: string;

/** One batch the page's list applied, as it records them on `window.jobgateJobsList`. */
interface AppliedBatch {
  events: number;
  firstEventAt: number;
  committedAt: number;
  workMs: number;
}

before(async () => {
  // With a JWT secret the gateway requires a token: the console must ask for one. The stack's processes inherit this env.
  process.env['JWT_SECRET'] = TEST_JWT_SECRET;
  stack = await startStack();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  adminToken = await token('alice', ['admin']);
  bobToken = await token('bob', ['submitter']);
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Runs a GraphQL operation over plain HTTP with `bearerToken`, failing the test on any error. */
async function call<T>(bearerToken: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await gql<T>(stack.origin, query, variables, bearer(bearerToken));
  if (response.errors !== undefined || response.data === undefined || response.data === null) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  }
  return response.data;
}

/** Enqueues a job over HTTP (not from the page); returns its id. */
async function enqueue(
  bearerToken: string,
  type: string,
  data: Record<string, unknown>,
  options?: Record<string, unknown>,
): Promise<string> {
  const { enqueue: job } = await call<{ enqueue: { id: string } }>(
    bearerToken,
    'mutation ($type: String!, $data: JSON!, $options: JobOptionsInput) { enqueue(type: $type, data: $data, options: $options) { id } }',
    { type, data, options },
  );
  return job.id;
}

const importParts = (bearerToken: string, items: number, msPerItem: number, project: string): Promise<string> =>
  enqueue(bearerToken, 'importParts', { project, phase: 'build', stage: 'frame', items, msPerItem });

const rowOf = (on: Page, id: string) => on.locator(`tr[data-job-id="${id}"]`);

/**
 * Resolves once the page's `queueEvents` subscriptions deliver: jobs are enqueued into each queue
 * until one shows (the socket being open does not say the gateway has started reading the stream).
 */
async function untilLive(
  on: Page,
  bearerToken: string,
  queues: readonly ('default' | 'imports')[] = ['default', 'imports'],
): Promise<void> {
  const probes = {
    default: () => enqueue(bearerToken, 'helloWorld', { name: 'probe' }),
    imports: () => importParts(bearerToken, 1, 0, 'probe'),
  };
  for (const enqueueProbe of queues.map((queue) => probes[queue])) {
    for (let attempt = 1; ; attempt++) {
      const id = await enqueueProbe();
      try {
        await rowOf(on, id).waitFor({ timeout: 2000 });
        break;
      } catch (failure) {
        if (attempt === 10) throw failure;
      }
    }
  }
}

/** A new tab signed in with `bearerToken` (kept in its sessionStorage, as the sign-in form does). */
async function signedInPage(bearerToken: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(`sessionStorage.setItem('jobgate.token', ${JSON.stringify(bearerToken)})`);
  return context.newPage();
}

/** The batches the list applied since it had applied `from`. */
async function batchesSince(on: Page, from: number): Promise<AppliedBatch[]> {
  return (await on.evaluate(`(window.jobgateJobsList?.batches ?? []).slice(${from})`)) as AppliedBatch[];
}

/** A page condition: the list has rows, and the cell `cell` of each reads `text` (the previous view's rows are gone). */
const everyRow = (cell: string, text: string): string =>
  `(() => { const rows = [...document.querySelectorAll('tr[data-job-id]')]; return rows.length > 0 && rows.every((row) => row.querySelector(${JSON.stringify(cell)})?.textContent === ${JSON.stringify(text)}); })()`;

const batchCount = async (on: Page): Promise<number> => (await on.evaluate('window.jobgateJobsList?.batches.length ?? 0')) as number;

test('after signing in, jobs enqueued over HTTP appear within a second, update in their rows, and survive a reload', async () => {
  await page.goto(`${stack.origin}/`);
  const tokenInput = page.getByTestId('sign-in-token');
  await tokenInput.waitFor();
  await tokenInput.fill(adminToken);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('caller-id').getByText('jwt:alice').waitFor();
  await page.getByTestId('connection').getByText('live').waitFor();
  await untilLive(page, adminToken);

  await recordProgress(page);
  const id = await importParts(adminToken, 30, 100, 'console-live');
  const enqueuedAt = Date.now();
  await rowOf(page, id).waitFor({ timeout: APPEARS_WITHIN_MS });
  console.log(`a job enqueued over HTTP showed on / after ${Date.now() - enqueuedAt} ms`);
  assert.equal(await rowOf(page, id).getByTestId('row-type').textContent(), 'importParts');

  await rowOf(page, id).and(page.locator('[data-state="ACTIVE"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  await rowOf(page, id).and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  const values = await progressValues(page, id);
  assert.ok(
    values.filter((value) => value > 0 && value < 100).length >= 2,
    `the row's bar should move live, it went ${values.join(' → ')}`,
  );
  assert.equal(values.at(-1), 100);
  assert.equal(await page.locator(`tr[data-job-id="${id}"]`).count(), 1, 'one row per job, updated in place');

  await page.reload();
  await rowOf(page, id).and(page.locator('[data-state="COMPLETED"]')).waitFor();
  assert.equal(await rowOf(page, id).getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  assert.equal(
    await rowOf(page, id)
      .locator('td')
      .filter({ hasText: /^\d+\/\d+$/ })
      .textContent(),
    '1/3',
  );
});

test('filters narrow the list and stay in the URL; a delayed job is promoted from its row', async () => {
  const hello = await enqueue(adminToken, 'helloWorld', { name: 'filters' });
  const delayed = await enqueue(adminToken, 'helloWorld', { name: 'later' }, { delayMs: HOUR_MS });
  await rowOf(page, delayed).and(page.locator('[data-state="DELAYED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
  await rowOf(page, hello).and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });

  await page.getByTestId('filter-queue').selectOption('imports');
  await page.waitForURL(/\?queue=imports$/);
  await page.waitForFunction(everyRow('[data-testid="row-queue"]', 'imports'));

  await page.getByTestId('filter-queue').selectOption('');
  await page.getByTestId('filter-type').selectOption('helloWorld');
  await page.locator('[data-state-filter="DELAYED"]').click();
  await page.waitForURL(/\?state=DELAYED&type=helloWorld$/);
  await rowOf(page, delayed).waitFor();
  // The URL changes before the list renders again: the unfiltered rows are there a moment longer.
  await page.waitForFunction(
    `[...document.querySelectorAll('tr[data-job-id]')].every((row) => row.getAttribute('data-state') === 'DELAYED')`,
  );
  await page.waitForFunction(everyRow('[data-testid="row-type"]', 'helloWorld'));
  assert.equal(await rowOf(page, hello).count(), 0, 'a completed job is not listed under DELAYED');
  assert.deepEqual(
    [...new Set(await page.locator('tr[data-job-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state'))))],
    ['DELAYED'],
  );

  // The filtered view is a link: a reload (or a shared URL) shows the same.
  await page.reload();
  await rowOf(page, delayed).waitFor();
  assert.equal(await page.getByTestId('filter-type').inputValue(), 'helloWorld');
  assert.equal(await page.locator('[data-state-filter="DELAYED"]').getAttribute('aria-pressed'), 'true');

  // Row actions: promote the delayed job; it runs and its row follows.
  await rowOf(page, delayed).locator('button[data-action="promote"]').click();
  await rowOf(page, delayed).and(page.locator('[data-state="COMPLETED"]')).waitFor({ timeout: JOB_TIMEOUT_MS });
});

test('bulk cancel from the selection; / focuses "open job by id", which goes to the job page', async () => {
  const first = await enqueue(adminToken, 'helloWorld', { name: 'bulk-1' }, { delayMs: HOUR_MS });
  const second = await enqueue(adminToken, 'helloWorld', { name: 'bulk-2' }, { delayMs: HOUR_MS });
  await page.goto(`${stack.origin}/`);
  for (const id of [first, second]) {
    await rowOf(page, id).waitFor();
    await rowOf(page, id).getByRole('checkbox').check();
  }
  await page.getByRole('button', { name: 'Cancel selected' }).click();
  await page.getByRole('group', { name: 'Cancel 2?' }).getByRole('button', { name: 'Confirm' }).click();
  for (const id of [first, second]) await rowOf(page, id).and(page.locator('[data-state="CANCELLED"]')).waitFor();

  const running = await importParts(adminToken, 40, 100, 'console-screenshot');
  await rowOf(page, running).locator('[role="progressbar"]:not([aria-valuenow="0"])').waitFor({ timeout: JOB_TIMEOUT_MS });
  await screenshot(page, 'console-jobs', 'console-jobs.png');

  await page.locator('body').press('/');
  assert.equal(await page.evaluate('document.activeElement?.id'), 'open-job-id');
  await page.keyboard.type(first);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${stack.origin}/jobs/${encodeURIComponent(first)}`);
});

test("a submitter sees only their own jobs, live, and no one else's", async () => {
  const others = await enqueue(adminToken, 'helloWorld', { name: 'not-bobs' });
  const bobs = await enqueue(bobToken, 'helloWorld', { name: 'bobs' });
  const bobPage = await signedInPage(bobToken, { width: 1280, height: 900 });
  try {
    await bobPage.goto(`${stack.origin}/`);
    await bobPage.getByTestId('caller-id').getByText('jwt:bob').waitFor();
    await rowOf(bobPage, bobs).waitFor();
    await untilLive(bobPage, bobToken);
    // Events come in order: once bob's newer job shows, the other owner's older one would have too.
    const othersLater = await enqueue(adminToken, 'helloWorld', { name: 'not-bobs-either' });
    const bobsLater = await enqueue(bobToken, 'helloWorld', { name: 'bobs-later' });
    await rowOf(bobPage, bobsLater).waitFor({ timeout: APPEARS_WITHIN_MS });
    for (const id of [others, othersLater]) assert.equal(await rowOf(bobPage, id).count(), 0, `bob must not see job ${id}`);
    const owners = await Promise.all(
      (await bobPage.locator('tr[data-job-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-job-id')))).map(
        async (id) => (await call<{ job: { id: string } | null }>(bobToken, 'query ($id: ID!) { job(id: $id) { id } }', { id })).job,
      ),
    );
    assert.ok(
      owners.every((job) => job !== null),
      'every row is a job bob may read',
    );
  } finally {
    await bobPage.context().close();
  }
});

test('at 390 px wide the console has no horizontal scroll', async () => {
  const phone = await signedInPage(adminToken, { width: 390, height: 844 });
  try {
    for (const path of ['/', '/enqueue']) {
      await phone.goto(`${stack.origin}${path}`);
      await phone.getByTestId('caller-id').getByText('jwt:alice').waitFor();
      await (path === '/' ? phone.locator('tr[data-job-id]').first() : phone.getByTestId('enqueue-submit')).waitFor();
      const { scrollWidth, clientWidth } = (await phone.evaluate(
        '({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })',
      )) as { scrollWidth: number; clientWidth: number };
      assert.ok(scrollWidth <= clientWidth, `${path} at 390 px: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}`);
    }
    await phone.goto(`${stack.origin}/`);
    await phone.locator('tr[data-job-id]').first().waitFor();
    await screenshot(phone, 'console-jobs-390');
  } finally {
    await phone.context().close();
  }
});

test('a burst of updates to 1,000 live rows is applied in a few frames', async () => {
  await page.goto(`${stack.origin}/?queue=default&type=helloWorld`);
  await page.locator('tr[data-job-id]').first().waitFor();
  await untilLive(page, adminToken, ['default']);

  // 1,000 delayed jobs in one enqueueMany: a burst of inserts at the top of the list.
  const insertMark = await batchCount(page);
  const { enqueueMany } = await call<{ enqueueMany: { id: string }[] }>(
    adminToken,
    'mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }',
    {
      jobs: Array.from({ length: BURST_ROWS }, (_, index) => ({
        type: 'helloWorld',
        data: { name: `burst-${index}` },
        options: { delayMs: HOUR_MS },
      })),
    },
  );
  const ids = enqueueMany.map((job) => job.id);
  await page.waitForFunction(`document.querySelectorAll('tr[data-state="DELAYED"]').length >= ${BURST_ROWS}`, undefined, {
    timeout: JOB_TIMEOUT_MS,
  });
  const inserts = await batchesSince(page, insertMark);

  // Then every one of them cancelled: a burst of 1,000 updates in place.
  const updateMark = await batchCount(page);
  const pending = [...ids];
  await Promise.all(
    Array.from({ length: CANCEL_CONCURRENCY }, async () => {
      for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
        await call(adminToken, 'mutation ($id: ID!) { cancelJob(id: $id) { id } }', { id });
      }
    }),
  );
  await page.waitForFunction(
    `${JSON.stringify(ids)}.every((id) => document.querySelector('tr[data-job-id="' + CSS.escape(id) + '"]')?.getAttribute('data-state') === 'CANCELLED')`,
    undefined,
    { timeout: JOB_TIMEOUT_MS },
  );
  const updates = await batchesSince(page, updateMark);

  const summarise = (batches: AppliedBatch[]): { spanMs: number; workMs: number; longestMs: number; frames: number } => ({
    spanMs: Math.round(batches[batches.length - 1].committedAt - batches[0].firstEventAt),
    workMs: Math.round(batches.reduce((sum, batch) => sum + batch.workMs, 0)),
    longestMs: Math.round(Math.max(...batches.map((batch) => batch.workMs))),
    frames: batches.length,
  });
  assert.ok(inserts.length > 0 && updates.length > 0, 'the list records the batches it applies');
  const inserted = summarise(inserts);
  const updated = summarise(updates);
  console.log(
    `1,000-row burst applied in ${updated.spanMs} ms (first cancel event to the frame showing all 1,000 rows CANCELLED; ` +
      `${updated.workMs} ms of it applying and rendering over ${updated.frames} frames, the longest ${updated.longestMs} ms)`,
  );
  console.log(
    `1,000 rows inserted in ${inserted.spanMs} ms (${inserted.workMs} ms of work over ${inserted.frames} frames, the longest ${inserted.longestMs} ms)`,
  );
  assert.ok(updated.longestMs < FRAME_WORK_BOUND_MS, `one batch took ${updated.longestMs} ms to apply`);
  assert.ok(inserted.longestMs < FRAME_WORK_BOUND_MS, `one batch of inserts took ${inserted.longestMs} ms to apply`);
});
