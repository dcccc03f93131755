import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import type { JobEvent } from '../../src/events/job-event';
import { QueueStream, type Snapshot } from '../../src/events/queue-stream';
import type { Watcher } from '../../src/events/watcher';
import type { JobReader } from '../../src/jobs/job-reader';
import type { JobView } from '../../src/jobs/job-view';
import { eventStreamKey } from '../../src/redis/connections';
import { eventually } from '../support/graphql';

// Against the local Redis, under a key prefix of its own, deleted afterwards.
const PREFIX = `unit-stream-snapshots-${randomUUID()}`;
const REDIS_URL = 'redis://127.0.0.1:6379';
const config = loadConfig({ QUEUE_PREFIX: PREFIX });
const key = eventStreamKey(config, 'imports');

/** A watcher that takes whatever the stream hands it. */
const watcher = (): Watcher => ({ push: () => undefined }) as unknown as Watcher;
const snapshotAt = (cursor: string): Snapshot => ({ cursor, view: {} as JobView, event: {} as JobEvent });

describe("a queue stream's kept SNAPSHOTs", () => {
  let redis: Redis;
  let stream: QueueStream;
  const stats = { entriesRead: 0, deliveries: 0 };
  before(async () => {
    redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const store = {} as JobReader;
    stream = new QueueStream('imports', config, redis, () => new Redis(REDIS_URL), store, stats, pino({ level: 'silent' }), {
      watcherLeft: () => undefined,
    });
    await stream.ready;
  });
  after(async () => {
    await stream.close();
    await redis.del(key);
    await redis.quit();
  });

  it('keeps one read while the job is watched and has no later event', () => {
    stream.addJobWatcher('1', watcher());
    const snapshot = snapshotAt('0-0');
    stream.snapshotKeeper('1')(snapshot);
    assert.equal(stream.currentSnapshot('1'), snapshot);
  });

  it('drops it once an event of the job goes out, and keeps no read that an event overtook', async () => {
    const kept = snapshotAt('0-0');
    stream.snapshotKeeper('1')(kept);
    const reading = stream.snapshotKeeper('1');
    const read = stats.entriesRead;
    await redis.xadd(key, '*', 'event', 'progress', 'jobId', '1', 'data', '50');
    await eventually(() => stats.entriesRead > read, 5000, 'the entry read');
    assert.equal(stream.currentSnapshot('1'), undefined, 'a kept SNAPSHOT older than the event');
    reading(snapshotAt('0-0'));
    assert.equal(stream.currentSnapshot('1'), undefined, 'a SNAPSHOT whose cursor the event came after');
  });

  it('keeps no read begun before the job stopped being watched, whose events a later watch may have missed', () => {
    const first = watcher();
    stream.addJobWatcher('2', first);
    const keep = stream.snapshotKeeper('2');
    stream.remove(first, '2');
    stream.addJobWatcher('2', watcher());
    keep(snapshotAt('0-0'));
    assert.equal(stream.currentSnapshot('2'), undefined);
  });
});
