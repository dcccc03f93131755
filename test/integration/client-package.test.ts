/**
 * @jobgate/client as another app gets it: packed with `npm pack`, installed into a project
 * outside the repository, used from CommonJS and ES modules in Node against a real stack,
 * over WebSocket, SSE, and `auto` behind a proxy that refuses WebSocket upgrades; and its
 * typed `enqueue` rejects a wrong input at compile time.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { startNoUpgradeProxy, type NoUpgradeProxy } from '../support/no-upgrade-proxy';
import { Stack } from '../support/stack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE = path.join(ROOT, 'packages', 'client');
const TSC = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let stack: Stack;
let proxy: NoUpgradeProxy;
let app: string;

/** What each script prints on its last line. */
interface Outcome {
  id: string;
  type: string;
  events: string[];
  result: unknown;
  transport: string;
}

/**
 * Watches one importParts job to its end; `transport` and the gateway URL come from argv. The job
 * runs for a second: `auto` first tries a WebSocket, and a job that finished before the watch
 * started would end it at its SNAPSHOT, with no live event to show.
 */
const SCRIPT_BODY = `
const [url, transport] = process.argv.slice(2);
const jobgate = createJobgateClient({ url, transport });
main().then(
  () => jobgate.dispose(),
  (error) => { console.error(error); process.exitCode = 1; return jobgate.dispose(); },
);
async function main() {
  const job = await jobgate.enqueue('importParts', { project: 'pkg', phase: 'p', stage: '01', items: 5, msPerItem: 200 });
  const events = [];
  let last;
  for await (const event of jobgate.watch(job.id)) {
    events.push(event.type);
    last = event;
  }
  console.log(JSON.stringify({ id: job.id, type: job.type, events, result: last && last.job.result, transport: jobgate.transport }));
}
`;

async function runScript(file: string, url: string, transport: string): Promise<Outcome> {
  const { stdout } = await run(process.execPath, [file, url, transport], { cwd: app, timeout: 30_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Outcome;
}

function assertCompleted(outcome: Outcome): void {
  assert.equal(outcome.type, 'importParts');
  assert.equal(outcome.events[0], 'SNAPSHOT');
  assert.equal(outcome.events.at(-1), 'COMPLETED');
  assert.deepEqual(outcome.result, { imported: 5 });
}

before(async () => {
  const packing = (async () => {
    app = await realpath(await mkdtemp(path.join(tmpdir(), 'jobgate-client-app-')));
    // The build `npm test` runs first (npm run build:client) is what gets packed.
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', app], { cwd: PACKAGE });
    const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
    await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'jobgate-client-app', private: true }));
    // From npm's cache where it can: the dependencies were installed with the repository.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(app, filename)], {
      cwd: app,
      timeout: 120_000,
    });
    await writeFile(path.join(app, 'watch.cjs'), `const { createJobgateClient } = require('@jobgate/client');\n${SCRIPT_BODY}`);
    await writeFile(path.join(app, 'watch.mjs'), `import { createJobgateClient } from '@jobgate/client';\n${SCRIPT_BODY}`);
  })();
  const starting = Stack.start({ workers: 1 }).then(async (started) => {
    stack = started;
    proxy = await startNoUpgradeProxy(started.url);
  });
  await Promise.all([packing, starting]);
});

after(async () => {
  await proxy?.close();
  await stack?.close();
  if (app !== undefined) await rm(app, { recursive: true, force: true });
});

test('the packed package installs as files of its own: dist and package.json, no path into the repository', async () => {
  const installed = path.join(app, 'node_modules', '@jobgate', 'client');
  assert.equal(await realpath(installed), installed, 'a copy, not a link into the repository');
  const files = await readdir(installed);
  assert.ok(files.includes('dist') && files.includes('package.json'), `installed files: ${files.join(', ')}`);
  assert.ok(!files.includes('src'), 'no sources shipped');
  const { stdout } = await run(process.execPath, ['-p', "require.resolve('@jobgate/client') + ' ' + require.resolve('ws')"], { cwd: app });
  for (const resolved of stdout.trim().split(' ')) assert.ok(resolved.startsWith(app), `${resolved} resolves inside the app`);
});

test('CommonJS in Node 20: enqueue, then watch over WebSocket (the ws package, found by itself) to COMPLETED', async () => {
  const outcome = await runScript('watch.cjs', `${stack.url}/graphql`, 'ws');
  assertCompleted(outcome);
  assert.equal(outcome.transport, 'ws');
});

test('ES modules: watch over Server-Sent Events to COMPLETED', async () => {
  const outcome = await runScript('watch.mjs', `${stack.url}/graphql`, 'sse');
  assertCompleted(outcome);
  assert.equal(outcome.transport, 'sse');
});

test("transport 'auto' behind a proxy that refuses WebSocket upgrades falls back to SSE and watches to COMPLETED", async () => {
  const refusedBefore = proxy.refusedUpgrades;
  const outcome = await runScript('watch.mjs', `${proxy.origin}/graphql`, 'auto');
  assertCompleted(outcome);
  assert.equal(outcome.transport, 'sse');
  assert.ok(proxy.refusedUpgrades > refusedBefore, 'the WebSocket was tried first');
  // With nothing in the way, auto keeps the WebSocket.
  assert.equal((await runScript('watch.mjs', `${stack.url}/graphql`, 'auto')).transport, 'ws');
});

test("tsc rejects enqueue('importParts', { projet: 42 }) and accepts the right input", async () => {
  let compiled = 0;
  const compile = async (call: string): Promise<{ code: number; output: string }> => {
    const file = path.join(app, `typed-${++compiled}.ts`);
    await writeFile(
      file,
      `import { createJobgateClient } from '@jobgate/client';\n` +
        `const jobgate = createJobgateClient({ url: 'http://127.0.0.1:4000/graphql' });\n` +
        `export async function main(): Promise<string> {\n  const job = await ${call};\n  return job.data.project;\n}\n`,
    );
    const compilerOptions = {
      strict: true,
      noEmit: true,
      module: 'node16',
      moduleResolution: 'node16',
      target: 'es2022',
      lib: ['es2023', 'dom'],
      types: [],
    };
    const config = `${file}.tsconfig.json`;
    await writeFile(config, JSON.stringify({ compilerOptions, files: [file] }));
    const args = [TSC, '-p', config];
    try {
      const { stdout } = await run(process.execPath, args, { cwd: app });
      return { code: 0, output: stdout };
    } catch (failure) {
      const { code, stdout } = failure as { code: number; stdout: string };
      return { code, output: stdout };
    }
  };
  const right = await compile(`jobgate.enqueue('importParts', { project: 'P1', phase: 'A', stage: '01' })`);
  assert.equal(right.code, 0, right.output);
  const wrong = await compile(`jobgate.enqueue('importParts', { projet: 42 })`);
  assert.notEqual(wrong.code, 0);
  assert.match(wrong.output, /projet/);
  const unknownType = await compile(`jobgate.enqueue('importPart', { project: 'P1', phase: 'A', stage: '01' })`);
  assert.notEqual(unknownType.code, 0);
  assert.match(unknownType.output, /importPart/);
});
