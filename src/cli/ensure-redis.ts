import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { isLoopbackHost, redisTarget, type Config } from '../config';
import { createRedis, whenReady } from '../redis/connections';

/** Whether a Redis (or the cluster) answers PING within a second. */
export async function redisAnswers(config: Config): Promise<boolean> {
  const client = createRedis(config, 'command', 'jobgate:probe');
  client.on('error', () => undefined);
  try {
    return (await whenReady(client, 1000)) && (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

const INSTALL_HINT =
  'No Redis answers at REDIS_URL and no redis-server is on the PATH.\n' +
  'Install Redis (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) ' +
  'or set REDIS_URL=redis://host:port to a running one.';

/**
 * Makes sure Redis answers at `config.redisUrl`. When nothing does and `redis-server` is on the
 * PATH, starts a private one on that port with its data under `.data/redis` (append-only file
 * on, so jobs survive a restart) and returns it; otherwise throws with install instructions.
 */
export async function ensureRedis(config: Config, logger: Logger): Promise<ChildProcess | undefined> {
  if (await redisAnswers(config)) return undefined;
  if (config.redisClusterNodes.length > 0) throw new Error('Redis does not answer at the REDIS_CLUSTER_NODES seeds');
  if (config.redisSentinels.length > 0) throw new Error(`No master "${config.redisSentinelName}" answers through REDIS_SENTINELS`);
  const local = new URL(config.redisUrl);
  if (!isLoopbackHost(local.hostname) || !config.autoStartRedis || local.password || config.redisAuth.password) {
    throw new Error(`Redis does not answer at ${redisTarget(config)} (or refused the credentials)`);
  }
  if (spawnSync('redis-server', ['--version']).error) throw new Error(INSTALL_HINT);
  const dir = path.resolve('.data', 'redis');
  mkdirSync(dir, { recursive: true });
  const port = local.port || '6379';
  const child = spawn('redis-server', ['--port', port, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], {
    stdio: 'ignore',
  });
  for (let attempt = 0; attempt < 50; attempt++) {
    if (await redisAnswers(config)) {
      logger.warn({ port, dir }, 'no Redis was running: started a private redis-server (append-only file on)');
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error(`Started redis-server on port ${port} but it does not answer`);
}
