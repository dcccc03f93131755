import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where screenshots and process logs of the browser tests go (ignored by git). */
export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const ROOT = path.resolve(__dirname, '..', '..');
const READY_ATTEMPTS = 240;
const READY_INTERVAL_MS = 250;
const STOP_GRACE_MS = 15_000;

/** A gateway and a worker process on a free loopback port, with their own queue prefix. */
export interface Stack {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Stops the gateway with SIGTERM (as a deploy would) and starts it again on the same port. */
  restartGateway(): Promise<void>;
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

/** The command of a process; `JOBGATE_*_CMD` lets a developer point the tests elsewhere. */
function command(envName: string, fallback: string): string[] {
  return (process.env[envName] ?? fallback).split(' ').filter((part) => part !== '');
}

function launch(name: string, argv: string[], env: NodeJS.ProcessEnv): ChildProcess {
  mkdirSync(ARTIFACTS, { recursive: true });
  const log = createWriteStream(path.join(ARTIFACTS, `${name}.log`), { flags: 'a' });
  // Own process group: npm and node are stopped together by signalling the group.
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  }, STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

async function waitReady(origin: string, child: ChildProcess): Promise<void> {
  for (let attempt = 0; attempt < READY_ATTEMPTS; attempt++) {
    if (child.exitCode !== null) throw new Error(`the gateway exited with code ${child.exitCode}; see ${ARTIFACTS}/gateway.log`);
    try {
      const response = await fetch(`${origin}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      // 401: a gateway started with a JWT secret answers, and refuses the anonymous probe.
      if (response.ok || response.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await sleep(READY_INTERVAL_MS);
  }
  throw new Error(`expected the gateway to answer at ${origin} within ${(READY_ATTEMPTS * READY_INTERVAL_MS) / 1000} s, it did not`);
}

/**
 * Starts `npm run gateway` and `npm run worker` (override with JOBGATE_GATEWAY_CMD and
 * JOBGATE_WORKER_CMD; an empty worker command starts none) against the local Redis.
 */
export async function startStack(options: { requireWeb?: boolean } = {}): Promise<Stack> {
  if (options.requireWeb !== false && !existsSync(path.join(ROOT, 'dist', 'web', 'index.html'))) {
    throw new Error('expected a built web in dist/web, found none: run `npm run build:web` first');
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    QUEUE_PREFIX: `test-web-${randomUUID().slice(0, 8)}`,
    REDIS_AUTOSTART: 'false',
  };
  const gatewayArgv = command('JOBGATE_GATEWAY_CMD', 'npm run --silent gateway');
  const workerArgv = command('JOBGATE_WORKER_CMD', 'npm run --silent worker');
  let gateway = launch('gateway', gatewayArgv, env);
  const worker = workerArgv.length > 0 ? launch('worker', workerArgv, env) : undefined;
  try {
    await waitReady(origin, gateway);
  } catch (failure) {
    await Promise.all([stopProcess(gateway), worker && stopProcess(worker)]);
    throw failure;
  }
  return {
    origin,
    async restartGateway() {
      await stopProcess(gateway);
      gateway = launch('gateway', gatewayArgv, env);
      await waitReady(origin, gateway);
    },
    async stop() {
      await Promise.all([stopProcess(gateway), worker && stopProcess(worker)]);
    },
  };
}
