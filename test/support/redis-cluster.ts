import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import { ask, pollUntil } from './redis-probe';
import { freePort } from './redis-server';

/** One `redis-server --cluster-enabled yes` process of a {@link PrivateCluster}. */
export interface ClusterNode {
  port: number;
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
 * Six private `redis-server` processes on loopback ports in cluster mode, three masters and
 * three replicas, data in a temp dir. `cluster-node-timeout` is short so a failover takes
 * about two seconds. `destroy()` kills every process and removes the dir.
 */
export class PrivateCluster {
  readonly nodes: ClusterNode[] = [];
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'jobgate-cluster-'));

  private constructor(readonly nodeTimeoutMs: number) {}

  /** Starts the nodes and creates the cluster; destroys what it started when that fails. */
  static async start(nodeTimeoutMs = 1000): Promise<PrivateCluster> {
    const cluster = new PrivateCluster(nodeTimeoutMs);
    try {
      await cluster.create();
      return cluster;
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }

  /** `host:port,…` of every node, as REDIS_CLUSTER_NODES. */
  get seeds(): string {
    return this.nodes.map((node) => `127.0.0.1:${node.port}`).join(',');
  }

  private async create(): Promise<void> {
    for (let index = 0; index < 6; index++) {
      // The bus port is chosen too: port + 10000 may be taken or beyond 65535.
      const [port, busPort] = [await freePort(), await freePort()];
      const dir = path.join(this.dir, String(port));
      mkdirSync(dir);
      const child = spawn(
        'redis-server',
        ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--dir', dir, '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', String(this.nodeTimeoutMs), '--cluster-replica-validity-factor', '0', '--appendonly', 'no', '--save', ''],
        { stdio: 'ignore' },
      );
      this.nodes.push({ port, child });
    }
    for (const node of this.nodes) await this.until(async () => (await ask(node.port, 'PING')) === 'PONG', 5000, `node ${node.port} to answer`);
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...this.nodes.map((node) => `127.0.0.1:${node.port}`), '--cluster-replicas', '1', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    await this.until(() => this.healthy(), 20_000, 'cluster_state:ok on every node with 3 masters and 3 replicas');
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
