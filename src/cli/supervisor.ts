import type { ChildProcess } from 'node:child_process';
import type { Logger } from 'pino';

/** When a crashed process is started again. */
export interface RestartPolicy {
  /** Delay before the first restart, ms. */
  firstDelayMs: number;
  /** Ceiling of the doubling delay, ms. */
  maxDelayMs: number;
  /** Uptime after which a process counts as healthy again: its next crash waits `firstDelayMs` again, ms. */
  stableAfterMs: number;
}

/**
 * 2 s, 4, 8, 16, then 30 s for every further crash in a row. 60 s of uptime resets it: longer
 * than any start (Redis connection, tsx compile) takes, so a process that crashes as it starts
 * keeps backing off, while one that crashes once a day waits only 2 s.
 */
export const RESTART_POLICY: RestartPolicy = { firstDelayMs: 2_000, maxDelayMs: 30_000, stableAfterMs: 60_000 };

/**
 * The delay before restarting a process that exited after `uptimeMs`, given the delay before its
 * previous restart (undefined when it never restarted).
 */
export function restartDelay(previousDelayMs: number | undefined, uptimeMs: number, policy: RestartPolicy = RESTART_POLICY): number {
  if (previousDelayMs === undefined || uptimeMs >= policy.stableAfterMs) return policy.firstDelayMs;
  return Math.min(previousDelayMs * 2, policy.maxDelayMs);
}

/**
 * A child process started again, with backoff, whenever it exits without being asked to:
 * a crash, an uncaught error, a SIGKILL from the OOM killer. `stop` ends it for good.
 */
export class SupervisedProcess {
  private child!: ChildProcess;
  private startedAt = 0;
  private delayMs: number | undefined;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;

  /** Starts the process now (`spawn` is called again for every restart). */
  constructor(
    private readonly name: string,
    private readonly spawn: () => ChildProcess,
    private readonly logger: Logger,
    private readonly policy: RestartPolicy = RESTART_POLICY,
  ) {
    this.start();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Stops restarting, sends SIGTERM and resolves once the process has exited. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  private start(): void {
    this.restartTimer = undefined;
    this.child = this.spawn();
    this.startedAt = Date.now();
    // A failed spawn or kill: said in the log rather than thrown at the supervisor.
    this.child.on('error', (error) => this.logger.error({ process: this.name, err: error }, `${this.name}: ${error.message}`));
    this.child.once('exit', (code, signal) => this.exited(code, signal));
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.stopping) return;
    const uptimeMs = Date.now() - this.startedAt;
    this.delayMs = restartDelay(this.delayMs, uptimeMs, this.policy);
    this.logger.error(
      { process: this.name, exitedPid: this.child.pid, code, signal, uptimeMs, restartInMs: this.delayMs },
      `${this.name} exited unexpectedly (${signal ?? `code ${code}`}): restarting it in ${this.delayMs / 1000} s`,
    );
    this.restartTimer = setTimeout(() => {
      this.start();
      this.logger.info({ process: this.name, pid: this.child.pid }, `${this.name} restarted`);
    }, this.delayMs);
  }
}
