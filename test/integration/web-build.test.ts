/**
 * `npm run build:web` beside a running gateway (`npm test` or a second `npm start` while one
 * runs): every request for the pages and their assets keeps answering 200 during the build and
 * its swap, and the assets of the page loaded before the swap are still there after it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Stack } from '../support/stack';

const ROOT = path.resolve(__dirname, '..', '..');
const LIVE = path.join(ROOT, 'dist', 'web');
const BUILD_TIMEOUT_MS = 120_000;

let stack: Stack;

/** The `/assets/…` files a page links (scripts, styles, preloads). */
function assetsOf(html: string): string[] {
  return [...new Set([...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1]))];
}

function build(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'build:web'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: BUILD_TIMEOUT_MS,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

before(async () => {
  // The gateway serves the web only when there is one at its start; and a dist/web made by an
  // older build:web is a directory, not yet the link this test watches.
  if (!existsSync(path.join(LIVE, 'index.html')) || !lstatSync(LIVE).isSymbolicLink()) {
    const first = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, stdio: 'inherit', timeout: BUILD_TIMEOUT_MS });
    assert.equal(first.status, 0, 'the first web build');
  }
  stack = await Stack.start({ workers: 0 });
});

after(async () => {
  await stack?.close();
});

test('a web build swaps in without a single failed request, and keeps the previous assets', async () => {
  const pages = ['/', '/graphiql'];
  const before = await Promise.all(pages.map(async (page) => (await fetch(`${stack.url}${page}`)).text()));
  const loadedAssets = before.flatMap(assetsOf);
  assert.ok(loadedAssets.length >= 2, `the pages link their assets: ${loadedAssets.join(', ')}`);
  const buildBefore = readlinkSync(LIVE);

  const building = build();
  let finished = false;
  void building.then(() => (finished = true));
  const failures: string[] = [];
  let requests = 0;
  const get = async (url: string): Promise<string> => {
    requests++;
    const response = await fetch(`${stack.url}${url}`);
    const body = await response.text();
    if (response.status !== 200) failures.push(`${response.status} ${url}`);
    return body;
  };
  // While the build runs and swaps: the pages as a new visitor loads them, and the assets a
  // page opened before the build asks for.
  while (!finished) {
    for (const page of pages) {
      const html = await get(page);
      await Promise.all([...assetsOf(html), ...loadedAssets].map(get));
    }
  }
  const built = await building;
  assert.equal(built.code, 0, built.output);
  assert.notEqual(readlinkSync(LIVE), buildBefore, 'dist/web now points at the new build');
  assert.deepEqual(failures, [], `every one of ${requests} requests answered 200`);
  for (const asset of loadedAssets) assert.equal((await fetch(`${stack.url}${asset}`)).status, 200, `${asset} is still served`);
});
