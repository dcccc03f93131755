import path from 'node:path';
import { MAX_TOKEN_LENGTH } from '../auth/bearer';

/** Validated runtime configuration. Only this module reads `process.env`. */
export interface Config {
  /** HTTP and WebSocket port of the gateway. */
  port: number;
  /** Address the gateway binds to. */
  host: string;
  /** Redis URL (standalone). Ignored when `redisClusterNodes` is set. */
  redisUrl: string;
  /** `host:port` seeds of a Redis Cluster; empty for standalone Redis. */
  redisClusterNodes: { host: string; port: number }[];
  /** `host:port` of Redis Sentinels that name the master; empty when Sentinel is not used. */
  redisSentinels: { host: string; port: number }[];
  /** The master's name in Sentinel (`sentinel monitor <name> …`). */
  redisSentinelName: string;
  /**
   * Credentials and TLS of the Redis data nodes (Cluster nodes, the Sentinel-named master, and a
   * standalone Redis whose URL names none), and the password of the Sentinels themselves.
   */
  redisAuth: { username?: string; password?: string; tls: boolean; sentinelPassword?: string };
  /** BullMQ key prefix. In cluster mode every queue gets its own hash tag: `<prefix>:{<queue>}`. */
  queuePrefix: string;
  /** Start a private redis-server under `.data/redis` when nothing answers at `redisUrl`. */
  autoStartRedis: boolean;
  /** Directory where job types write files (reports) and from which downloads are served. */
  storageDir: string;
  /** Time zone of the built-in cron schedules. */
  scheduleTimeZone: string;
  /** Base URL that `syncExternal` calls. */
  syncBaseUrl: string;
  /** Timeout of one `syncExternal` HTTP call, ms. */
  syncTimeoutMs: number;
  /** Origins a `syncExternal` `url` input may point at. */
  syncAllowedOrigins: string[];
  /** Jobs processed at once per queue by one worker process. */
  workerConcurrency: number;
  /** Queues a worker process serves; empty means all registered queues. */
  workerQueues: string[];
  /** Cap on jobs active at once per queue across every worker process (BullMQ global concurrency); a queue not named has none. */
  queueGlobalConcurrency: Record<string, number>;
  /** Jobs started at most per window per queue across every worker process; overrides a job type's declared `rateLimit`. */
  queueRateLimits: Record<string, { max: number; durationMs: number }>;
  /**
   * Hard time limit of one attempt of a job, ms, for every job type that declares no `timeLimitMs`.
   * Past it the job fails (`time limit …`, no retry) and its worker slot is freed, so no submitter
   * holds a slot for longer. One hour by default; at most 2^31 - 1 (about 24.8 days, Node's longest timer).
   */
  jobTimeLimitMs: number;
  /**
   * Jobs of one owner active at once per queue, across every worker process (0: no cap). A job
   * whose owner is at the cap goes back to the queue, delayed, without using an attempt. Off by
   * default: a single-tenant deployment (one API key, dev mode) would only lose throughput; set it
   * below the queue's total slots (worker processes × WORKER_CONCURRENCY) when submitters share workers.
   */
  ownerActiveLimit: number;
  /** How long workers let active jobs finish on SIGTERM before handing them back, ms. */
  workerGraceMs: number;
  /** How long a worker's lock on an active job lasts without renewal, ms (BullMQ `lockDuration`). */
  workerLockDurationMs: number;
  /** How often workers look for stalled jobs (lock lost: worker died), ms (BullMQ `stalledInterval`). */
  workerStalledIntervalMs: number;
  /**
   * Times a job may stall (its worker killed or lost mid-job; counted over the job's whole life) before
   * BullMQ fails it whatever attempts it has left (BullMQ `maxStalledCount`; 0: fail at the first stall).
   * 10 by default, not BullMQ's 1, so that a rolling deploy that kills several workers in turn during
   * one long job does not fail it, while a job that crashes every worker taking it still stops.
   */
  workerMaxStalledCount: number;
  /** Worker processes `npm start` runs beside the gateway. */
  workerProcesses: number;
  /** Bytes waiting on one WebSocket above which intermediate PROGRESS events are coalesced. */
  slowClientBytes: number;
  /** Max entries BullMQ keeps in each queue's event stream. */
  eventStreamMaxLen: number;
  /** Pause after a short read of a queue's event stream, ms: events of that pause arrive in one read. */
  eventReadPauseMs: number;
  /** Completed jobs are kept at least this long, s. */
  keepCompletedSeconds: number;
  /** Failed jobs are kept at least this long, s. */
  keepFailedSeconds: number;
  /** Upper bound on kept completed/failed jobs per queue. */
  keepJobsCount: number;
  /** Minimum pino level. */
  logLevel: string;
  /** Max request body, bytes. */
  maxBodyBytes: number;
  /** Max serialized `data` of one job, bytes. */
  maxJobDataBytes: number;
  /** Max jobs in one `enqueueMany`. */
  maxBatchSize: number;
  /** Whether GraphiQL and introspection are served. */
  graphiql: boolean;
  introspection: boolean;
  /** Time the gateway gives in-flight work on SIGTERM before it exits, ms. */
  shutdownGraceMs: number;
  /** No authentication configured: every caller is the `dev` owner with every role. */
  devMode: boolean;
  /** Dev mode may listen on a non-loopback address. */
  allowInsecureDev: boolean;
  /** HS256 secret (UTF-8 bytes of the string) for JWTs. */
  jwtSecret: string | undefined;
  /** JWKS URL for RS256/ES256 JWTs. */
  jwksUrl: string | undefined;
  /** When set, a JWT must name this audience (`aud`). */
  jwtAudience: string | undefined;
  /** When set, a JWT must come from this issuer (`iss`). */
  jwtIssuer: string | undefined;
  /** Whether a JWT must carry `exp`: a token without one would be valid forever. */
  jwtRequireExp: boolean;
  /** Static API keys for machine clients. */
  apiKeys: ApiKey[];
  /** Bearer token `GET /metrics` requires; open when unset. */
  metricsToken: string | undefined;
  /** Max depth of an operation (introspection included). */
  maxQueryDepth: number;
  /**
   * Web origins (`https://app.example.com`) whose pages may call the gateway from a browser;
   * empty: any page once authenticated, loopback pages only in dev mode.
   */
  allowedOrigins: string[];
  /** Max tokens in a document: longer ones are refused before they are parsed. */
  maxQueryTokens: number;
  /** Max cost of an operation (graphql-armor's cost model with `first` counted: see `costRule`; introspection included). */
  maxQueryCost: number;
  /** Max aliases in an operation. */
  maxAliases: number;
  /** Max subscriptions at once on one WebSocket. */
  maxSubscriptionsPerSocket: number;
  /** Max WebSockets at once per owner (per gateway process). */
  maxSocketsPerOwner: number;
  /** Jobs one owner may enqueue per minute, across gateways (0: no limit). */
  enqueuesPerMinute: number;
}

/** A static API key: who it stands for. */
export interface ApiKey {
  key: string;
  owner: string;
  roles: string[];
}

type Env = Record<string, string | undefined>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Whether `host` (a HOST value or a URL's hostname) names this machine's loopback. */
export const isLoopbackHost = (host: string): boolean => LOOPBACK_HOSTS.has(host);

/** A configuration value that cannot be used; names the variable. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, got: string) {
    super(`Invalid ${variable}: expected ${expected}, got "${got}"`);
    this.name = 'ConfigError';
  }
}

function int(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
  }
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, 'a boolean (1/0, true/false)', raw);
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** `raw` as a web origin (`scheme://host[:port]`, as browsers send it in `Origin`). */
function webOrigin(name: string, raw: string): string {
  try {
    const parsed = new URL(raw);
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === raw.replace(/\/$/, '')) return parsed.origin;
  } catch {
    // Reported below with the variable's name.
  }
  throw new ConfigError(name, 'a comma-separated list of origins like https://app.example.com (no path)', raw);
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const raw = env[name] || fallback;
  try {
    const parsed = new URL(raw);
    if (!protocols.includes(parsed.protocol)) throw new Error(parsed.protocol);
    return raw;
  } catch {
    throw new ConfigError(name, `a URL with protocol ${protocols.join(' or ')}`, redacted(raw));
  }
}

function hostPorts(name: string, entries: string[]): { host: string; port: number }[] {
  return entries.map((entry) => {
    const match = /^([^:]+):(\d{1,5})$/.exec(entry);
    if (!match) throw new ConfigError(name, 'host:port[,host:port…]', entry);
    return { host: match[1], port: Number(match[2]) };
  });
}

/** `redis[s]+cluster://[user[:password]@]host:port[,host:port…]`: the seeds, credentials and TLS it names. */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^@/?#]+)\/?$/;

function clusterUrl(raw: string): { seeds: string[]; username?: string; password?: string; tls: boolean } | undefined {
  if (!/^rediss?\+cluster:/.test(raw)) return undefined;
  const match = CLUSTER_URL.exec(raw);
  if (!match) throw new ConfigError('REDIS_URL', 'redis[s]+cluster://[user:password@]host:port[,host:port…]', redacted(raw));
  const [, scheme, username, password, hosts] = match;
  return {
    seeds: hosts.split(','),
    ...(username && { username: decodeURIComponent(username) }),
    ...(password !== undefined && { password: decodeURIComponent(password) }),
    tls: scheme === 'rediss',
  };
}

/** `raw` with the password of its user info replaced, for messages and logs. */
export function redacted(raw: string): string {
  return raw.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

/** What a log line may say about where Redis is: no credentials. */
export function redisTarget(config: Config): string {
  const listed = (nodes: { host: string; port: number }[]): string => nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  if (config.redisClusterNodes.length > 0) return `cluster ${listed(config.redisClusterNodes)}`;
  if (config.redisSentinels.length > 0) return `master "${config.redisSentinelName}" of sentinels ${listed(config.redisSentinels)}`;
  return redacted(config.redisUrl);
}

/** `QUEUE_GLOBAL_CONCURRENCY=imports:2,reports:1` */
function queueGlobalConcurrency(env: Env): Record<string, number> {
  const caps: Record<string, number> = {};
  for (const entry of list(env, 'QUEUE_GLOBAL_CONCURRENCY')) {
    const match = /^([a-z0-9][a-z0-9-]{0,99}):(\d{1,6})$/.exec(entry);
    if (!match || Number(match[2]) < 1) throw new ConfigError('QUEUE_GLOBAL_CONCURRENCY', '<queue>:<jobs at once, 1 or more>[,…]', entry);
    caps[match[1]] = Number(match[2]);
  }
  return caps;
}

/** `QUEUE_RATE_LIMITS=integrations:10/1000,maintenance:1/60000`: at most max jobs per durationMs. */
function queueRateLimits(env: Env): Record<string, { max: number; durationMs: number }> {
  const limits: Record<string, { max: number; durationMs: number }> = {};
  for (const entry of list(env, 'QUEUE_RATE_LIMITS')) {
    const match = /^([a-z0-9][a-z0-9-]{0,99}):(\d{1,6})\/(\d{1,9})$/.exec(entry);
    if (!match || Number(match[2]) < 1 || Number(match[3]) < 1) throw new ConfigError('QUEUE_RATE_LIMITS', '<queue>:<jobs, 1 or more>/<per ms, 1 or more>[,…]', entry);
    limits[match[1]] = { max: Number(match[2]), durationMs: Number(match[3]) };
  }
  return limits;
}

function jwtSecret(env: Env): string | undefined {
  const secret = env.JWT_SECRET;
  if (!secret) return undefined;
  if (Buffer.byteLength(secret) < 32) throw new ConfigError('JWT_SECRET', 'at least 32 bytes (HS256)', `${secret.length} characters`);
  return secret;
}

function metricsToken(env: Env): string | undefined {
  const token = env.METRICS_TOKEN;
  if (!token) return undefined;
  if (token.length < 16 || token.length > MAX_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', `16 to ${MAX_TOKEN_LENGTH} characters, no spaces`, `${token.length} characters`);
  }
  return token;
}

const ROLES = ['submitter', 'viewer', 'admin'];

/** `API_KEYS=<key>:<owner>:<role>[+<role>…],…` */
function apiKeys(env: Env): ApiKey[] {
  return list(env, 'API_KEYS').map((entry) => {
    const [key, owner, roles] = entry.split(':');
    const parsed = (roles ?? '').split('+').filter(Boolean);
    if (!key || key.length < 16 || !owner || parsed.length === 0 || parsed.some((role) => !ROLES.includes(role))) {
      throw new ConfigError('API_KEYS', `<key of 16+ chars>:<owner>:<role>[+<role>…] with roles among ${ROLES.join(', ')}`, entry.replace(key ?? '', '***'));
    }
    return { key, owner, roles: parsed };
  });
}

function timeZone(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
    return raw;
  } catch {
    throw new ConfigError(name, 'an IANA time zone such as America/Sao_Paulo', raw);
  }
}

/**
 * Reads and validates the configuration from the environment, with `overrides` (e.g. from
 * command-line flags) taking precedence. Defaults work on a laptop.
 */
export function loadConfig(overrides: Env = {}): Config {
  const env: Env = { ...process.env, ...overrides };
  const redisUrlRaw = env.REDIS_URL || 'redis://127.0.0.1:6379';
  const fromClusterUrl = clusterUrl(redisUrlRaw);
  const seeds = list(env, 'REDIS_CLUSTER_NODES');
  const redisClusterNodes = hostPorts('REDIS_CLUSTER_NODES', seeds.length > 0 ? seeds : (fromClusterUrl?.seeds ?? []));
  const redisUrl = fromClusterUrl ? redisUrlRaw : url(env, 'REDIS_URL', redisUrlRaw, ['redis:', 'rediss:']);
  const redisUsername = fromClusterUrl?.username ?? (env.REDIS_USERNAME || undefined);
  const redisPassword = fromClusterUrl?.password ?? (env.REDIS_PASSWORD || undefined);
  const redisSentinels = hostPorts('REDIS_SENTINELS', list(env, 'REDIS_SENTINELS'));
  if (redisSentinels.length > 0 && redisClusterNodes.length > 0) throw new ConfigError('REDIS_SENTINELS', 'no cluster seeds beside it (Sentinel or Cluster, not both)', env.REDIS_SENTINELS ?? '');
  const syncBaseUrl = url(env, 'SYNC_BASE_URL', 'http://127.0.0.1:8080', ['http:', 'https:']);
  const prefix = env.QUEUE_PREFIX || 'bull';
  if (!/^[A-Za-z0-9_.-]+$/.test(prefix)) throw new ConfigError('QUEUE_PREFIX', 'letters, digits, _ . -', prefix);
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', 'fatal|error|warn|info|debug|trace|silent', logLevel);
  }
  const production = env.NODE_ENV === 'production';
  return {
    port: int(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '127.0.0.1',
    redisUrl,
    redisClusterNodes,
    redisSentinels,
    redisSentinelName: env.REDIS_SENTINEL_NAME || 'mymaster',
    redisAuth: {
      ...(redisUsername && { username: redisUsername }),
      ...(redisPassword && { password: redisPassword }),
      tls: (fromClusterUrl?.tls ?? false) || bool(env, 'REDIS_TLS', false),
      ...(env.REDIS_SENTINEL_PASSWORD && { sentinelPassword: env.REDIS_SENTINEL_PASSWORD }),
    },
    queuePrefix: prefix,
    autoStartRedis: bool(env, 'REDIS_AUTOSTART', true),
    storageDir: path.resolve(env.STORAGE_DIR || 'storage'),
    scheduleTimeZone: timeZone(env, 'SCHEDULE_TZ', 'America/Sao_Paulo'),
    syncBaseUrl,
    syncTimeoutMs: int(env, 'SYNC_TIMEOUT_MS', 5000, 1),
    syncAllowedOrigins: [new URL(syncBaseUrl).origin, ...list(env, 'SYNC_ALLOWED_ORIGINS')],
    workerConcurrency: int(env, 'WORKER_CONCURRENCY', 5, 1, 1000),
    workerQueues: list(env, 'WORKER_QUEUES'),
    queueGlobalConcurrency: queueGlobalConcurrency(env),
    queueRateLimits: queueRateLimits(env),
    jobTimeLimitMs: int(env, 'JOB_TIME_LIMIT_MS', 3_600_000, 100, 2_147_483_647),
    ownerActiveLimit: int(env, 'OWNER_ACTIVE_LIMIT', 0, 0, 100_000),
    workerGraceMs: int(env, 'WORKER_GRACE_MS', 10000, 0),
    workerLockDurationMs: int(env, 'WORKER_LOCK_DURATION_MS', 30000, 100),
    workerStalledIntervalMs: int(env, 'WORKER_STALLED_INTERVAL_MS', 30000, 100),
    workerMaxStalledCount: int(env, 'WORKER_MAX_STALLED_COUNT', 10, 0, 1000),
    workerProcesses: int(env, 'WORKER_PROCESSES', 1, 0, 64),
    slowClientBytes: int(env, 'SLOW_CLIENT_BYTES', 1024 * 1024, 1024),
    eventStreamMaxLen: int(env, 'EVENT_STREAM_MAXLEN', 10000, 100),
    eventReadPauseMs: int(env, 'EVENT_READ_PAUSE_MS', 2, 0, 1000),
    keepCompletedSeconds: int(env, 'KEEP_COMPLETED_SECONDS', 3600, 0),
    keepFailedSeconds: int(env, 'KEEP_FAILED_SECONDS', 24 * 3600, 0),
    keepJobsCount: int(env, 'KEEP_JOBS_COUNT', 10000, 1),
    logLevel,
    maxBodyBytes: int(env, 'MAX_BODY_BYTES', 1024 * 1024, 1024),
    maxJobDataBytes: int(env, 'MAX_JOB_DATA_BYTES', 256 * 1024, 1),
    maxBatchSize: int(env, 'MAX_BATCH_SIZE', 1000, 1),
    graphiql: bool(env, 'GRAPHIQL', !production),
    introspection: bool(env, 'INTROSPECTION', !production),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10000, 0),
    devMode: !(env.JWT_SECRET || env.JWKS_URL || env.API_KEYS),
    allowInsecureDev: bool(env, 'ALLOW_INSECURE_DEV', false),
    jwtSecret: jwtSecret(env),
    jwksUrl: env.JWKS_URL ? url(env, 'JWKS_URL', env.JWKS_URL, ['http:', 'https:']) : undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtRequireExp: bool(env, 'JWT_REQUIRE_EXP', true),
    apiKeys: apiKeys(env),
    metricsToken: metricsToken(env),
    // Documents nested deeper than 256 brackets are refused before parsing, whatever this says.
    maxQueryDepth: int(env, 'MAX_QUERY_DEPTH', 25, 1, 250),
    maxQueryTokens: int(env, 'MAX_QUERY_TOKENS', 5000, 100, 1_000_000),
    allowedOrigins: list(env, 'ALLOWED_ORIGINS').map((origin) => webOrigin('ALLOWED_ORIGINS', origin)),
    maxQueryCost: int(env, 'MAX_QUERY_COST', 100000, 1),
    maxAliases: int(env, 'MAX_ALIASES', 30, 0, 10000),
    maxSubscriptionsPerSocket: int(env, 'MAX_SUBSCRIPTIONS_PER_SOCKET', 100, 1),
    maxSocketsPerOwner: int(env, 'MAX_SOCKETS_PER_OWNER', 100, 1),
    enqueuesPerMinute: int(env, 'ENQUEUES_PER_MINUTE', 6000, 0),
  };
}
