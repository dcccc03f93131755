/**
 * What a figure works with: the run's settings, Redis and key prefix, and a
 * scope that owns every process the figure starts (children and gateway) and
 * stops them when the figure ends, whether it succeeded or not.
 */
import path from 'node:path';
import { unlinkMatching } from './cleanup';
import { Child, type Api } from './ipc';
import type { Gateway, GatewayLauncher } from './gateway';
import type { Profile } from './options';
import type { RedisHandle } from './redis-server';
import type { FigureResult } from './report';

/** Settings and resources shared by all figures of a run. */
export interface RunContext {
  profile: Profile;
  /** Every BullMQ key prefix of this run starts with `<prefix>-` (one prefix per figure). */
  prefix: string;
  redis: RedisHandle;
  logDir: string;
  launcher: GatewayLauncher;
  /** Queues used (`prefix` and name), obliterated at the end of the run. */
  queues: Array<{ prefix: string; queue: string }>;
  /** Progress and diagnostics, on stderr (stdout carries only figure lines). */
  log(message: string): void;
}

/** A figure's handle on the run, owning the processes it starts. */
export class FigureContext {
  private readonly stoppers: Array<() => Promise<void>> = [];
  private sequence = 0;

  constructor(
    readonly run: RunContext,
    readonly figure: string,
  ) {}

  /** The run's settings. */
  get profile(): Profile {
    return this.run.profile;
  }

  /** This figure's BullMQ key prefix, so no figure sees another's jobs. */
  get prefix(): string {
    return `${this.run.prefix}-${this.figure}`;
  }

  /** Logs a line prefixed with the figure name. */
  log(message: string): void {
    this.run.log(`[${this.figure}] ${message}`);
  }

  /** Registers a queue under this figure's prefix for cleanup and returns its name. */
  useQueue(queue: string): string {
    if (!this.run.queues.some((q) => q.prefix === this.prefix && q.queue === queue)) this.run.queues.push({ prefix: this.prefix, queue });
    return queue;
  }

  /**
   * Deletes every key this figure wrote so far. The sides of a figure run in turn on one
   * Redis, and a side that writes hundreds of thousands of jobs leaves them there: the
   * gateway, measured last, used to find 1–2 million baseline jobs in Redis, and the same
   * load measured up to 25% slower or faster depending on what an earlier side left
   * (probably the keyspace rehashing as it doubles; bench/CAPACITY.md). Figures that write
   * many jobs call this before each measured side, so every side starts on the same Redis.
   */
  async emptyRedis(): Promise<void> {
    const t0 = performance.now();
    const removed = await unlinkMatching(this.run.redis.url, `${this.prefix}:*`);
    if (removed > 0) this.log(`unlinked ${removed} keys in ${(performance.now() - t0).toFixed(0)} ms`);
  }

  /** Forks `bench/<script>`; it is stopped when the figure ends. */
  async child<A extends Api>(script: string, init: object, label: string): Promise<Child<A>> {
    const child = await Child.start<A>(script, init, { label: `${this.figure}-${label}-${this.sequence++}`, logDir: this.run.logDir });
    this.stoppers.push(() => child.stop());
    return child;
  }

  /**
   * Starts a gateway on the run's Redis and this figure's prefix (`env`: more variables), stopped
   * when the figure ends; or says why there is none.
   */
  async gateway(env?: Record<string, string>): Promise<Gateway | { skipped: string }> {
    const launcher = this.run.launcher;
    if (!launcher.available) return { skipped: launcher.reason };
    const logFile = path.join(this.run.logDir, `${this.figure}-gateway-${this.sequence++}.log`);
    try {
      const t0 = performance.now();
      const gateway = await launcher.start(this.run.redis.url, this.prefix, logFile, env);
      this.stoppers.push(() => gateway.stop());
      this.log(`gateway pid ${gateway.pid} ready in ${(performance.now() - t0).toFixed(0)} ms`);
      return gateway;
    } catch (error) {
      this.log(String(error));
      return { skipped: `gateway failed to start (see ${logFile})` };
    }
  }

  /** Stops everything this figure started, newest first, then deletes its keys so the next figure starts on the same Redis. */
  async close(): Promise<void> {
    for (const stop of this.stoppers.splice(0).reverse()) await stop().catch((error: unknown) => this.log(`stop failed: ${String(error)}`));
    await this.emptyRedis().catch((error: unknown) => this.log(`emptying Redis failed: ${String(error)}`));
  }
}

/** One figure of the suite. */
export interface Figure {
  name: string;
  /** One sentence on how it is measured with `profile`'s sizes, for bench/RESULTS.md. */
  note(profile: Profile): string;
  run(ctx: FigureContext): Promise<FigureResult[]>;
}
