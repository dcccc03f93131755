import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import IORedis from 'ioredis';

const ROOT = path.resolve(__dirname, '..', '..');

/** A gateway or worker process started by a test, with what it printed. */
export interface ProcessHandle {
  child: ChildProcess;
  output: string[];
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** The web pages' sources: Vite builds them, not the server build. */
const WEB_SOURCES = path.join(ROOT, 'src', 'web');

/** The newest modification time of the `.ts` files under `dir`, the web pages' left out. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== WEB_SOURCES) newest = Math.max(newest, newestSource(full));
    } else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Whether the server build (dist/, what `npm run gateway` and `npm run worker` run) is newer than every
 * source file. `npm test` builds it before these tests, and processes then start from it: tsx costs each
 * start ~1.6 s more CPU, and the suite starts a few hundred. A test run on its own after an edit finds
 * the build stale and starts the sources through tsx, so it never runs old code.
 */
const BUILD_IS_CURRENT = ((): boolean => {
  try {
    const built = Math.min(...['server', 'workers'].map((part) => statSync(path.join(ROOT, 'dist', part, 'main.js')).mtimeMs));
    return built >= newestSource(path.join(ROOT, 'src'));
  } catch {
    return false;
  }
})();

/** The node arguments that start `part`'s main module: the server build's when current, else the source's through tsx. */
function entryArgs(part: 'server' | 'workers'): string[] {
  return BUILD_IS_CURRENT ? [path.join(ROOT, 'dist', part, 'main.js')] : ['--import', 'tsx', path.join(ROOT, 'src', part, 'main.ts')];
}

function launch(part: 'server' | 'workers', env: Record<string, string>, args: string[] = []): ProcessHandle {
  const child = spawn(process.execPath, [...entryArgs(part), ...args], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer): void => void output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

async function waitForLine(handle: ProcessHandle, pattern: RegExp, timeoutMs = 45_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const line = handle.output.find((candidate) => pattern.test(candidate));
    if (line) return line;
    if (handle.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`process did not print ${pattern}; output:\n${handle.output.slice(-20).join('\n')}`);
}

/** Options of a test stack. */
export interface StackOptions {
  /** Worker processes to start (0 for none). */
  workers?: number;
  redisUrl?: string;
  /** Share another stack's keys (e.g. a second gateway on the same queues). */
  prefix?: string;
  env?: Record<string, string>;
}

/**
 * A gateway process and worker processes on a key prefix of their own, so tests run in
 * parallel on one Redis without seeing each other's jobs. Removes its keys on `close`.
 */
export class Stack {
  readonly prefix: string;
  gateway!: ProcessHandle;
  url = '';
  readonly workers: ProcessHandle[] = [];

  constructor(private readonly options: StackOptions = {}) {
    this.prefix = options.prefix ?? `t${randomBytes(5).toString('hex')}`;
  }

  static async start(options: StackOptions = {}): Promise<Stack> {
    const stack = new Stack(options);
    try {
      await Promise.all([stack.startGateway(), ...Array.from({ length: options.workers ?? 1 }, () => stack.startWorker())]);
    } catch (error) {
      // The caller gets no stack to close: stop what did start, or it outlives the test run.
      await stack.close();
      throw error;
    }
    return stack;
  }

  get env(): Record<string, string> {
    return {
      QUEUE_PREFIX: this.prefix,
      REDIS_URL: this.options.redisUrl ?? 'redis://127.0.0.1:6379',
      REDIS_AUTOSTART: '0',
      WORKER_GRACE_MS: '10000',
      ...this.options.env,
    };
  }

  get redisUrl(): string {
    return this.env.REDIS_URL;
  }

  get wsUrl(): string {
    return `${this.url.replace(/^http/, 'ws')}/graphql`;
  }

  /** Starts the gateway (again: on the same port when it ran before, so clients can reconnect). */
  async startGateway(): Promise<void> {
    const port = this.url ? new URL(this.url).port : '0';
    this.gateway = launch('server', { ...this.env, PORT: port });
    const line = await waitForLine(this.gateway, /gateway listening/);
    this.url = (JSON.parse(line) as { url: string }).url;
  }

  async startWorker(args: string[] = []): Promise<ProcessHandle> {
    const worker = launch('workers', this.env, args);
    this.workers.push(worker);
    await waitForLine(worker, /workers started/);
    return worker;
  }

  /** Sends `signal` and waits for the process to exit. */
  async signal(handle: ProcessHandle, signal: NodeJS.Signals): Promise<number | null> {
    if (handle.child.exitCode === null) handle.child.kill(signal);
    return handle.exited;
  }

  async close(): Promise<void> {
    await Promise.all([this.gateway, ...this.workers].filter(Boolean).map((handle) => this.signal(handle, 'SIGKILL')));
    // A cluster's keys live on private nodes that the test destroys.
    if (!/^rediss?:\/\//.test(this.redisUrl)) return;
    const redis = new IORedis(this.redisUrl, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } catch {
      // Redis may be a private server the test already stopped.
    } finally {
      redis.disconnect();
    }
  }
}
