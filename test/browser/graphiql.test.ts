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
let page: Page;

before(async () => {
  stack = await startStack();
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
});

after(async () => {
  await browser?.close();
  await stack?.stop();
});

/** Text of GraphiQL's response editor (Monaco renders non-breaking spaces). */
async function responseText(): Promise<string> {
  const text = await page.locator('.result-window').innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Opens a preloaded tab and waits until its operation is the one in the query editor. */
async function openTab(name: string): Promise<void> {
  await page.locator('.graphiql-tab', { hasText: name }).click();
  await page.locator('.graphiql-query-editor', { hasText: name }).waitFor();
  // Time-based on purpose: GraphiQL derives the operation name from the editor content on a
  // short debounce and shows no sign of having done so; executing earlier runs the previous tab's.
  await sleep(OPERATION_NAME_DEBOUNCE_MS);
}

async function execute(): Promise<void> {
  await page.locator('.graphiql-execute-button').click();
}

/** Polls the response editor until `done` accepts its text; returns every distinct text seen. */
async function collectResponses(done: (text: string) => boolean): Promise<string[]> {
  const seen: string[] = [];
  for (let poll = 0; poll < RESULT_POLLS; poll++) {
    const text = await responseText();
    if (text.trim() !== '' && seen.at(-1) !== text) seen.push(text);
    if (done(text)) return seen;
    await sleep(RESULT_POLL_MS);
  }
  throw new Error(`the response never satisfied the test; last seen:\n${seen.at(-1) ?? '(nothing)'}`);
}

test('GraphiQL runs a query, a mutation and a live subscription', async () => {
  const sockets = recordSockets(page);
  await page.goto(`${stack.origin}/graphiql`);
  await page.locator('.graphiql-container').waitFor();
  await page.locator('.graphiql-tab', { hasText: 'WatchJob' }).waitFor();
  await page.locator('.result-window .monaco-editor').waitFor();

  await openTab('JobTypes');
  await execute();
  await collectResponses((text) => text.includes('"importParts"'));

  await openTab('EnqueueImport');
  await execute();
  const [enqueued] = (await collectResponses((text) => /"id": "[^"]+"/.test(text))).slice(-1);
  const jobId = /"id": "([^"]+)"/.exec(enqueued)?.[1];
  assert.ok(jobId !== undefined, `expected a job id in ${enqueued}`);

  await openTab('WatchJob');
  const variables = page.locator('.graphiql-editor-tool .graphiql-editor').first();
  await variables.click();
  await page.keyboard.press('ControlOrMeta+A');
  // Emptied first: Monaco would surround a selection with the typed brace. insertText types
  // no keys, so bracket auto-closing stays out of the way.
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(JSON.stringify({ id: jobId }));
  await execute();
  const results = await collectResponses((text) => /"type": "(COMPLETED|FAILED|CANCELLED)"/.test(text));
  await screenshot(page, 'graphiql', 'graphiql.png');

  assert.ok(results.length >= 2, `expected at least two streamed results, saw ${results.length}`);
  const nexts = sockets.received.filter((message) => message.type === 'next');
  assert.ok(nexts.length >= 2, `expected at least two results over the WebSocket, got ${nexts.length}`);
});
