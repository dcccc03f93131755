import {
  bool,
  boolDerived,
  checkUrl,
  directory,
  HOST_PORTS,
  hostPort,
  int,
  kind,
  list,
  oneOf,
  optionalText,
  optionalUrl,
  perQueue,
  redacted,
  refuse,
  text,
  timeZone,
  url,
  webOrigin,
  type HostPort,
  type Kind,
} from './kinds';

/**
 * The configuration, declared once: every environment variable Jobgate reads, with its kind
 * (parser, default, bounds), the `Config` field it feeds and a one-line description. The
 * `Config` type, `loadConfig` and `docs/configuration.md` (`npm run config-doc`) all come from here.
 */

/** A static API key: who it stands for. */
export interface ApiKey {
  key: string;
  owner: string;
  roles: string[];
}

/** `Config` fields made from several variables after parsing (see `derive` in ./index.ts). */
export interface Derived {
  /** `host:port` seeds of a Redis Cluster; empty for standalone Redis. */
  redisClusterNodes: HostPort[];
  /**
   * Credentials and TLS of the Redis data nodes (Cluster nodes, the Sentinel-named master, and a
   * standalone Redis whose URL names none), and the password of the Sentinels themselves.
   */
  redisAuth: { username?: string; password?: string; tls: boolean; sentinelPassword?: string };
  /** Origins a `syncExternal` `url` input may point at. */
  syncAllowedOrigins: string[];
  /** Whether the web UI (GraphiQL and the console) is served. */
  graphiql: boolean;
  /** Whether introspection is allowed. */
  introspection: boolean;
  /** No authentication configured (none of JWT_SECRET, JWKS_URL, API_KEYS set): every caller is the `system:dev` owner with every role. */
  devMode: boolean;
  /**
   * OpenTelemetry tracing, on when an OTLP endpoint is set (and neither `OTEL_SDK_DISABLED` nor
   * `OTEL_TRACES_EXPORTER=none`): the OTLP/HTTP encoding to export in. Null when off.
   */
  tracing: TracingConfig | null;
}

/** How traces are exported when tracing is on; the SDK reads the rest of its `OTEL_*` variables itself. */
export interface TracingConfig {
  protocol: OtlpProtocol;
}

/** The OTLP encodings over HTTP Jobgate exports traces in (`grpc` is not bundled). */
export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export const isOtlpProtocol = (value: string): value is OtlpProtocol => (OTLP_PROTOCOLS as readonly string[]).includes(value);

/** A variable whose parsed value is `Config[field]` itself. */
export interface Own<F extends string, T> {
  field: F;
  kind: Kind<T>;
  description: string;
  /** Derived fields it also takes part in. */
  feeds: (keyof Derived)[];
}

/** A variable that takes part in derived `Config` fields. */
export interface Part<T> {
  feeds: (keyof Derived)[];
  kind: Kind<T>;
  description: string;
}

export type Variable = Own<string, unknown> | Part<unknown>;

/** The examples `JOBGATE_EXAMPLES` may name, each a folder of `examples/`. */
export const EXAMPLES: readonly string[] = ['fleet'];

/** The longest token a `Bearer` header may carry (a METRICS_TOKEN longer could never match). */
export const MAX_TOKEN_LENGTH = 8192;

const own = <F extends string, T>(field: F, kind: Kind<T>, description: string, feeds: (keyof Derived)[] = []): Own<F, T> => ({
  field,
  kind,
  description,
  feeds,
});
const part = <T>(feeds: keyof Derived | (keyof Derived)[], kind: Kind<T>, description: string): Part<T> => ({
  feeds: [feeds].flat(),
  kind,
  description,
});

/** `redis[s]+cluster://[user[:password]@]host:port[,host:port…]`: the seeds, credentials and TLS it names. */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^@/?#]+)\/?$/;

/** A `redis[s]+cluster://` URL's parts (seeds as written); undefined for any other URL. */
export function clusterUrl(raw: string): { seeds: string[]; username?: string; password?: string; tls: boolean } | undefined {
  const match = CLUSTER_URL.exec(raw);
  if (!match) return undefined;
  const [, scheme, username, password, hosts] = match;
  return {
    seeds: hosts.split(','),
    ...(username && { username: decodeURIComponent(username) }),
    ...(password !== undefined && { password: decodeURIComponent(password) }),
    tls: scheme === 'rediss',
  };
}

const REDIS_URL = kind('`redis://127.0.0.1:6379`', (raw = 'redis://127.0.0.1:6379', ctx) => {
  if (!/^rediss?\+cluster:/.test(raw)) return checkUrl(raw, ['redis:', 'rediss:'], ctx);
  if (clusterUrl(raw)?.seeds.every(hostPort)) return raw;
  return refuse(ctx, 'redis[s]+cluster://[user:password@]host:port[,host:port…]', redacted(raw));
});

const JWT_SECRET = kind('–', (secret, ctx) => {
  if (secret === undefined || Buffer.byteLength(secret) >= 32) return secret;
  return refuse(ctx, 'at least 32 bytes (HS256)', `${secret.length} characters`);
});

const METRICS_TOKEN = kind('–', (token, ctx) => {
  if (token === undefined || (token.length >= 16 && token.length <= MAX_TOKEN_LENGTH && !/\s/.test(token))) return token;
  return refuse(ctx, `16 to ${MAX_TOKEN_LENGTH} characters, no spaces`, `${token.length} characters`);
});

const ROLES = ['submitter', 'viewer', 'admin'];

/** `API_KEYS=<key>:<owner>:<role>[+<role>…],…`; a refused entry is shown with its key hidden. */
const API_KEYS = list<ApiKey>(
  '–',
  (entry) => {
    const [key, owner, roles] = entry.split(':');
    const parsed = (roles ?? '').split('+').filter(Boolean);
    if (!key || key.length < 16 || !owner || parsed.length === 0 || parsed.some((role) => !ROLES.includes(role))) return undefined;
    return { key, owner, roles: parsed };
  },
  `<key of 16+ chars>:<owner>:<role>[+<role>…] with roles among ${ROLES.join(', ')}`,
  (entry) => entry.replace(entry.split(':')[0] ?? '', '***'),
);

/** `QUEUE_GLOBAL_CONCURRENCY` values: 1 to 999999. */
const jobsAtOnce = (value: string): number | undefined => (/^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : undefined);

const QUEUE_RATE_LIMITS = perQueue((value) => {
  const match = /^(\d{1,6})\/(\d{1,9})$/.exec(value);
  const [max, durationMs] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  return max >= 1 && durationMs >= 1 ? { max, durationMs } : undefined;
}, '<queue>:<jobs, 1 or more>/<per ms, 1 or more>[,…]');

const gateway = {
  PORT: own('port', int(4000, 0, 65535), 'HTTP and WebSocket port of the gateway (`0`: any free port).'),
  HOST: own('host', text('127.0.0.1'), 'Address the gateway binds to; in dev mode only a loopback one unless `ALLOW_INSECURE_DEV` is on.'),
  NODE_ENV: part(
    ['graphiql', 'introspection'],
    optionalText(),
    '`production` turns the defaults of `GRAPHIQL` and `INTROSPECTION` off (libraries such as Express read it too).',
  ),
  GRAPHIQL: part(
    'graphiql',
    boolDerived('on unless `NODE_ENV=production`'),
    'Serve the web UI: GraphiQL (`/graphiql`, and `/graphql` to a browser) and the console (`/`), once built (`npm run build:web`).',
  ),
  INTROSPECTION: part(
    'introspection',
    boolDerived('on unless `NODE_ENV=production`'),
    'Allow introspection; when off it is refused and error messages give no schema hints (such as *did you mean*).',
  ),
  SHUTDOWN_GRACE_MS: own('shutdownGraceMs', int(10000, 0), 'Time the gateway gives in-flight work on SIGTERM before it exits, ms.'),
  HTTP_KEEP_ALIVE_MS: own(
    'httpKeepAliveMs',
    int(65_000, 2000, 3_600_000),
    'Time an idle keep-alive HTTP connection stays open, ms, announced in `Keep-Alive: timeout=`; keep it above the idle timeout of a balancer in front (60 s on AWS ALB), so that the balancer, not the gateway, closes it.',
  ),
  LOG_LEVEL: own(
    'logLevel',
    oneOf('info', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    'Minimum pino level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`.',
  ),
  LOG_FORMAT: own(
    'logFormat',
    oneOf('auto', ['auto', 'json', 'pretty']),
    'Log lines as `json` or `pretty` (pino-pretty, a dev dependency: JSON without it); `auto`: pretty under `npm start` on a terminal, else JSON.',
  ),
  METRICS_TOKEN: own(
    'metricsToken',
    METRICS_TOKEN,
    `Bearer token \`GET /metrics\` requires (16 to ${MAX_TOKEN_LENGTH} characters, no spaces; Prometheus: \`authorization: { credentials: … }\`), else 401; open when unset.`,
  ),
};

const auth = {
  JWT_SECRET: own('jwtSecret', JWT_SECRET, 'HS256 secret for JWTs, at least 32 bytes (used as its UTF-8 bytes).', ['devMode']),
  JWKS_URL: own('jwksUrl', optionalUrl(['http:', 'https:']), 'JWKS URL for RS256/ES256 JWTs.', ['devMode']),
  JWT_AUDIENCE: own('jwtAudience', optionalText(), 'When set, a JWT must name this audience (`aud`).'),
  JWT_ISSUER: own('jwtIssuer', optionalText(), 'When set, a JWT must come from this issuer (`iss`).'),
  JWT_REQUIRE_EXP: own('jwtRequireExp', bool(true), 'A JWT without `exp` is refused (it would be valid forever).'),
  API_KEYS: own(
    'apiKeys',
    API_KEYS,
    'Static API keys for machine clients: `<key>:<owner>:<role>[+<role>…],…`, a key of 16 characters or more, roles among `submitter`, `viewer`, `admin`.',
    ['devMode'],
  ),
  ALLOW_INSECURE_DEV: own(
    'allowInsecureDev',
    bool(false),
    'Let dev mode (none of `JWT_SECRET`, `JWKS_URL`, `API_KEYS` set: every caller is `system:dev` with every role) listen beyond loopback, and accept pages served from its own host.',
  ),
  ALLOWED_ORIGINS: own(
    'allowedOrigins',
    list('–', webOrigin, 'a comma-separated list of origins like https://app.example.com (no path)'),
    'Web origins (`https://app.example.com,…`) whose pages may call the gateway from a browser; unset: any page once authenticated, loopback pages only in dev mode (SECURITY.md).',
  ),
};

const limits = {
  MAX_BODY_BYTES: own('maxBodyBytes', int(1024 * 1024, 1024), 'Max body of an HTTP request and max WebSocket message, bytes.'),
  MAX_JOB_DATA_BYTES: own('maxJobDataBytes', int(256 * 1024, 1), 'Max serialized `data` of one job, bytes.'),
  MAX_BATCH_SIZE: own('maxBatchSize', int(1000, 1), 'Max jobs in one `enqueueMany`.'),
  MAX_FLOW_JOBS: own(
    'maxFlowJobs',
    int(1000, 1, 100_000),
    'Max jobs in one flow (`enqueueFlow`, or a job type that declares children), every node counted, declared children included.',
  ),
  MAX_FLOW_DEPTH: own(
    'maxFlowDepth',
    int(100, 1, 150),
    'Max levels of a flow, the root being level 1. A chain of N steps is N levels deep, and reading, cancelling or retrying a flow costs one Redis round trip per level: 100 allows any chain a person writes by hand while bounding those round trips per request. At most 150: the variables of a request nest at most 512 levels.',
  ),
  // Documents nested deeper than 256 brackets are refused before parsing, whatever this says.
  MAX_QUERY_DEPTH: own('maxQueryDepth', int(25, 1, 250), 'Max depth of an operation (introspection included).'),
  MAX_QUERY_TOKENS: own(
    'maxQueryTokens',
    int(5000, 100, 1_000_000),
    'Max tokens in a document: longer ones are refused before they are parsed (a document may also open at most 256 brackets at once: docs/graphql-over-http.md).',
  ),
  MAX_QUERY_COST: own(
    'maxQueryCost',
    int(100000, 1),
    "Max cost of an operation (graphql-armor's cost model with `first` counted; introspection included).",
  ),
  MAX_ALIASES: own('maxAliases', int(30, 0, 10000), 'Max aliases in an operation.'),
  MAX_SUBSCRIPTIONS_PER_SOCKET: own(
    'maxSubscriptionsPerSocket',
    int(100, 1),
    'Max subscriptions at once on one WebSocket, or on one SSE event stream (`/graphql/stream`).',
  ),
  MAX_SOCKETS_PER_OWNER: own(
    'maxSocketsPerOwner',
    int(100, 1),
    'Max connections at once per owner, per gateway process: WebSockets and SSE event streams (`/graphql/stream`, reserved or open) together, in one budget.',
  ),
  ENQUEUES_PER_MINUTE: own(
    'enqueuesPerMinute',
    int(6000, 0),
    'Jobs one owner may enqueue per fixed minute, counted in Redis across gateways (`0`: no limit).',
  ),
};

const redis = {
  REDIS_URL: own(
    'redisUrl',
    REDIS_URL,
    'Standalone Redis, `redis[s]://[user:password@]host:port[/db]`; or `redis[s]+cluster://[user:password@]host:port,…` for a Cluster (its seeds, credentials and TLS then apply).',
    ['redisClusterNodes', 'redisAuth'],
  ),
  REDIS_CLUSTER_NODES: part(
    'redisClusterNodes',
    list('–', hostPort, HOST_PORTS),
    '`host:port,…` seeds of a Redis Cluster (else those of a `redis+cluster://` `REDIS_URL`); each queue then gets its own hash tag.',
  ),
  REDIS_SENTINELS: own(
    'redisSentinels',
    list('–', hostPort, HOST_PORTS),
    '`host:port,…` of Redis Sentinels that name the master (not beside a Cluster).',
  ),
  REDIS_SENTINEL_NAME: own('redisSentinelName', text('mymaster'), "The master's name in Sentinel (`sentinel monitor <name> …`)."),
  REDIS_USERNAME: part(
    'redisAuth',
    optionalText(),
    "Username of the Redis data nodes: Cluster nodes, the Sentinel-named master, a standalone Redis whose URL names none (the URL's win).",
  ),
  REDIS_PASSWORD: part('redisAuth', optionalText(), 'Password of the Redis data nodes, as for `REDIS_USERNAME`; never logged.'),
  REDIS_TLS: part(
    'redisAuth',
    bool(false),
    'TLS to Cluster nodes, to the Sentinels and their master, and to a standalone Redis (or use `rediss://`, `rediss+cluster://`).',
  ),
  REDIS_SENTINEL_PASSWORD: part('redisAuth', optionalText(), "The Sentinels' own password (`requirepass` in sentinel.conf)."),
  REDIS_AUTOSTART: own(
    'autoStartRedis',
    bool(true),
    '`npm start` starts a private `redis-server` (data under `.data/redis`, append-only) when nothing answers at a loopback `REDIS_URL` and no Redis password is set (not for a Cluster or Sentinel).',
  ),
  QUEUE_PREFIX: own(
    'queuePrefix',
    text('bull', /^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . -'),
    "BullMQ key prefix (BullMQ's default, so plain BullMQ workers interoperate); in a Cluster every queue gets its own hash tag, `<prefix>:{<queue>}`.",
  ),
  EVENT_STREAM_MAXLEN: own(
    'eventStreamMaxLen',
    int(10000, 100),
    "Max entries BullMQ keeps in each queue's event stream (how far back `since` reaches).",
  ),
  EVENT_READ_PAUSE_MS: own(
    'eventReadPauseMs',
    int(0, 0, 1000),
    "Cadence of the reads of a busy queue event stream, ms. `0` (the default): each read follows the last at once, so a stream costs at most one read per entry per gateway process, whatever the number of watchers, and entries that arrive while a read's events go out are read together. A pause bounds a busy stream's reads to one per pause per gateway, for many gateways on busy streams, and adds up to about that much latency; a read that fills a page (1,000 entries) is followed at once, and an idle stream's first entry is read at once.",
  ),
  SLOW_CLIENT_BYTES: own(
    'slowClientBytes',
    int(1024 * 1024, 1024),
    'Bytes queued for one WebSocket or SSE subscriber above which its intermediate PROGRESS events are coalesced (latest wins; state changes never are).',
  ),
};

const jobs = {
  WORKER_CONCURRENCY: own(
    'workerConcurrency',
    int(5, 1, 1000),
    'Jobs processed at once per queue by one worker process (`npm run worker -- --concurrency`).',
  ),
  WORKER_QUEUES: own(
    'workerQueues',
    list('all'),
    'Queues a worker process serves, `a,b,…` (`npm run worker -- --queues`); unset: every registered queue.',
  ),
  WORKER_PROCESSES: own('workerProcesses', int(1, 0, 64), 'Worker processes `npm start` runs beside the gateway.'),
  WORKER_HEARTBEAT_MS: own(
    'workerHeartbeatMs',
    int(5000, 50, 600_000),
    'How often a worker process publishes its heartbeat (the `workerProcesses` query), ms; one missing for 3 intervals shows it LOST. Gateways look for changes (`workerEvents`) at their own interval.',
  ),
  QUEUE_GLOBAL_CONCURRENCY: own(
    'queueGlobalConcurrency',
    perQueue(jobsAtOnce, '<queue>:<jobs at once, 1 or more>[,…]'),
    '`queue:n,…` cap on jobs active at once per queue across every worker process (BullMQ global concurrency); a queue not named has none; naming an unknown queue stops workers from starting.',
  ),
  QUEUE_RATE_LIMITS: own(
    'queueRateLimits',
    QUEUE_RATE_LIMITS,
    "`queue:max/ms,…` jobs started at most per window per queue across every worker process; overrides a job type's declared `rateLimit` (`syncExternal` declares 10 per 1,000 ms); naming an unknown queue stops workers from starting.",
  ),
  JOB_TIME_LIMIT_MS: own(
    'jobTimeLimitMs',
    int(3_600_000, 100, 2_147_483_647),
    "Hard time limit of one attempt of a job whose type declares no `timeLimitMs`, ms: past it the job fails (`time limit …`, no retry) and its worker slot is freed. At most 2^31 - 1 (Node's longest timer).",
  ),
  OWNER_ACTIVE_LIMIT: own(
    'ownerActiveLimit',
    int(0, 0, 100_000),
    "Jobs of one owner active at once per queue across every worker process (`0`: no cap); a job over the cap goes back to the queue, delayed (1 s, doubling at each deferral up to about 30 s) without using an attempt, or until one of the owner's jobs ends. Set it below the queue's total slots (worker processes × `WORKER_CONCURRENCY`) when submitters share workers.",
  ),
  WORKER_GRACE_MS: own(
    'workerGraceMs',
    int(10000, 0),
    'On SIGTERM, how long a worker lets active jobs finish before handing them back to the queue, ms.',
  ),
  WORKER_LOCK_DURATION_MS: own(
    'workerLockDurationMs',
    int(30000, 100),
    "How long a worker's lock on an active job lasts without renewal, ms (BullMQ `lockDuration`).",
  ),
  WORKER_STALLED_INTERVAL_MS: own(
    'workerStalledIntervalMs',
    int(30000, 100),
    'How often workers look for stalled jobs (lock lost: worker died), ms (BullMQ `stalledInterval`).',
  ),
  WORKER_MAX_STALLED_COUNT: own(
    'workerMaxStalledCount',
    int(10, 0, 1000),
    'Stalls (worker killed or lost mid-job) a job survives over its whole life before it fails whatever attempts it has left (BullMQ `maxStalledCount`, whose own default is 1; `0`: fail at the first); a SIGTERM hand-back is not a stall.',
  ),
  KEEP_COMPLETED_SECONDS: own(
    'keepCompletedSeconds',
    int(3600, 0),
    "Age past which completed jobs are removed, s (BullMQ trims them as later jobs of the queue complete; at most `KEEP_JOBS_COUNT` are kept). A job type's `defaults.keepCompletedSeconds` may raise it for its queue, an enqueue's `removeOnCompleteAfterSeconds` shorten it for its job.",
  ),
  KEEP_FAILED_SECONDS: own(
    'keepFailedSeconds',
    int(24 * 3600, 0),
    'Age past which failed jobs are removed, s (BullMQ trims them as later jobs of the queue fail; at most `KEEP_JOBS_COUNT` are kept).',
  ),
  KEEP_JOBS_COUNT: own(
    'keepJobsCount',
    int(10000, 1),
    'Most completed jobs, and most failed jobs, a queue keeps (older ones are removed first).',
  ),
  STORAGE_DIR: own(
    'storageDir',
    directory('storage'),
    'Directory (relative to the working directory) where job types write files (reports) and from which `/downloads` serves them.',
  ),
  SCHEDULE_TZ: own(
    'scheduleTimeZone',
    timeZone('America/Sao_Paulo'),
    'IANA time zone of cron schedules that name none (the built-in ones included).',
  ),
  JOBGATE_EXAMPLES: own(
    'examples',
    list('–', (item) => (EXAMPLES.includes(item) ? item : undefined), `a comma-separated list of examples among ${EXAMPLES.join(', ')}`),
    'Example applications whose job types, queues and schedules the gateway and the workers register, `a,b,…` among `fleet` (examples/fleet: the fleet-tracking back-end ported from Celery); none when unset. Once an example is off, its declared schedules are removed at the next start.',
  ),
  SYNC_BASE_URL: own(
    'syncBaseUrl',
    url('http://127.0.0.1:8080', ['http:', 'https:']),
    'Base URL `syncExternal` posts to (`<base>/orders/<id>`); its origin is always allowed.',
    ['syncAllowedOrigins'],
  ),
  SYNC_ALLOWED_ORIGINS: part(
    'syncAllowedOrigins',
    list('–'),
    'Other origins a `syncExternal` `url` input may point at, `https://host[:port],…` (loopback ones too in dev mode).',
  ),
  SYNC_TIMEOUT_MS: own('syncTimeoutMs', int(5000, 1), 'Timeout of one `syncExternal` HTTP call, ms.'),
};

/**
 * The standard OpenTelemetry variables that decide whether tracing is on and which exporter loads.
 * The SDK reads its other `OTEL_*` variables itself (service name, sampler, headers, batching:
 * docs/tracing.md), as every OpenTelemetry SDK does.
 */
const tracing = {
  OTEL_EXPORTER_OTLP_ENDPOINT: part(
    'tracing',
    optionalUrl(['http:', 'https:']),
    'OTLP/HTTP base URL (`http://collector:4318`) traces go to, at `<url>/v1/traces`; tracing is off (the SDK not even loaded) while neither this nor `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (docs/tracing.md).',
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: part(
    'tracing',
    optionalUrl(['http:', 'https:']),
    'Full OTLP/HTTP URL for traces (`http://collector:4318/v1/traces`); wins over `OTEL_EXPORTER_OTLP_ENDPOINT`.',
  ),
  OTEL_EXPORTER_OTLP_PROTOCOL: part(
    'tracing',
    oneOf('http/protobuf', OTLP_PROTOCOLS),
    'OTLP encoding: `http/protobuf` or `http/json` (`grpc` is not supported).',
  ),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: part(
    'tracing',
    kind('–', (raw, ctx) => (raw === undefined || isOtlpProtocol(raw) ? raw : refuse(ctx, OTLP_PROTOCOLS.join('|'), raw))),
    'OTLP encoding of traces; wins over `OTEL_EXPORTER_OTLP_PROTOCOL`.',
  ),
  OTEL_TRACES_EXPORTER: part('tracing', oneOf('otlp', ['otlp', 'none']), '`none` turns tracing off whatever the endpoint.'),
  OTEL_SDK_DISABLED: part('tracing', bool(false), 'Turns tracing off whatever the endpoint.'),
};

/** The variables by subject, in the order the docs show them. */
export const groups = {
  Gateway: gateway,
  Authentication: auth,
  'Request limits': limits,
  Redis: redis,
  'Jobs and workers': jobs,
  'Tracing (OpenTelemetry)': tracing,
} as const;

/** Every variable, by name. */
export const variables = { ...gateway, ...auth, ...limits, ...redis, ...jobs, ...tracing };
