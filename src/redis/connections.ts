import IORedis, { Cluster, type Redis, type RedisOptions } from 'ioredis';
import type { Config } from '../config';

/** A Redis client: standalone or cluster. BullMQ accepts both. */
export type RedisClient = Redis | Cluster;

/**
 * Why a connection is opened, which decides how it behaves when Redis is away:
 * - `command`: request/response work for the API (enqueue, queries). Fails fast (no offline
 *   queue, one retry) so a mutation answers UNAVAILABLE instead of hanging.
 * - `blocking`: stream readers, workers, subscribers. Waits and reconnects forever.
 */
export type ConnectionRole = 'command' | 'blocking';

const retryStrategy = (attempt: number): number => Math.min(100 * attempt, 2000);

function optionsFor(role: ConnectionRole, name: string): RedisOptions {
  return role === 'command'
    ? {
        connectionName: name,
        enableOfflineQueue: false,
        // No auto-pipelining: ioredis builds a Pipeline for every tick that sends a command, and
        // copies onto it every script defined on the connection (BullMQ defines 64), which cost
        // more than the writes it saves (bench/RESULTS.md, enqueue-single).
        maxRetriesPerRequest: 1,
        connectTimeout: 1000,
        retryStrategy,
      }
    : {
        connectionName: name,
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
        retryStrategy,
      };
}

/**
 * Opens a connection for `role`. The only place in Jobgate that creates Redis connections,
 * so standalone, Sentinel or cluster is decided once, from the configuration.
 */
export function createRedis(config: Config, role: ConnectionRole, name: string): RedisClient {
  const options = { ...optionsFor(role, name), ...credentials(config) };
  if (config.redisClusterNodes.length > 0) {
    return new Cluster(config.redisClusterNodes, {
      enableOfflineQueue: options.enableOfflineQueue,
      clusterRetryStrategy: retryStrategy,
      // A command to a dead master's slot is retried every 100 ms at most (retryDelayOnFailover, a delay shared by the
      // commands waiting) until its replica takes over. Each retry counts as a redirection: for API work, give up after
      // ~0.5 s and answer UNAVAILABLE (a failover takes seconds; MOVED/ASK need one or two). Workers and stream readers
      // wait like a standalone `blocking` connection: ioredis's 16 redirections were used up within a second, before the
      // replica had taken over, and a processor's `updateProgress` failed the job's attempt. MOVED then waits 100 ms too,
      // so nodes that disagree for a moment are not asked in a busy loop.
      ...(role === 'command' ? { maxRedirections: 6 } : { maxRedirections: Number.POSITIVE_INFINITY, retryDelayOnMoved: 100 }),
      redisOptions: options,
    });
  }
  if (config.redisSentinels.length > 0) {
    // ioredis asks the sentinels for the master, and again after every disconnect, so a failover is followed.
    const { sentinelPassword, tls } = config.redisAuth;
    return new IORedis({
      ...options,
      sentinels: config.redisSentinels,
      name: config.redisSentinelName,
      ...(sentinelPassword && { sentinelPassword }),
      ...(tls && { enableTLSForSentinelMode: true, sentinelTLS: {} }),
    });
  }
  // Credentials in the URL win over REDIS_USERNAME and REDIS_PASSWORD (ioredis lets options override the URL).
  const url = new URL(config.redisUrl);
  const { username: _username, password: _password, ...withoutCredentials } = options;
  return new IORedis(config.redisUrl, url.username || url.password ? withoutCredentials : options);
}

/** The username, password and TLS every data connection uses (REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS or a cluster URL). */
function credentials(config: Config): RedisOptions {
  const { username, password, tls } = config.redisAuth;
  return { ...(username && { username }), ...(password && { password }), ...(tls && { tls: {} }) };
}

/** The BullMQ key prefix of `queue`: hash-tagged per queue on a cluster, so each queue lives in one slot. */
export function queuePrefix(config: Config, queue: string): string {
  return config.redisClusterNodes.length > 0 ? `${config.queuePrefix}:{${queue}}` : config.queuePrefix;
}

/**
 * Holds the writes of `redis`'s socket until the microtasks running now have run: commands
 * issued by continuations that resume together then reach Redis in one write rather than one
 * system call each. A cluster spreads its writes over several sockets and is left as it is.
 */
export function holdWrites(redis: RedisClient): void {
  if (redis instanceof Cluster) return;
  const socket = redis.stream;
  if (!socket?.writable) return;
  socket.cork();
  process.nextTick(() => socket.uncork());
}

/** Key of a queue's BullMQ event stream. */
export function eventStreamKey(config: Config, queue: string): string {
  return `${queuePrefix(config, queue)}:${queue}:events`;
}

/** Key of a BullMQ job hash. */
export function jobKey(config: Config, queue: string, jobId: string): string {
  return `${queuePrefix(config, queue)}:${queue}:${jobId}`;
}

/** Key Jobgate keeps of its own beside a queue's keys (same hash slot). */
export function jobgateKey(config: Config, queue: string, ...parts: string[]): string {
  return [`${queuePrefix(config, queue)}:${queue}:jobgate`, ...parts].join(':');
}

/** Channel on which the gateway asks worker processes to cancel an active job. */
export function cancelChannel(config: Config): string {
  return `${config.queuePrefix}:jobgate:cancel`;
}

/** Whether `error` means Redis is unreachable (as opposed to a bad command). */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  // A MULTI whose queued commands all failed for a connection or failover reason (ioredis gives
  // up on a cluster transaction after its redirections, e.g. every command got CLUSTERDOWN).
  const previous = (error as { previousErrors?: unknown }).previousErrors;
  if (/^EXECABORT /.test(error.message) && Array.isArray(previous)) return previous.length > 0 && previous.every(isConnectionError);
  const code = (error as NodeJS.ErrnoException).code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code ?? '') ||
    /Stream isn't writeable|Connection is closed|Command aborted due to connection close|enableOfflineQueue|MaxRetriesPerRequest|Command timed out|CLUSTERDOWN|TRYAGAIN|Too many Cluster redirections|Failed to refresh slots cache|None of startup nodes|Cluster isn't ready/i.test(
      error.message,
    ) ||
    // Replies of nodes in the middle of a failover or a restart.
    /^(LOADING|READONLY|MASTERDOWN|NOREPLICAS|UNBLOCKED|MOVED|ASK) /.test(error.message)
  );
}

/** Resolves when `client` is connected, or false after `timeoutMs` (the client keeps trying). */
export function whenReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
    client.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
