/**
 * Typed request/response over the Node IPC channel between the runner and the
 * load-generator processes it forks. A child script declares its API as a map
 * of commands to argument and result types, calls {@link serve} with one
 * handler per command, and the runner drives it through {@link Child.call}.
 * Every call has a deadline and every child dies with its parent.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';

/** A command map: each command names its argument and result types. */
export type Api = { [command: string]: { args: unknown; result: unknown } };

/** The handlers a child script provides for its API. */
export type Handlers<A extends Api> = { [K in keyof A]: (args: A[K]['args']) => Promise<A[K]['result']> };

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
interface Ready {
  ready: true;
}

const BENCH_ROOT = path.resolve(__dirname, '..');
const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 3_000;

/** Child side: answers the runner's calls and exits when the runner goes away. */
export function serve<A extends Api>(handlers: Handlers<A>): void {
  const table = handlers as unknown as Record<string, (args: unknown) => Promise<unknown>>;
  process.on('message', (message: Request) => {
    const handler = table[message.cmd];
    const reply = (r: Reply): void => void process.send?.(r);
    if (!handler) {
      reply({ id: message.id, ok: false, error: `expected one of ${Object.keys(table).join(', ')}, got ${message.cmd}` });
      return;
    }
    handler(message.args).then(
      (result) => reply({ id: message.id, ok: true, result }),
      (error: unknown) =>
        reply({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ ready: true } satisfies Ready);
}

/** Child side: the JSON options the runner passed when forking this script. */
export function initArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T;
}

/** Options for {@link Child.start}. */
export interface ChildOptions {
  /** Shown in errors and used as the log file name. */
  label: string;
  /** Directory receiving `<label>.log` with the child's stdout and stderr. */
  logDir: string;
}

const live = new Set<Child<Api>>();

/** Runner side: a forked script under `bench/` speaking {@link serve}'s protocol. */
export class Child<A extends Api> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exited = false;

  private constructor(
    private readonly proc: ChildProcess,
    readonly label: string,
  ) {
    proc.on('message', (message: Reply | Ready) => {
      if ('ready' in message) return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${label}: ${message.error}`));
    });
    proc.on('exit', (code, signal) => {
      this.exited = true;
      live.delete(this as unknown as Child<Api>);
      for (const waiter of this.pending.values()) waiter.reject(new Error(`${label} exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
  }

  /** Forks `bench/<script>` with tsx and waits until it is ready. */
  static async start<A extends Api>(script: string, init: object, options: ChildOptions): Promise<Child<A>> {
    const log = openSync(path.join(options.logDir, `${options.label}.log`), 'a');
    const proc = fork(path.join(BENCH_ROOT, script), [JSON.stringify(init)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', log, log, 'ipc'],
    });
    closeSync(log);
    const child = new Child<A>(proc, options.label);
    live.add(child as unknown as Child<Api>);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${options.label} not ready after ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      proc.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${options.label} exited with code ${code} before ready; see its log in ${options.logDir}`));
      });
    });
    return child;
  }

  /** Operating-system process id, for /proc readings. */
  get pid(): number {
    return this.proc.pid ?? -1;
  }

  /** Calls a command and waits at most `timeoutMs` for its result. */
  call<K extends keyof A & string>(cmd: K, args: A[K]['args'], timeoutMs: number): Promise<A[K]['result']> {
    if (this.exited) return Promise.reject(new Error(`${this.label} has exited`));
    const id = this.nextId++;
    return new Promise<A[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.label}.${cmd} took more than ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as A[K]['result']);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.proc.send({ id, cmd, args } satisfies Request);
    });
  }

  /** Disconnects (the child exits), then SIGKILLs it if still alive after a grace period. */
  async stop(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    if (this.proc.connected) this.proc.disconnect();
    else this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), STOP_GRACE_MS);
    await gone;
    clearTimeout(timer);
  }
}

/** Stops every child still running (used on errors and at exit). */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}
