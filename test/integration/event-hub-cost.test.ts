import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import IORedis from 'ioredis';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { IMPORT_PARTS, JOB_EVENTS, type EnqueuedJob, type JobEventPayload } from './operations';

/** Counts the commands Redis receives, by name, for keys under one prefix (MONITOR). */
async function countCommands(redisUrl: string, prefix: string, during: () => Promise<void>): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const client = new IORedis(redisUrl);
  const monitor = await client.monitor();
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (!args.slice(1).some((arg) => arg.startsWith(`${prefix}:`))) return;
    const name = args[0].toLowerCase();
    counts.set(name, (counts.get(name) ?? 0) + 1);
  });
  try {
    await during();
  } finally {
    monitor.disconnect();
    client.disconnect();
  }
  return counts;
}

describe('the cost of watchers', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  /** Runs a 20-item import watched by `watchers` subscriptions; returns Redis commands during the run. */
  async function run(watchers: number): Promise<{ counts: Map<string, number>; events: number }> {
    const input = { project: 'P', phase: 'A', stage: '1', items: 20, msPerItem: 10 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: { delayMs: 1500 } });
    const client = wsClient(stack.wsUrl);
    const recordings = Array.from({ length: watchers }, () => record<JobEventPayload>(client, JOB_EVENTS, { id: job.id }));
    await eventually(() => recordings.every((recording) => recording.results.length > 0), 5000, 'every snapshot');
    const counts = await countCommands(stack.redisUrl, stack.prefix, () => within(Promise.all(recordings.map((recording) => recording.done)), 15_000, 'the watches').then(() => undefined));
    await client.dispose();
    const lengths = new Set(recordings.map((recording) => recording.results.length));
    assert.equal(lengths.size, 1, 'every watcher saw the same events');
    return { counts, events: recordings[0].results.length };
  }

  it('reads each event\'s job once, whether 1 or 50 subscriptions watch it', async () => {
    const one = await run(1);
    const fifty = await run(50);
    const reads = (counts: Map<string, number>): number => counts.get('hgetall') ?? 0;
    assert.ok(reads(one.counts) <= one.events, `1 watcher: ${reads(one.counts)} job reads for ${one.events} events`);
    assert.ok(reads(fifty.counts) <= fifty.events, `50 watchers: ${reads(fifty.counts)} job reads for ${fifty.events} events`);
    assert.ok(Math.abs(reads(fifty.counts) - reads(one.counts)) <= 2, `job reads: ${reads(one.counts)} with 1 watcher, ${reads(fifty.counts)} with 50`);
    // Stream reads follow the writes' timing, not the watchers: never one per watcher.
    for (const { counts, events } of [one, fifty]) assert.ok((counts.get('xread') ?? 0) <= events + 5, `${counts.get('xread')} stream reads for ${events} events`);
    const others = (counts: Map<string, number>): number => [...counts].filter(([name]) => name !== 'xread').reduce((sum, [, count]) => sum + count, 0);
    assert.ok(others(fifty.counts) <= others(one.counts) * 1.1 + 5, `other commands: ${others(one.counts)} with 1 watcher, ${others(fifty.counts)} with 50`);
  });
});
