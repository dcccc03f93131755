import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, redisTarget } from '../../src/config';

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
  ];
  for (const [name, value] of bad) {
    it(`refuses ${name}=${value} with a message naming ${name}`, () => {
      assert.throws(() => loadConfig({ [name]: value }), (error: unknown) => error instanceof ConfigError && error.message.includes(name));
    });
  }

  it('reads cluster seeds from REDIS_CLUSTER_NODES or a redis+cluster:// URL', () => {
    assert.deepEqual(loadConfig({ REDIS_CLUSTER_NODES: 'a:7000, b:7001' }).redisClusterNodes, [
      { host: 'a', port: 7000 },
      { host: 'b', port: 7001 },
    ]);
    assert.deepEqual(loadConfig({ REDIS_CLUSTER_NODES: '', REDIS_URL: 'redis+cluster://c:7002' }).redisClusterNodes, [{ host: 'c', port: 7002 }]);
    const secured = loadConfig({ REDIS_CLUSTER_NODES: '', REDIS_URL: 'rediss+cluster://jobs:p%40ss@c1:7000,c2:7001' });
    assert.deepEqual(secured.redisClusterNodes, [{ host: 'c1', port: 7000 }, { host: 'c2', port: 7001 }]);
    assert.deepEqual(secured.redisAuth, { username: 'jobs', password: 'p@ss', tls: true });
    assert.equal(redisTarget(secured), 'cluster c1:7000,c2:7001');
  });

  it('takes Redis credentials and TLS from REDIS_USERNAME, REDIS_PASSWORD, REDIS_TLS, and keeps them out of messages', () => {
    const config = loadConfig({ REDIS_URL: 'redis://10.0.0.5:6379', REDIS_USERNAME: 'jobs', REDIS_PASSWORD: 's3cret', REDIS_TLS: '1', REDIS_SENTINEL_PASSWORD: 'watch' });
    assert.deepEqual(config.redisAuth, { username: 'jobs', password: 's3cret', tls: true, sentinelPassword: 'watch' });
    assert.deepEqual(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_USERNAME: '', REDIS_PASSWORD: '', REDIS_TLS: '', REDIS_SENTINEL_PASSWORD: '' }).redisAuth, { tls: false });
    assert.equal(redisTarget(loadConfig({ REDIS_URL: 'rediss://jobs:s3cret@10.0.0.5:6380/2' })), 'rediss://jobs:***@10.0.0.5:6380/2');
    for (const raw of ['ftp://jobs:s3cret@host', 'redis+cluster://jobs:s3cret@']) {
      assert.throws(() => loadConfig({ REDIS_CLUSTER_NODES: '', REDIS_URL: raw }), (error: unknown) => error instanceof ConfigError && error.message.includes('REDIS_URL') && !error.message.includes('s3cret'));
    }
  });

  it('reads Sentinel addresses and master name, and refuses Sentinel beside a cluster', () => {
    const config = loadConfig({ REDIS_SENTINELS: 's1:26379,s2:26379', REDIS_SENTINEL_NAME: 'jobs' });
    assert.deepEqual(config.redisSentinels, [{ host: 's1', port: 26379 }, { host: 's2', port: 26379 }]);
    assert.equal(config.redisSentinelName, 'jobs');
    assert.equal(loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: '' }).redisSentinelName, 'mymaster');
    assert.throws(() => loadConfig({ REDIS_SENTINELS: 's1:26379', REDIS_CLUSTER_NODES: 'a:7000' }), ConfigError);
  });

  it('reads per-queue global concurrency caps', () => {
    assert.deepEqual(loadConfig({ QUEUE_GLOBAL_CONCURRENCY: 'imports:2, reports:1' }).queueGlobalConcurrency, { imports: 2, reports: 1 });
    assert.deepEqual(loadConfig({ QUEUE_GLOBAL_CONCURRENCY: '' }).queueGlobalConcurrency, {});
    assert.deepEqual(loadConfig({ QUEUE_RATE_LIMITS: 'integrations:10/1000, maintenance:1/60000' }).queueRateLimits, { integrations: { max: 10, durationMs: 1000 }, maintenance: { max: 1, durationMs: 60000 } });
  });
});
