import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, redisTarget } from '../../src/config';
import { variables } from '../../src/config/schema';

describe('configuration', () => {
  it('has defaults that work on a laptop', () => {
    const config = loadConfig({ REDIS_URL: '', PORT: '', QUEUE_PREFIX: '', JWT_SECRET: '', JWKS_URL: '', API_KEYS: '' });
    assert.equal(config.port, 4000);
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
    assert.equal(config.scheduleTimeZone, 'America/Sao_Paulo');
    assert.equal(config.devMode, true);
  });

  const bad: [string, string][] = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['REDIS_URL', 'http://localhost'],
    ['SCHEDULE_TZ', 'Mars/Olympus'],
    ['WORKER_CONCURRENCY', '0'],
    ['GRAPHIQL', 'maybe'],
    ['QUEUE_PREFIX', 'a b'],
    ['REDIS_CLUSTER_NODES', 'host-without-port'],
    ['QUEUE_GLOBAL_CONCURRENCY', 'imports:0'],
    ['QUEUE_GLOBAL_CONCURRENCY', 'imports'],
    ['QUEUE_RATE_LIMITS', 'integrations:10'],
    ['QUEUE_RATE_LIMITS', 'integrations:0/1000'],
    ['QUEUE_RATE_LIMITS', 'integrations:10/0'],
    ['REDIS_SENTINELS', 'sentinel-without-port'],
    ['WORKER_MAX_STALLED_COUNT', '-1'],
    ['WORKER_MAX_STALLED_COUNT', '1001'],
    ['JOB_TIME_LIMIT_MS', '99'],
    ['JOB_TIME_LIMIT_MS', '2147483648'],
    ['OWNER_ACTIVE_LIMIT', '-1'],
    ['OWNER_ACTIVE_LIMIT', '100001'],
    ['MAX_QUERY_TOKENS', '99'],
    ['MAX_QUERY_TOKENS', '1000001'],
    ['ALLOWED_ORIGINS', 'https://app.example.com/path'],
    ['ALLOWED_ORIGINS', 'ftp://app.example.com'],
    ['ALLOWED_ORIGINS', 'app.example.com'],
    ['JWT_REQUIRE_EXP', 'maybe'],
  ];
  for (const [name, value] of bad) {
    it(`refuses ${name}=${value} with a message naming ${name}`, () => {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (error: unknown) => error instanceof ConfigError && error.message.includes(name),
      );
    });
  }

  it('reads cluster seeds from REDIS_CLUSTER_NODES or a redis+cluster:// URL', () => {
    assert.deepEqual(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000, b:7001' }).redisClusterNodes, [
      { host: 'a', port: 7000 },
      { host: 'b', port: 7001 },
    ]);
    assert.deepEqual(loadConfig({ REDIS_CLUSTER_NODES: '', REDIS_URL: 'redis+cluster://c:7002' }).redisClusterNodes, [
      { host: 'c', port: 7002 },
    ]);
    const secured = loadConfig({ REDIS_CLUSTER_NODES: '', REDIS_URL: 'rediss+cluster://jobs:p%40ss@c1:7000,c2:7001' });
    assert.deepEqual(secured.redisClusterNodes, [
      { host: 'c1', port: 7000 },
      { host: 'c2', port: 7001 },
    ]);
    assert.deepEqual(secured.redisAuth, { username: 'jobs', password: 'p@ss', tls: true });
    assert.equal(redisTarget(secured), 'cluster c1:7000,c2:7001');
  });

  it('takes Redis credentials and TLS from REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS, and keeps them out of messages', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://10.0.0.5:6379',
      REDIS_USERNAME: 'jobs',
      REDIS_PASSWORD: 's3cret',
      REDIS_TLS: '1',
      REDIS_SENTINEL_PASSWORD: 'watch',
    });
    assert.deepEqual(config.redisAuth, { username: 'jobs', password: 's3cret', tls: true, sentinelPassword: 'watch' });
    assert.deepEqual(
      loadConfig({
        REDIS_URL: 'redis://127.0.0.1:6379',
        REDIS_USERNAME: '',
        REDIS_PASSWORD: '',
        REDIS_TLS: '',
        REDIS_SENTINEL_PASSWORD: '',
      }).redisAuth,
      { tls: false },
    );
    assert.equal(redisTarget(loadConfig({ REDIS_URL: 'rediss://jobs:s3cret@10.0.0.5:6380/2' })), 'rediss://jobs:***@10.0.0.5:6380/2');
    for (const raw of ['ftp://jobs:s3cret@host', 'redis+cluster://jobs:s3cret@']) {
      assert.throws(
        () => loadConfig({ REDIS_CLUSTER_NODES: '', REDIS_URL: raw }),
        (error: unknown) => error instanceof ConfigError && error.message.includes('REDIS_URL') && !error.message.includes('s3cret'),
      );
    }
  });

  it('reads Sentinel addresses and master name, and refuses Sentinel beside a cluster', () => {
    const config = loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'jobs' });
    assert.deepEqual(config.redisSentinels, [
      { host: 's1', port: 26379 },
      { host: 's2', port: 26379 },
    ]);
    assert.equal(config.redisSentinelName, 'jobs');
    assert.equal(loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: '' }).redisSentinelName, 'mymaster');
    assert.throws(() => loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_CLUSTER_NODES: 'a:7000' }), ConfigError);
  });

  it('reads per-queue global concurrency caps', () => {
    assert.deepEqual(loadConfig({ QUEUE_GLOBAL_CONCURRENCY: 'imports:2, reports:1' }).queueGlobalConcurrency, { imports: 2, reports: 1 });
    assert.deepEqual(loadConfig({ QUEUE_GLOBAL_CONCURRENCY: '' }).queueGlobalConcurrency, {});
    assert.deepEqual(loadConfig({ QUEUE_RATE_LIMITS: 'integrations:10/1000, maintenance:1/60000' }).queueRateLimits, {
      integrations: { max: 10, durationMs: 1000 },
      maintenance: { max: 1, durationMs: 60000 },
    });
  });

  it('reads the worker, time and owner limits, with their defaults and bounds', () => {
    const defaults = loadConfig({ WORKER_MAX_STALLED_COUNT: '', JOB_TIME_LIMIT_MS: '', OWNER_ACTIVE_LIMIT: '', MAX_QUERY_TOKENS: '' });
    assert.equal(defaults.workerMaxStalledCount, 10);
    assert.equal(defaults.jobTimeLimitMs, 3_600_000);
    assert.equal(defaults.ownerActiveLimit, 0);
    assert.equal(defaults.maxQueryTokens, 5000);
    const edges = loadConfig({
      WORKER_MAX_STALLED_COUNT: '0',
      JOB_TIME_LIMIT_MS: '2147483647',
      OWNER_ACTIVE_LIMIT: '100000',
      MAX_QUERY_TOKENS: '1000000',
    });
    assert.equal(edges.workerMaxStalledCount, 0);
    assert.equal(edges.jobTimeLimitMs, 2_147_483_647);
    assert.equal(edges.ownerActiveLimit, 100_000);
    assert.equal(edges.maxQueryTokens, 1_000_000);
    assert.equal(loadConfig({ JOB_TIME_LIMIT_MS: '100', MAX_QUERY_TOKENS: '100' }).jobTimeLimitMs, 100);
    assert.throws(() => loadConfig({ JOB_TIME_LIMIT_MS: '1.5' }), {
      message: 'Invalid JOB_TIME_LIMIT_MS: expected an integer from 100 to 2147483647, got "1.5"',
    });
  });

  it('reads ALLOWED_ORIGINS as origins, and JWT_REQUIRE_EXP as a boolean that defaults to on', () => {
    assert.deepEqual(loadConfig({ ALLOWED_ORIGINS: 'https://app.example.com, http://localhost:5173/,,' }).allowedOrigins, [
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    assert.deepEqual(loadConfig({ ALLOWED_ORIGINS: '' }).allowedOrigins, []);
    assert.throws(() => loadConfig({ ALLOWED_ORIGINS: 'https://ok.example, https://app.example.com/x' }), {
      message:
        'Invalid ALLOWED_ORIGINS: expected a comma-separated list of origins like https://app.example.com (no path), got "https://app.example.com/x"',
    });
    assert.equal(loadConfig({ JWT_REQUIRE_EXP: '' }).jwtRequireExp, true);
    assert.equal(loadConfig({ JWT_REQUIRE_EXP: 'off' }).jwtRequireExp, false);
    assert.equal(loadConfig({ JWT_REQUIRE_EXP: 'TRUE' }).jwtRequireExp, true);
  });

  it('never prints a secret in its messages', () => {
    const secrets: [string, string][] = [
      ['JWT_SECRET', 'too-short-secret'],
      ['METRICS_TOKEN', 'tok with spaces in it'],
      ['API_KEYS', 'abcdefghijklmnopq:bob:root'],
      ['REDIS_URL', 'redis+cluster://jobs:s3cret@host-without-port'],
    ];
    for (const [name, value] of secrets) {
      assert.throws(
        () => loadConfig({ REDIS_CLUSTER_NODES: '', [name]: value }),
        (error: unknown) => {
          const secret = name === 'REDIS_URL' ? 's3cret' : name === 'API_KEYS' ? 'abcdefghijklmnopq' : value;
          return error instanceof ConfigError && error.message.startsWith(`Invalid ${name}: expected `) && !error.message.includes(secret);
        },
      );
    }
  });

  it('derives production defaults, dev mode and the syncExternal origins', () => {
    const production = loadConfig({ NODE_ENV: 'production', GRAPHIQL: '', INTROSPECTION: '' });
    assert.equal(production.graphiql, false);
    assert.equal(production.introspection, false);
    assert.equal(loadConfig({ NODE_ENV: 'production', GRAPHIQL: '1' }).graphiql, true);
    assert.equal(loadConfig({ NODE_ENV: '', GRAPHIQL: '', INTROSPECTION: '' }).introspection, true);
    assert.equal(loadConfig({ JWT_SECRET: '', JWKS_URL: '', API_KEYS: 'abcdefghijklmnop:bob:admin' }).devMode, false);
    const sync = loadConfig({ SYNC_BASE_URL: 'https://erp.example/api/', SYNC_ALLOWED_ORIGINS: 'https://other.example' });
    assert.deepEqual(sync.syncAllowedOrigins, ['https://erp.example', 'https://other.example']);
  });

  it('feeds every Config field from the schema, and documents every variable in docs/configuration.md', () => {
    const fed = new Set<string>(
      Object.values(variables).flatMap((variable) => ('field' in variable ? [variable.field, ...variable.feeds] : variable.feeds)),
    );
    assert.deepEqual(
      Object.keys(loadConfig()).filter((field) => !fed.has(field)),
      [],
    );
    const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'configuration.md'), 'utf8');
    const documented = new Set([...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((match) => match[1]));
    assert.deepEqual(
      Object.keys(variables).filter((name) => !documented.has(name)),
      [],
    );
    assert.deepEqual(
      [...documented].filter((name) => !(name in variables)),
      [],
    );
  });

  it('turns tracing on with an OTLP endpoint only, unless the SDK or the traces exporter is off', () => {
    const none = {
      OTEL_EXPORTER_OTLP_ENDPOINT: '',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '',
      OTEL_SDK_DISABLED: '',
      OTEL_TRACES_EXPORTER: '',
    };
    const protocols = { OTEL_EXPORTER_OTLP_PROTOCOL: '', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: '' };
    assert.equal(loadConfig({ ...none, ...protocols }).tracing, null);
    const endpoint = { ...none, ...protocols, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    assert.deepEqual(loadConfig(endpoint).tracing, { protocol: 'http/protobuf' });
    assert.deepEqual(loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).tracing, { protocol: 'http/json' });
    assert.deepEqual(
      loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }).tracing,
      { protocol: 'http/protobuf' },
    );
    assert.deepEqual(loadConfig({ ...none, ...protocols, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }).tracing, {
      protocol: 'http/protobuf',
    });
    assert.equal(loadConfig({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).tracing, null);
    assert.equal(loadConfig({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' }).tracing, null);
    assert.throws(
      () => loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }),
      /OTEL_EXPORTER_OTLP_PROTOCOL: expected http\/protobuf\|http\/json, got "grpc"/,
    );
    assert.throws(() => loadConfig({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc' }), /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL/);
  });
});
