import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { createJobgateClient, type JobEvent } from '@jobgate/client';
import { entryIdsAfter, resumingWatch, retryingClient, streamEntries } from '../support/event-stream';
import { gqlOk, within } from '../support/graphql';
import { Stack } from '../support/stack';
import { IMPORT_PARTS, type EnqueuedJob } from './operations';

/** How long jobs are enqueued and watched; `SOAK_SECONDS=600` for a long run. */
const SOAK_SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
/** Seed of the run's choices, printed so a failing run can be replayed. */
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const GRAPHQL_WS_CLIENTS = 4;

/** mulberry32: a small seeded generator, so a run's choices can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A `ws` WebSocket the test can cut as a network failure would (no close handshake). */
class DroppableWebSocket extends WebSocket {
  static readonly open = new Set<DroppableWebSocket>();

  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    DroppableWebSocket.open.add(this);
    this.once('close', () => DroppableWebSocket.open.delete(this));
  }
}

/** What one watcher saw, and how it ended. */
interface Watch {
  jobId: string;
  via: 'graphql-ws' | 'typed';
  events: { type: string; cursor: string; job: { state: string } }[];
  done: Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(`soak: ${SOAK_SECONDS} s of enqueues and watches, random disconnects, a worker restart`, () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 2, env: { EVENT_STREAM_MAXLEN: '1000000', ENQUEUES_PER_MINUTE: '0' } });
  });
  after(() => stack.close());

  it('completes every job exactly once, and every watcher sees its final event', { timeout: (SOAK_SECONDS + 90) * 1000 }, async () => {
    const next = random(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
    process.stdout.write(`# soak seed ${SEED} (SOAK_SEED=${SEED} replays the choices)\n`);
    const clients = Array.from({ length: GRAPHQL_WS_CLIENTS }, () => retryingClient(stack.wsUrl, 40_000, DroppableWebSocket));
    const typed = createJobgateClient({
      url: `${stack.url}/graphql`,
      webSocketImpl: DroppableWebSocket,
      retryAttempts: 200,
      maxRetryWaitMs: 500,
    });
    const watches: Watch[] = [];
    let drops = 0;
    let restarted = false;
    const started = Date.now();
    const end = started + SOAK_SECONDS * 1000;
    let nextDrop = started + 1000 + next() * 2000;
    try {
      while (Date.now() < end) {
        const input = {
          project: 'soak',
          phase: 'A',
          stage: String(watches.length),
          items: 5 + Math.floor(next() * 35),
          msPerItem: 5 + Math.floor(next() * 25),
        };
        const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
        if (next() < 0.5) {
          const watch = resumingWatch(pick(clients), job.id);
          watches.push({ jobId: job.id, via: 'graphql-ws', events: watch.events, done: watch.done });
        } else {
          const events: JobEvent[] = [];
          const done = (async () => {
            for await (const event of typed.watch(job.id)) events.push(event);
          })();
          done.catch(() => undefined);
          watches.push({ jobId: job.id, via: 'typed', events, done });
        }
        if (Date.now() > nextDrop && DroppableWebSocket.open.size > 0) {
          pick([...DroppableWebSocket.open]).terminate();
          drops += 1;
          nextDrop = Date.now() + 500 + next() * 2500;
        }
        if (!restarted && Date.now() > started + SOAK_SECONDS * 400) {
          restarted = true;
          const worker = stack.workers.find((handle) => handle.child.exitCode === null && handle.child.signalCode === null)!;
          assert.equal(await stack.signal(worker, 'SIGTERM'), 0, 'the worker shuts down cleanly');
          await stack.startWorker();
        }
        await sleep(100 + next() * 300);
      }
      await within(Promise.all(watches.map((watch) => watch.done)), 60_000, 'every watch to end');
    } finally {
      await Promise.all([...clients.map((client) => client.dispose()), typed.dispose()]);
    }

    const entries = await streamEntries(stack.redisUrl, stack.prefix, 'imports');
    const completions = new Map<string, number>();
    for (const entry of entries) {
      if (entry.event === 'completed') completions.set(entry.jobId, (completions.get(entry.jobId) ?? 0) + 1);
      assert.notEqual(entry.event, 'failed', `job ${entry.jobId} failed an attempt`);
    }
    for (const watch of watches) {
      const bullId = watch.jobId.slice(watch.jobId.indexOf(':') + 1);
      assert.equal(completions.get(bullId), 1, `${watch.jobId} completed exactly once`);
      const [snapshot, ...rest] = watch.events;
      assert.equal(snapshot?.type, 'SNAPSHOT', `${watch.via} watch of ${watch.jobId} starts with a SNAPSHOT`);
      const last = watch.events.at(-1)!;
      assert.ok(
        last.type === 'COMPLETED' || (last === snapshot && snapshot.job.state === 'COMPLETED'),
        `${watch.via} watch of ${watch.jobId} ended with ${last.type}`,
      );
      if (rest.length > 0) {
        assert.deepEqual(
          rest.map((event) => event.cursor),
          entryIdsAfter(entries, bullId, snapshot.cursor),
          `${watch.via} watch of ${watch.jobId}: every event once, in order`,
        );
      }
    }
    const events = watches.reduce((sum, watch) => sum + watch.events.length, 0);
    process.stdout.write(
      `# soak: ${watches.length} jobs, ${events} events watched, ${drops} sockets dropped, worker restarted: ${restarted}, ${Math.round((Date.now() - started) / 1000)} s\n`,
    );
    assert.ok(restarted, 'the worker was restarted during the run');
  });
});
