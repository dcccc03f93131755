import { z } from 'zod';
import { hostPort, redacted, type Kind, type Refusal } from './kinds';
import { clusterUrl, isOtlpProtocol, variables, type Derived, type Own, type TracingConfig } from './schema';

export { redacted };
export { MAX_TOKEN_LENGTH } from './schema';
export type { ApiKey, OtlpProtocol, TracingConfig } from './schema';

type Variables = typeof variables;
type Env = Record<string, string | undefined>;

/** Each variable's parsed value, by variable name. */
type Parsed = { [Name in keyof Variables]: Variables[Name]['kind'] extends Kind<infer T> ? T : never };

/** The fields that are one variable's parsed value: `{ port: number, … }` from `PORT: own('port', int(…), …)`. */
type OwnFields = { [Name in keyof Variables as Variables[Name] extends Own<infer F, unknown> ? F : never]: Parsed[Name] };

/**
 * Validated runtime configuration, derived from `./schema.ts` (where each field's variable,
 * default, bounds and description are declared). Only this module reads `process.env`.
 */
export interface Config extends OwnFields, Derived {}

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

/** What a log line may say about where Redis is: no credentials. */
export function redisTarget(config: Config): string {
  const listed = (nodes: { host: string; port: number }[]): string => nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  if (config.redisClusterNodes.length > 0) return `cluster ${listed(config.redisClusterNodes)}`;
  if (config.redisSentinels.length > 0) return `master "${config.redisSentinelName}" of sentinels ${listed(config.redisSentinels)}`;
  return redacted(config.redisUrl);
}

/** The whole environment as one zod object: unknown variables are dropped. */
const envSchema = z.object(Object.fromEntries(Object.entries(variables).map(([name, variable]) => [name, variable.kind.schema])));

/**
 * The derived fields (each documented in the description of the variables that feed it):
 * cluster seeds and Redis credentials from REDIS_URL or their own variables, the production
 * defaults of GRAPHIQL and INTROSPECTION, the `syncExternal` origins, and dev mode.
 */
function derive(parsed: Parsed, env: Env): Derived {
  const fromUrl = clusterUrl(parsed.REDIS_URL);
  const seeds =
    parsed.REDIS_CLUSTER_NODES.length > 0 ? parsed.REDIS_CLUSTER_NODES : (fromUrl?.seeds.flatMap((seed) => hostPort(seed) ?? []) ?? []);
  if (parsed.REDIS_SENTINELS.length > 0 && seeds.length > 0)
    throw new ConfigError('REDIS_SENTINELS', 'no cluster seeds beside it (Sentinel or Cluster, not both)', env.REDIS_SENTINELS ?? '');
  const username = fromUrl?.username ?? parsed.REDIS_USERNAME;
  const password = fromUrl?.password ?? parsed.REDIS_PASSWORD;
  const production = parsed.NODE_ENV === 'production';
  return {
    redisClusterNodes: seeds,
    redisAuth: {
      ...(username && { username }),
      ...(password && { password }),
      tls: (fromUrl?.tls ?? false) || parsed.REDIS_TLS,
      ...(parsed.REDIS_SENTINEL_PASSWORD && { sentinelPassword: parsed.REDIS_SENTINEL_PASSWORD }),
    },
    syncAllowedOrigins: [new URL(parsed.SYNC_BASE_URL).origin, ...parsed.SYNC_ALLOWED_ORIGINS],
    graphiql: parsed.GRAPHIQL ?? !production,
    introspection: parsed.INTROSPECTION ?? !production,
    // From the raw values, as set: a blank-looking API_KEYS (",") still means "not dev mode".
    devMode: !(env.JWT_SECRET || env.JWKS_URL || env.API_KEYS),
    tracing: tracingOf(parsed),
  };
}

/** Tracing is on with an OTLP endpoint, unless the SDK or the traces exporter is turned off. */
function tracingOf(parsed: Parsed): TracingConfig | null {
  if (parsed.OTEL_SDK_DISABLED || parsed.OTEL_TRACES_EXPORTER === 'none') return null;
  if (!parsed.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT && !parsed.OTEL_EXPORTER_OTLP_ENDPOINT) return null;
  const protocol = parsed.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? parsed.OTEL_EXPORTER_OTLP_PROTOCOL;
  return { protocol: isOtlpProtocol(protocol) ? protocol : 'http/protobuf' };
}

/**
 * Reads and validates the configuration from the environment, with `overrides` (e.g. from
 * command-line flags) taking precedence. Defaults work on a laptop.
 */
export function loadConfig(overrides: Env = {}): Config {
  const env: Env = { ...process.env, ...overrides };
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const [issue] = result.error.issues;
    const refusal = (issue.code === z.ZodIssueCode.custom ? issue.params : undefined) as Refusal | undefined;
    const name = String(issue.path[0]);
    throw new ConfigError(name, refusal ? issue.message : 'a string', refusal?.got ?? typeof env[name]);
  }
  const parsed = result.data as Parsed;
  const own = Object.entries(variables).flatMap(([name, variable]) =>
    'field' in variable ? [[variable.field, parsed[name as keyof Parsed]]] : [],
  );
  return { ...(Object.fromEntries(own) as OwnFields), ...derive(parsed, env) };
}
