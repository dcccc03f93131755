import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pauseUntilReplicated, startServer } from './redis-cluster';
import { askWith, pollUntil } from './redis-probe';
import { selfSignedCertificate, tlsServerArgs, type Certificate } from './redis-server';

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
  /** The sentinel's TLS port, when it speaks TLS (0 otherwise). */
  private sentinelTlsPort = 0;
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'jobgate-sentinel-'));
  private readonly certificate: Certificate | undefined;

  private constructor(
    private readonly passwords: Passwords,
    tls: boolean,
  ) {
    this.certificate = tls ? selfSignedCertificate(this.dir) : undefined;
  }

  /**
   * Starts master, replica and sentinel; destroys what it started when that fails. With
   * `passwords`, master and replica want `redis` and the sentinel wants `sentinel`. With `tls`,
   * every server also listens for TLS (a self-signed certificate, {@link caFile}), replication
   * and the sentinel's links to the servers use it, and the sentinel names the master's TLS
   * port; the plain ports stay for this harness.
   */
  static async start(passwords: Passwords = {}, options: { tls?: boolean } = {}): Promise<PrivateSentinel> {
    const setup = new PrivateSentinel(passwords, options.tls ?? false);
    try {
      await setup.create();
      return setup;
    } catch (error) {
      await setup.destroy();
      throw error;
    }
  }

  /** `host:port` of the sentinel, as REDIS_SENTINELS (its TLS port when it speaks TLS). */
  get sentinels(): string {
    return `127.0.0.1:${this.certificate ? this.sentinelTlsPort : this.sentinelPort}`;
  }

  /** The certificate of a TLS setup's servers, which is also the authority that signed it. */
  get caFile(): string {
    if (!this.certificate) throw new Error('expected a TLS setup, got a plain one');
    return this.certificate.certFile;
  }

  private async create(): Promise<void> {
    const { redis, sentinel: sentinelPassword } = this.passwords;
    const { certificate } = this;
    const auth = redis ? ['--requirepass', redis, '--masterauth', redis] : [];
    const master = await this.launch(auth, 'the master');
    const replica = await this.launch(['--replicaof', '127.0.0.1', String(master.served), ...auth], 'the replica');
    const sentinel = await startServer(
      (port, _spare, tlsPort) => {
        // Sentinel rewrites its configuration file, so it needs one of its own.
        const conf = path.join(this.dir, `sentinel-${port}.conf`);
        writeFileSync(
          conf,
          [
            `port ${port}`,
            'bind 127.0.0.1',
            `dir ${this.dir}`,
            `sentinel monitor ${this.name} 127.0.0.1 ${master.served} 1`,
            `sentinel down-after-milliseconds ${this.name} 1000`,
            `sentinel failover-timeout ${this.name} 5000`,
            ...(redis ? [`sentinel auth-pass ${this.name} ${redis}`] : []),
            ...(sentinelPassword ? [`requirepass ${sentinelPassword}`] : []),
            '',
          ].join('\n'),
        );
        return [conf, '--sentinel', ...(certificate ? [...tlsServerArgs(certificate, tlsPort), '--tls-replication', 'yes'] : [])];
      },
      'the sentinel',
      sentinelPassword,
    );
    this.sentinelPort = sentinel.port;
    this.sentinelTlsPort = certificate ? sentinel.extra : 0;
    this.servers.set(sentinel.port, sentinel.child);
    await this.until(
      async () => String(await askWith(replica.port, redis, 'INFO', 'replication')).includes('master_link_status:up'),
      10_000,
      'the replica to sync',
    );
    await this.until(
      async () => ((await this.askSentinel('SENTINEL', 'REPLICAS', this.name)) as unknown[] | undefined)?.length === 1,
      15_000,
      'the sentinel to find the replica',
    );
  }

  /** Starts a master or replica: its plain port (this harness's), and the port it serves clients on (the TLS one when TLS is on). */
  private async launch(args: string[], what: string): Promise<{ port: number; served: number }> {
    const { certificate } = this;
    const { port, extra, child } = await startServer(
      (plainPort, _spare, tlsPort) => {
        const dir = path.join(this.dir, String(plainPort));
        mkdirSync(dir, { recursive: true });
        const tls = certificate ? [...tlsServerArgs(certificate, tlsPort), '--tls-replication', 'yes'] : [];
        return [
          '--port',
          String(plainPort),
          ...args,
          ...tls,
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--repl-diskless-sync-delay',
          '0',
          '--save',
          '',
          '--appendonly',
          'no',
        ];
      },
      what,
      this.passwords.redis,
    );
    this.servers.set(port, child);
    return { port, served: certificate ? extra : port };
  }

  /** The port of the master the sentinel names now (its TLS port in a TLS setup, which {@link kill} does not know). */
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
