import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { ask, askWith, pollUntil } from './redis-probe';
import { freePort, selfSignedCertificate, tlsServerArgs, type Certificate } from './redis-server';

/** One `redis-server --cluster-enabled yes` process of a {@link PrivateCluster}. */
export interface ClusterNode {
  /** The plain port, which this harness asks. */
  port: number;
  /** The TLS port of a TLS cluster, which clients use (0 otherwise). */
  tlsPort: number;
  child: ChildProcess;
}

/** A cluster node as `CLUSTER NODES` describes it. */
export interface NodeRole {
  port: number;
  id: string;
  master: boolean;
  /** Id of its master, for a replica. */
  masterId: string | null;
  failed: boolean;
}

/**
 * Starts `redis-server` with `args(port, spare, extra)`, three free loopback ports (`spare` for a
 * cluster bus, `extra` for TLS), and resolves once the server answers as itself (its `process_id`;
 * asked with `password` when given). A port found free may be taken by another test before the
 * server binds it: the server then exits, and other ports are tried.
 */
export async function startServer(
  args: (port: number, spare: number, extra: number) => string[],
  what: string,
  password?: string,
): Promise<{ port: number; extra: number; child: ChildProcess }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const [port, spare, extra] = [await freePort(), await freePort(), await freePort()];
    if (new Set([port, spare, extra]).size < 3) continue;
    const child = spawn('redis-server', args(port, spare, extra), { stdio: 'ignore' });
    const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
    try {
      await pollUntil(
        async () => gone() || String(await askWith(port, password, 'INFO', 'server')).includes(`process_id:${child.pid}\r\n`),
        10_000,
        `${what} to answer on ${port}`,
      );
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    if (!gone()) return { port, extra, child };
  }
  throw new Error(`${what} did not start: the ports picked were taken`);
}

const replicationOffset = (info: unknown, field: string): number =>
  Number(new RegExp(`${field}:(\\d+)`).exec(String(info))?.[1] ?? Number.NaN);

/**
 * Pauses writes on `master` (`CLIENT PAUSE … WRITE`: reads go on, writes and scripts wait) and
 * waits until `replica` has processed every byte of replication the master has produced. A
 * master killed after this has no acknowledged write its replica lacks, so a failover test
 * measures the gateway and not the replication lag (asynchronous: a crash can lose the last
 * writes, see README "Deploying"). The writes held by the pause die with the master, as in a crash.
 */
export async function pauseUntilReplicated(master: number, replica: number, timeoutMs = 10_000): Promise<void> {
  if ((await ask(master, 'CLIENT', 'PAUSE', String(timeoutMs + 5000), 'WRITE')) !== 'OK') throw new Error(`${master} refused CLIENT PAUSE`);
  const target = replicationOffset(await ask(master, 'INFO', 'replication'), 'master_repl_offset');
  if (!Number.isFinite(target)) throw new Error(`${master} gave no master_repl_offset`);
  await pollUntil(
    async () => replicationOffset(await ask(replica, 'INFO', 'replication'), 'slave_repl_offset') >= target,
    timeoutMs,
    `replica ${replica} to reach offset ${target} of ${master}`,
  );
}

/**
 * Six private `redis-server` processes on loopback ports in cluster mode, three masters and
 * three replicas, data in a temp dir. `cluster-node-timeout` is short so a failover takes
 * about two seconds. `start()` returns once every replica has finished its first sync (a
 * replica that never synced refuses to take over, or with `cluster-replica-validity-factor 0`
 * takes over empty). `destroy()` kills every process and removes the dir.
 */
export class PrivateCluster {
  readonly nodes: ClusterNode[] = [];
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'jobgate-cluster-'));
  private readonly certificate: Certificate | undefined;

  private constructor(
    readonly nodeTimeoutMs: number,
    tls: boolean,
  ) {
    this.certificate = tls ? selfSignedCertificate(this.dir) : undefined;
  }

  /**
   * Starts the nodes and creates the cluster; destroys what it started when that fails. With
   * `tls`, clients and the cluster bus speak TLS (a self-signed certificate, {@link caFile}), while
   * every node keeps a plain port for this harness; a TLS client is told the TLS ports.
   */
  static async start(nodeTimeoutMs = 1000, options: { tls?: boolean } = {}): Promise<PrivateCluster> {
    const cluster = new PrivateCluster(nodeTimeoutMs, options.tls ?? false);
    try {
      await cluster.create();
      return cluster;
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }

  /**
   * Makes every node require `username` with `password` for data: that user may do anything, while
   * the passwordless `default` user keeps only what this harness and replication use (INFO,
   * CLUSTER, CLIENT, PING, replication) and touches no key. A client that does not authenticate
   * as `username` then cannot enqueue, watch or run a job.
   */
  async requireUser(username: string, password: string): Promise<void> {
    for (const node of this.nodes) {
      const user = await ask(node.port, 'ACL', 'SETUSER', username, 'reset', 'on', `>${password}`, '~*', '&*', '+@all');
      const restricted = await ask(
        node.port,
        'ACL',
        'SETUSER',
        'default',
        'resetkeys',
        'resetchannels',
        '-@all',
        '+ping',
        '+info',
        '+cluster',
        '+client',
        '+replconf',
        '+psync',
        '+sync',
        '+auth',
        '+hello',
        '+command',
      );
      if (user !== 'OK' || restricted !== 'OK')
        throw new Error(`node ${node.port} refused the ACL: ${String(user)}, ${String(restricted)}`);
    }
  }

  /** `host:port,…` of every node, as REDIS_CLUSTER_NODES (their TLS ports for a TLS cluster). */
  get seeds(): string {
    return this.nodes.map((node) => `127.0.0.1:${this.certificate ? node.tlsPort : node.port}`).join(',');
  }

  /** The certificate of a TLS cluster's nodes, which is also the authority that signed it. */
  get caFile(): string {
    if (!this.certificate) throw new Error('expected a TLS cluster, got a plain one');
    return this.certificate.certFile;
  }

  private async create(): Promise<void> {
    for (let index = 0; index < 6; index++) {
      // The bus port is chosen too: port + 10000 may be taken or beyond 65535.
      const certificate = this.certificate;
      const started = await startServer(
        (port, busPort, tlsPort) => {
          const dir = path.join(this.dir, String(port));
          mkdirSync(dir, { recursive: true });
          const tls = certificate ? [...tlsServerArgs(certificate, tlsPort), '--tls-cluster', 'yes', '--tls-replication', 'yes'] : [];
          return [
            '--port',
            String(port),
            '--cluster-port',
            String(busPort),
            '--bind',
            '127.0.0.1',
            '--dir',
            dir,
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            String(this.nodeTimeoutMs),
            '--repl-diskless-sync-delay',
            '0',
            '--appendonly',
            'no',
            '--save',
            '',
            ...tls,
          ];
        },
        `cluster node ${index + 1}`,
      );
      this.nodes.push({ port: started.port, tlsPort: certificate ? started.extra : 0, child: started.child });
    }
    const created = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...this.nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '1', '--cluster-yes'],
      {
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    await this.until(() => this.healthy(), 20_000, 'cluster_state:ok on every node with 3 masters and 3 replicas');
    await this.until(() => this.replicasInSync(), 20_000, 'every replica to finish its first sync');
  }

  /** Every live replica has finished its full sync and its link to its master is up. */
  async replicasInSync(): Promise<boolean> {
    const replicas = (await this.roles()).filter((role) => !role.master && this.alive().some((node) => node.port === role.port));
    for (const replica of replicas) {
      const info = String(await ask(replica.port, 'INFO', 'replication'));
      if (!info.includes('master_link_status:up') || !info.includes('master_sync_in_progress:0')) return false;
    }
    return replicas.length > 0;
  }

  /** The roles every live node agrees on, as seen from `port` (or the first live node). */
  async roles(): Promise<NodeRole[]> {
    for (const node of this.alive()) {
      const raw = await ask(node.port, 'CLUSTER', 'NODES');
      if (typeof raw !== 'string') continue;
      return raw
        .trim()
        .split('\n')
        .map((line) => {
          const [id, address, flags, masterId] = line.split(' ');
          return {
            id,
            port: Number(/:(\d+)@/.exec(address)?.[1]),
            master: flags.split(',').includes('master'),
            masterId: masterId === '-' ? null : masterId,
            failed: /fail/.test(flags),
          };
        });
    }
    return [];
  }

  /** Every live node says cluster_state:ok and there are 3 masters that are not failed. */
  async healthy(): Promise<boolean> {
    for (const node of this.alive()) {
      if (!String(await ask(node.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
    }
    const roles = await this.roles();
    return roles.filter((role) => role.master && !role.failed && this.alive().some((node) => node.port === role.port)).length === 3;
  }

  /** The port of the master that serves `key`. */
  async masterOf(key: string): Promise<number> {
    const slot = Number(await ask(this.alive()[0].port, 'CLUSTER', 'KEYSLOT', key));
    if (!Number.isInteger(slot)) throw new Error(`no node answers CLUSTER KEYSLOT ${key}`);
    for (const node of this.alive()) {
      const client = new IORedis({ port: node.port, host: '127.0.0.1', maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        const range = (await client.cluster('SLOTS')).find(([from, to]) => slot >= from && slot <= to);
        if (range) return range[2][1];
      } catch {
        // This node is down or still starting: ask the next one.
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  }

  /** The port of the replica of the master on `port`. */
  async replicaOf(port: number): Promise<number> {
    const roles = await this.roles();
    const master = roles.find((role) => role.port === port);
    const replica = roles.find((role) => master !== undefined && role.masterId === master.id);
    if (!replica) throw new Error(`the master on ${port} has no replica`);
    return replica.port;
  }

  /** Kills the master on `port` once its replica has all it acknowledged ({@link pauseUntilReplicated}). */
  async killInSync(port: number): Promise<void> {
    await pauseUntilReplicated(port, await this.replicaOf(port));
    await this.kill(port);
  }

  /** Kills the node on `port` like a crash; resolves once the process is gone. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((candidate) => candidate.port === port);
    if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
    const exited = new Promise((resolve) => node.child.once('exit', resolve));
    node.child.kill('SIGKILL');
    await exited;
  }

  /** Polls `check` every 100 ms until it is true, failing after `timeoutMs`. */
  until(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    return pollUntil(check, timeoutMs, what);
  }

  private alive(): ClusterNode[] {
    return this.nodes.filter((node) => node.child.exitCode === null && node.child.signalCode === null);
  }

  /** Kills every node and removes the data dir. */
  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => this.kill(node.port)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}
