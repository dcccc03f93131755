import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import WebSocket from 'ws';
import { compareStreamIds, streamIdTime } from '../../src/events/stream-id';
import { entryIdsAfter, streamEntries, type StreamEntry, type WatchedEvent } from '../support/event-stream';
import { eventually, gqlOk } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, IMPORT_PARTS, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

const PROGRESS_EVENTS = 1000;
const PAUSE_MS = 10_000;
/** A progress message this big makes 1,000 events (~8 MB) outgrow what the kernel buffers for one loopback socket (~4 MB). */
const BIG_MESSAGE = 'm'.repeat(8 * 1024);
/** Paces the big events so that a client that keeps up never falls 1 MiB behind. */
const BIG_EVERY_MS = 7;
/** How often the gateway's RSS is sampled while the slow clients are paused. */
const RSS_SAMPLE_MS = 200;

interface ServerMessage {
  id?: string;
  type: string;
  payload?: { data?: JobEventPayload | null; errors?: unknown[] } | unknown[];
}

/** A graphql-transport-ws client written by hand over `ws`, so the test decides when it reads. */
class RawClient {
  readonly messages: ServerMessage[] = [];
  /** When each message arrived, ms. */
  private readonly arrivals: number[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      this.arrivals.push(Date.now());
      this.messages.push(JSON.parse(data.toString()) as ServerMessage);
    });
  }

  static async connect(url: string): Promise<RawClient> {
    const client = new RawClient(new WebSocket(url, 'graphql-transport-ws'));
    await once(client.socket, 'open');
    client.socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
    await eventually(() => client.messages.some((message) => message.type === 'connection_ack'), 5000, 'connection_ack');
    return client;
  }

  subscribe(id: string, variables: Record<string, unknown>): void {
    this.socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: JOB_EVENTS, variables } }));
  }

  /** The events received for subscription `id`; fails on an error message. */
  events(id: string): WatchedEvent[] {
    const mine = this.messages.filter((message) => message.id === id);
    const error = mine.find(
      (message) => message.type === 'error' || (message.type === 'next' && !Array.isArray(message.payload) && message.payload?.errors),
    );
    if (error) throw new Error(`subscription ${id} failed: ${JSON.stringify(error.payload)}`);
    return mine
      .filter((message) => message.type === 'next')
      .map((message) => (message.payload as { data: JobEventPayload }).data.jobEvents);
  }

  /** Bytes of the messages of `id` received before its first coalesced PROGRESS (what the kernel held for the paused socket). */
  bytesBeforeFirstGap(id: string): number {
    let bytes = 0;
    let previous = 0;
    for (const message of this.messages.filter((candidate) => candidate.id === id && candidate.type === 'next')) {
      const event = (message.payload as { data: JobEventPayload }).data.jobEvents;
      if (event.type === 'PROGRESS') {
        const current = event.job.progress?.current ?? 0;
        if (current > previous + 1) break;
        previous = current;
      }
      bytes += JSON.stringify(message).length;
    }
    return bytes;
  }

  /** How long after its stream entry each event of `id` (SNAPSHOT aside) arrived, ms, ascending. */
  lags(id: string): number[] {
    return this.messages
      .map((message, index) => ({ message, at: this.arrivals[index] }))
      .filter(({ message }) => message.id === id && message.type === 'next')
      .slice(1)
      .map(({ message, at }) => at - streamIdTime((message.payload as { data: JobEventPayload }).data.jobEvents.cursor).getTime())
      .sort((a, b) => a - b);
  }

  completed(id: string): boolean {
    return this.messages.some((message) => message.id === id && message.type === 'complete');
  }

  /** Stops reading the socket: what the gateway sends piles up in the kernel, then in the gateway. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): void {
    this.socket.terminate();
  }
}

/** Resident memory of a process, MB. */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** SNAPSHOT, every state change and log in stream order, PROGRESS coalesced at most: checks what a slow client must get. */
function assertNothingButProgressDropped(events: WatchedEvent[], entries: StreamEntry[], jobId: string, total = PROGRESS_EVENTS): number {
  const cursors = events.map((event) => event.cursor);
  for (let index = 1; index < cursors.length; index++)
    assert.ok(compareStreamIds(cursors[index - 1], cursors[index]) < 0, `cursor ${cursors[index]} out of order`);
  assert.equal(events[0].type, 'SNAPSHOT');
  assert.equal(events.at(-1)!.type, 'COMPLETED');
  const after = new Set(entryIdsAfter(entries, jobId, events[0].cursor));
  const others = entries.filter((entry) => after.has(entry.id) && entry.event !== 'progress').map((entry) => entry.id);
  assert.deepEqual(
    events
      .slice(1)
      .filter((event) => event.type !== 'PROGRESS')
      .map((event) => event.cursor),
    others,
    'every state change and log, once, in order',
  );
  const progress = events.filter((event) => event.type === 'PROGRESS');
  const current = progress.map((event) => event.job.progress?.current ?? 0);
  for (let index = 1; index < current.length; index++)
    assert.ok(current[index - 1] < current[index], `progress ${current[index]} after ${current[index - 1]}`);
  const types = events.map((event) => event.type);
  assert.ok(
    types.indexOf('ACTIVE') < types.indexOf('PROGRESS') && types.lastIndexOf('PROGRESS') < types.indexOf('COMPLETED'),
    'PROGRESS only between ACTIVE and COMPLETED',
  );
  assert.equal(current.at(-1), total, 'the last progress always gets through');
  return progress.length;
}

describe('a slow WebSocket client', () => {
  let stack: Stack;
  let connection: IORedis;
  let plainWorker: Worker | undefined;
  before(async () => {
    // SLOW_CLIENT_BYTES stays at its default (1 MiB): far smaller, a burst that only waits for its
    // job reads in the gateway already counts as slow, and clients that keep up lose PROGRESS too.
    stack = await Stack.start({ workers: 0 });
    await stack.startWorker(['--queues', 'imports']);
    connection = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
  });
  after(async () => {
    await plainWorker?.close();
    connection.disconnect();
    await stack.close();
  });

  it('does not grow the gateway, slow other clients, or lose state changes; its PROGRESS events are coalesced', async () => {
    const importInput = (items: number, msPerItem: number): Record<string, unknown> => ({
      input: { project: 'slow', phase: 'A', stage: '1', items, msPerItem },
      options: HELD,
    });
    const small = (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, importInput(PROGRESS_EVENTS, 1))).importParts;
    const big = (
      await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: { name: 'big progress' }, options: HELD })
    ).enqueue;
    const other = (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, importInput(100, 40))).importParts;

    const [slowSmall, slowBig, control, normal] = await Promise.all([0, 1, 2, 3].map(() => RawClient.connect(stack.wsUrl)));
    const clients = [slowSmall, slowBig, control, normal];
    slowSmall.subscribe('small', { id: small.id });
    slowBig.subscribe('big', { id: big.id });
    control.subscribe('small', { id: small.id });
    control.subscribe('big', { id: big.id });
    normal.subscribe('other', { id: other.id });
    const gatewayPid = stack.gateway.child.pid!;
    let rssMax = 0;
    try {
      await eventually(() => clients.every((client) => client.messages.some((message) => message.type === 'next')), 5000, 'the snapshots');
      slowSmall.pause();
      slowBig.pause();
      const rssBefore = rssMb(gatewayPid);
      plainWorker = new Worker(
        'default',
        async (job) => {
          for (let current = 1; current <= PROGRESS_EVENTS; current++) {
            await job.updateProgress({ current, total: PROGRESS_EVENTS, message: BIG_MESSAGE });
            await new Promise((resolve) => setTimeout(resolve, BIG_EVERY_MS));
          }
          return { emitted: PROGRESS_EVENTS };
        },
        { connection, prefix: stack.prefix },
      );
      await Promise.all([small, big, other].map((job) => gqlOk(stack.url, PROMOTE, { id: job.id })));
      // Paused for PAUSE_MS, and at least until both jobs have ended: all their events are then pending at once.
      const pausedUntil = Date.now() + PAUSE_MS;
      const deadline = pausedUntil + 30_000;
      while (Date.now() < pausedUntil || !(control.completed('small') && control.completed('big'))) {
        if (Date.now() > deadline) throw new Error('the jobs did not end within 40 s');
        rssMax = Math.max(rssMax, rssMb(gatewayPid));
        // The RSS sampling interval while paused (a poll: the loop's exit waits on the jobs' ends).
        await new Promise((resolve) => setTimeout(resolve, RSS_SAMPLE_MS));
      }
      assert.ok(normal.completed('other'), 'the other client was served while they were paused');
      slowSmall.resume();
      slowBig.resume();
      await eventually(
        () => slowSmall.completed('small') && slowBig.completed('big'),
        30_000,
        'the paused clients to get their final events',
      );
      process.stdout.write(`# gateway RSS ${rssBefore.toFixed(0)} MB before, ${rssMax.toFixed(0)} MB at most while paused\n`);
      assert.ok(rssMax - rssBefore < 100, `gateway RSS grew by ${(rssMax - rssBefore).toFixed(0)} MB`);
    } finally {
      clients.forEach((client) => client.close());
    }

    const lags = normal.lags('other');
    const median = lags[Math.floor(lags.length / 2)];
    process.stdout.write(`# other client: ${lags.length} events, lag median ${median} ms, max ${lags.at(-1)} ms\n`);
    assert.ok(median < 500 && lags.at(-1)! < 3000, `the other client was slowed: median ${median} ms, max ${lags.at(-1)} ms`);

    const [imports, defaults] = await Promise.all([
      streamEntries(stack.redisUrl, stack.prefix, 'imports'),
      streamEntries(stack.redisUrl, stack.prefix, 'default'),
    ]);
    const bullId = (id: string): string => id.slice(id.indexOf(':') + 1);
    assert.equal(
      assertNothingButProgressDropped(normal.events('other'), imports, bullId(other.id), 100),
      100,
      'a client that keeps up gets every event',
    );
    assert.equal(
      assertNothingButProgressDropped(control.events('small'), imports, bullId(small.id)),
      PROGRESS_EVENTS,
      'the control client gets every event',
    );
    assert.equal(
      assertNothingButProgressDropped(control.events('big'), defaults, bullId(big.id)),
      PROGRESS_EVENTS,
      'the control client gets every event',
    );
    const smallProgress = assertNothingButProgressDropped(slowSmall.events('small'), imports, bullId(small.id));
    const bigProgress = assertNothingButProgressDropped(slowBig.events('big'), defaults, bullId(big.id));
    const sentBefore = (client: RawClient, id: string): string => `${(client.bytesBeforeFirstGap(id) / 1024).toFixed(0)} KiB`;
    process.stdout.write(
      `# paused clients got ${smallProgress} (small events) and ${bigProgress} (8 KiB events) PROGRESS of ${PROGRESS_EVENTS}\n`,
    );
    process.stdout.write(
      `# sent to them before the first coalesced event: ${sentBefore(slowSmall, 'small')} (small), ${sentBefore(slowBig, 'big')} (big)\n`,
    );
    assert.ok(bigProgress < PROGRESS_EVENTS, 'PROGRESS events were coalesced once the socket backed up');
  });
});
