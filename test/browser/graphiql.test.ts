import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot } from './browser';
import { recordSockets } from './page-helpers';
import { startStack, type Stack } from './stack';

const RESULT_POLLS = 300;
const RESULT_POLL_MS = 100;
/** Longer than GraphiQL's debounce of the operation name after the editor changes. */
const OPERATION_NAME_DEBOUNCE_MS = 500;

let stack: Stack;
let browser: Browser;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Text of GraphiQL's response editor (Monaco renders non-breaking spaces). */
async function responseText(page: Page): Promise<string> {
  const text = await page.locator('.result-window').innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Opens a preloaded tab and waits until its operation is the one in the query editor. */
async function openTab(page: Page, name: string): Promise<void> {
  await page.locator('.graphiql-tab', { hasText: name }).click();
  await page.locator('.graphiql-query-editor', { hasText: name }).waitFor();
  // Time-based on purpose: GraphiQL derives the operation name from the editor content on a
  // short debounce and shows no sign of having done so; executing earlier runs the previous tab's.
  await sleep(OPERATION_NAME_DEBOUNCE_MS);
}

async function execute(page: Page): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
}

/** Polls the response editor until `done` accepts its text; returns every distinct text seen. */
async function collectResponses(page: Page, done: (text: string) => boolean): Promise<string[]> {
  const seen: string[] = [];
  for (let poll = 0; poll < RESULT_POLLS; poll++) {
    const text = await responseText(page);
    if (text.trim() !== '' && seen.at(-1) !== text) seen.push(text);
    if (done(text)) return seen;
    await sleep(RESULT_POLL_MS);
  }
  throw new Error(`the response never satisfied the test; last seen:\n${seen.at(-1) ?? '(nothing)'}`);
}

/** Opens /graphiql in a browser context of its own: no tabs saved, as on a first visit. */
async function firstVisit(): Promise<Page> {
  // A new page of the browser is a new context: empty localStorage.
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${stack.origin}/graphiql`);
  await page.locator('.graphiql-container').waitFor();
  await page.locator('.graphiql-tab', { hasText: 'WatchJob' }).waitFor();
  await page.locator('.result-window .monaco-editor').waitFor();
  return page;
}

/** Waits until the variables editor shows `text`; fails with what it shows instead. */
async function variablesShow(page: Page, text: string, why: string): Promise<void> {
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor').first();
  try {
    // Monaco renders spaces as non-breaking ones: matched on what the editor says.
    await editor.filter({ hasText: new RegExp(text.replaceAll(' ', '\\s')) }).waitFor({ timeout: 10_000 });
  } catch {
    assert.fail(`${why}: expected ${text} in the variables editor, it shows:\n${await editor.innerText()}`);
  }
}

test('on a first visit the first example runs as it opens, and every example has its variables', async () => {
  const page = await firstVisit();
  try {
    await page.locator('.graphiql-query-editor', { hasText: 'EnqueueImport' }).waitFor();
    await variablesShow(page, '"project": "apollo"', 'the first tab shows its variables');
    await page.locator('.graphiql-query-editor').click();
    await page.keyboard.press('ControlOrMeta+Enter');
    const [response] = (await collectResponses(page, (text) => /"(id|errors)":/.test(text))).slice(-1);
    assert.doesNotMatch(response, /"errors"/, `the first example runs without errors:\n${response}`);
    assert.match(response, /"importParts": \{\s*"id": "[^"]+"/);

    await openTab(page, 'WatchJob');
    await variablesShow(page, '"id": "paste-the-job-id-here"', 'the second tab shows its variables');
    await openTab(page, 'EnqueueImport');
    await variablesShow(page, '"project": "apollo"', 'the first tab kept its variables');
  } finally {
    await page.context().close();
  }
});

test('GraphiQL runs a query, a mutation and a live subscription', async () => {
  const page = await firstVisit();
  const sockets = recordSockets(page);

  await openTab(page, 'JobTypes');
  await execute(page);
  await collectResponses(page, (text) => text.includes('"importParts"'));

  await openTab(page, 'EnqueueImport');
  await execute(page);
  const [enqueued] = (await collectResponses(page, (text) => /"id": "[^"]+"/.test(text))).slice(-1);
  const jobId = /"id": "([^"]+)"/.exec(enqueued)?.[1];
  assert.ok(jobId !== undefined, `expected a job id in ${enqueued}`);

  await openTab(page, 'WatchJob');
  const variables = page.locator('.graphiql-editor-tool .graphiql-editor').first();
  await variables.click();
  await page.keyboard.press('ControlOrMeta+A');
  // Emptied first: Monaco would surround a selection with the typed brace. insertText types
  // no keys, so bracket auto-closing stays out of the way.
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify({ id: jobId }));
  await execute(page);
  const results = await collectResponses(page, (text) => /"type": "(COMPLETED|FAILED|CANCELLED)"/.test(text));
  await screenshot(page, 'graphiql', 'graphiql.png');

  assert.ok(results.length >= 2, `expected at least two streamed results, saw ${results.length}`);
  const nexts = sockets.received.filter((message) => message.type === 'next');
  assert.ok(nexts.length >= 2, `expected at least two results over the WebSocket, got ${nexts.length}`);
});
