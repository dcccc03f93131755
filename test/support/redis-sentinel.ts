import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pauseUntilReplicated, startServer } from './redis-cluster';
import { askWith, pollUntil } from './redis-probe';


/** What the servers of a {@link PrivateSentinel} want: `redis` for master and replica, `sentinel` for the sentinel. */
export interface Passwords {
  redis?: string;
  sentinel?: string;
}

/**
 * A private master, its replica and one Sentinel (quorum 1, master down after 1 s) on
 * loopback ports, data in a temp dir. `destroy()` kills every process and removes the dir.
 */
export class PrivateSentinel {
  readonly name = 'jobgate';
  readonly servers = new Map<number, ChildProcess>();
  sentinelPort = 0;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'jobgate-sentinel-'));

  private constructor(private readonly passwords: Passwords) {}

  /**
   * Starts master, replica and sentinel; destroys what it started when that fails. With
   * `passwords`, master and replica want `redis` and the sentinel wants `sentinel`.
   */
  static async start(passwords: Passwords = {}): Promise<PrivateSentinel> {
    const setup = new PrivateSentinel(passwords);
    try {
      await setup.create();
      return setup;
    } catch (error) {
      await setup.destroy();
      throw error;
    }
  }

  /** `host:port` of the sentinel, as REDIS_SENTINELS. */
  get sentinels(): string {
    return `127.0.0.1:${this.sentinelPort}`;
  }

  private async create(): Promise<void> {
    const { redis, sentinel: sentinelPassword } = this.passwords;
    const auth = redis ? ['--requirepass', redis, '--masterauth', redis] : [];
    const master = await this.launch(auth, 'the master');
    const replica = await this.launch(['--replicaof', '127.0.0.1', String(master), ...auth], 'the replica');
    const sentinel = await startServer((port) => {
      // Sentinel rewrites its configuration file, so it needs one of its own.
      const conf = path.join(this.dir, `sentinel-${port}.conf`);
      writeFileSync(
        conf,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${this.dir}`,
          `sentinel monitor ${this.name} 127.0.0.1 ${master} 1`,
          `sentinel down-after-milliseconds ${this.name} 1000`,
          `sentinel failover-timeout ${this.name} 5000`,
          ...(redis ? [`sentinel auth-pass ${this.name} ${redis}`] : []),
          ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
          '',
        ].join('\n'),
      );
      return [conf, '--sentinel'];
    }, 'the sentinel', sentinelPassword);
    this.sentinelPort = sentinel.port;
    this.servers.set(sentinel.port, sentinel.child);
    await this.until(async () => String(await askWith(replica, redis, 'INFO', 'replication')).includes('master_link_status:up'), 10_000, 'the replica to sync');
    await this.until(async () => ((await this.askSentinel('SENTINEL', 'REPLICAS', this.name)) as unknown[] | undefined)?.length === 1, 15_000, 'the sentinel to find the replica');
  }

  private async launch(args: string[], what: string): Promise<number> {
    const { port, child } = await startServer((port) => {
      const dir = path.join(this.dir, String(port));
      mkdirSync(dir, { recursive: true });
      return ['--port', String(port), ...args, '--bind', '127.0.0.1', '--dir', dir, '--repl-diskless-sync-delay', '0', '--save', '', '--appendonly', 'no'];
    }, what, this.passwords.redis);
    this.servers.set(port, child);
    return port;
  }

  /** The port of the master the sentinel names now. */
  async masterPort(): Promise<number> {
    const address = (await this.askSentinel('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.name)) as [string, string] | undefined;
    if (!address) throw new Error('the sentinel does not answer');
    return Number(address[1]);
  }

  /** The port of the server the sentinel knows as the master's replica. */
  async replicaPort(): Promise<number> {
    const replicas = (await this.askSentinel('SENTINEL', 'REPLICAS', this.name)) as string[][] | undefined;
    const fields = replicas?.[0];
    const port = fields ? Number(fields[fields.indexOf('port') + 1]) : Number.NaN;
    if (!Number.isInteger(port)) throw new Error('the sentinel names no replica');
    return port;
  }

  /** Kills the master on `port` once its replica has all it acknowledged ({@link pauseUntilReplicated}). */
  async killInSync(port: number): Promise<void> {
    await pauseUntilReplicated(port, await this.replicaPort());
    await this.kill(port);
  }

  /** Kills the server on `port` like a crash. */
  async kill(port: number): Promise<void> {
    const child = this.servers.get(port);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  private askSentinel(...command: string[]): Promise<unknown> {
    return askWith(this.sentinelPort, this.passwords.sentinel, ...command);
  }

  /** Polls `check` every 100 ms until it is true, failing after `timeoutMs`. */
  until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    return pollUntil(check, timeoutMs, what);
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.servers.keys()].map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
