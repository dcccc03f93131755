/**
 * A private, throw-away `redis-server` on a free loopback port, so the suite
 * never shares Redis with other work and can count every command it causes.
 * Nothing is persisted; the server is shut down at the end of the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort, waitUntil } from './net';

/** A running Redis, private or external, with the readings the figures need. */
export interface RedisHandle {
  url: string;
  /** Redis version reported by INFO server. */
  version: string;
  /** True when the bench started this server and counts are not disturbed by others. */
  private: boolean;
  /** Total commands processed by the server so far (INFO stats). */
  commandsProcessed(): Promise<number>;
  /** Per-command call counts (INFO commandstats), e.g. `{ evalsha: 1200, xread: 40 }`. */
  commandStats(): Promise<Record<string, number>>;
  /** Closes the admin connection, and stops the server if the bench started it. */
  stop(): Promise<void>;
}

function infoField(info: string, field: string): string {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim() ?? '';
}

function handleFor(url: string, admin: Redis, version: string, proc: ChildProcess | null): RedisHandle {
  return {
    url,
    version,
    private: proc !== null,
    async commandsProcessed() {
      return Number(infoField(await admin.info('stats'), 'total_commands_processed'));
    },
    async commandStats() {
      const stats: Record<string, number> = {};
      for (const match of (await admin.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
        stats[match[1] ?? ''] = Number(match[2]);
      }
      return stats;
    },
    async stop() {
      if (proc && proc.exitCode === null) {
        const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
        await admin.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        const timer = setTimeout(() => proc.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }
      admin.disconnect();
    },
  };
}

async function connectAdmin(url: string, timeoutMs: number): Promise<{ admin: Redis; version: string }> {
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  // Refused connections while the server starts or after SHUTDOWN are expected; PING reports real failures.
  admin.on('error', () => undefined);
  const up = await waitUntil(async () => (await admin.ping()) === 'PONG', timeoutMs);
  if (!up) {
    admin.disconnect();
    throw new Error(`Redis at ${url} did not answer PING within ${timeoutMs} ms`);
  }
  return { admin, version: infoField(await admin.info('server'), 'redis_version') };
}

/** Starts `redis-server` on a free port with persistence off; logs go to `logDir/redis.log`. */
export async function startPrivateRedis(logDir: string): Promise<RedisHandle> {
  const port = await freePort();
  const log = openSync(path.join(logDir, 'redis.log'), 'a');
  const proc = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxclients', '50000', '--dir', logDir],
    { stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const started = new Promise<never>((_, reject) => proc.once('error', reject));
  const url = `redis://127.0.0.1:${port}`;
  const { admin, version } = await Promise.race([connectAdmin(url, 10_000), started]);
  return handleFor(url, admin, version, proc);
}

/** Uses an existing Redis (e.g. `--redis-url`); command counts then include other clients' work. */
export async function useExternalRedis(url: string): Promise<RedisHandle> {
  const { admin, version } = await connectAdmin(url, 5_000);
  return handleFor(url, admin, version, null);
}
