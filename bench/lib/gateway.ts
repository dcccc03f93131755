/**
 * Starts and stops the Jobgate gateway under test: `node --import tsx
 * src/server/main.ts` with its own port, the run's Redis and key prefix, a
 * fresh JWT secret and warnings-only logging. Requests carry an HS256 token of
 * the owner `bench`; each WebSocket a viewer token of its own (see jwt.ts), as
 * distinct browsers would. The enqueue rate limit stays on but is set out of
 * reach. The gateway is spawned directly (not through npm) so its pid is the
 * one whose memory and CPU the figures read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { signToken } from './jwt';
import { freePort, waitUntil } from './net';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const ENTRY = 'src/server/main.ts';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;
/** Starts tried when the port found free was taken (e.g. as a client socket's local port) before the gateway listened. */
const PORT_ATTEMPTS = 3;

/** A running gateway. */
export interface Gateway {
  /** HTTP GraphQL endpoint. */
  url: string;
  /** WebSocket GraphQL endpoint. */
  wsUrl: string;
  /** Server-Sent Events GraphQL endpoint (graphql-sse). */
  sseUrl: string;
  pid: number;
  /** Bearer token of the owner `bench` (role submitter), for HTTP requests. */
  token: string;
  /** The gateway's JWT secret, from which fleets sign one watcher token per socket. */
  secret: string;
  /** Sends one GraphQL operation over HTTP and returns `data`, throwing on `errors`. */
  graphql<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** SIGTERM, then SIGKILL after the gateway's 15 s shutdown budget. */
  stop(): Promise<void>;
}

/** Where and how to start the gateway, or why it cannot be. */
export type GatewayLauncher =
  | { available: true; start(redisUrl: string, prefix: string, logFile: string, env?: Record<string, string>): Promise<Gateway> }
  | { available: false; reason: string };

async function post<T>(url: string, token: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!res.ok || body.errors || body.data === undefined)
    throw new Error(`gateway answered ${res.status}: ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data;
}

function stopProcess(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), STOP_GRACE_MS);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-1500);
  } catch {
    return '';
  }
}

/** The environment without credentials settings of the caller's shell, so only the bench's secret applies. */
function withoutAuth(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { JWT_SECRET: _secret, JWKS_URL: _jwks, API_KEYS: _keys, ...rest } = env;
  return rest;
}

/** The subject of the bench's token: the owner of every job it enqueues through the gateway. */
export const BENCH_OWNER = 'bench';

/** The gateway exited because its port was taken: worth another start on another port. */
class PortTaken extends Error {}

async function start(
  redisUrl: string,
  prefix: string,
  logFile: string,
  cpuProfDir: string | null,
  env: Record<string, string> = {},
): Promise<Gateway> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnPort(await freePort(), redisUrl, prefix, logFile, cpuProfDir, env);
    } catch (error) {
      if (!(error instanceof PortTaken) || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}

async function startOnPort(
  port: number,
  redisUrl: string,
  prefix: string,
  logFile: string,
  cpuProfDir: string | null,
  env: Record<string, string>,
): Promise<Gateway> {
  const secret = randomBytes(24).toString('hex');
  const token = signToken(secret, BENCH_OWNER, ['submitter'], 3600);
  const logStart = existsSync(logFile) ? statSync(logFile).size : 0;
  const log = openSync(logFile, 'a');
  const profiling = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [];
  const proc = spawn(process.execPath, [...profiling, '--import', 'tsx', ENTRY], {
    cwd: REPO_ROOT,
    env: {
      ...withoutAuth(process.env),
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: redisUrl,
      REDIS_AUTOSTART: '0',
      QUEUE_PREFIX: prefix,
      JWT_SECRET: secret,
      ENQUEUES_PER_MINUTE: '1000000000',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      ...env,
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const url = `http://127.0.0.1:${port}/graphql`;
  const exited = (): boolean => proc.exitCode !== null || proc.signalCode !== null;
  const ready = await waitUntil(
    async () => exited() || (await post<{ __typename: string }>(url, token, '{ __typename }')).__typename === 'Query',
    READY_TIMEOUT_MS,
  );
  if (!ready || exited()) {
    const outcome = exited() ? `exited (${proc.exitCode ?? proc.signalCode})` : `did not answer on ${url} within ${READY_TIMEOUT_MS} ms`;
    await stopProcess(proc);
    const thisLog = readFileSync(logFile).subarray(logStart).toString();
    if (thisLog.includes('EADDRINUSE')) throw new PortTaken(`port ${port} was taken before the gateway listened`);
    throw new Error(`gateway ${outcome}; log tail:\n${tail(logFile)}`);
  }
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    sseUrl: `http://127.0.0.1:${port}/graphql/stream`,
    pid: proc.pid ?? -1,
    token,
    secret,
    graphql: (query, variables) => post(url, token, query, variables),
    stop: () => stopProcess(proc),
  };
}

/**
 * Finds the gateway entry point; the gateway side of every figure is skipped
 * when absent or disabled. With `cpuProfDir`, each gateway writes a CPU profile there on exit.
 */
export function gatewayLauncher(enabled: boolean, cpuProfDir: string | null): GatewayLauncher {
  if (!enabled) return { available: false, reason: 'gateway disabled (--no-gateway)' };
  if (!existsSync(path.join(REPO_ROOT, ENTRY))) return { available: false, reason: 'gateway not available' };
  return { available: true, start: (redisUrl, prefix, logFile, env) => start(redisUrl, prefix, logFile, cpuProfDir, env) };
}
