import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import { eventually, gqlOk, record, wsClient, type Recording } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, JOB_EVENTS, type EnqueuedJob, type JobEventPayload } from './operations';

const SOCKETS = 20;
const PER_SOCKET = 100;
const SUBSCRIPTIONS = SOCKETS * PER_SOCKET;
/**
 * Generous on purpose. The bench (one socket per subscription, RSS read after a settle) measures
 * ~10-12 KiB per idle subscription; this test, multiplexed and read right after the burst of
 * subscribes (garbage V8 has not collected yet counts), reads ~11-26 KiB. The bound catches an
 * order-of-magnitude jump (e.g. a retained closure or buffer per subscription), never GC noise.
 */
const BOUND_KIB_PER_SUBSCRIPTION = 64;
const SAMPLES = 5;
/** Pacing between RSS samples, to spread them over GC cycles (a sampling interval: nothing is awaited on it). */
const SAMPLE_INTERVAL_MS = 200;

/** The gateway's resident set in bytes, from /proc (the gateway is a separate process). */
async function rss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/** Median of a few RSS samples, so one GC (or a lack of one) does not decide the figure. */
async function medianRss(pid: number): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < SAMPLES; index++) {
    samples.push(await rss(pid));
    await new Promise((resolve) => setTimeout(resolve, SAMPLE_INTERVAL_MS));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

describe('memory per idle subscription', () => {
  let stack: Stack;
  const clients: Client[] = [];
  before(async () => {
    stack = await Stack.start({ workers: 0, env: { MAX_SUBSCRIPTIONS_PER_SOCKET: String(PER_SOCKET * 2) } });
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await stack.close();
  });

  it(`costs at most ${BOUND_KIB_PER_SUBSCRIPTION} KiB of gateway RSS per subscription over ${SUBSCRIPTIONS} subscriptions`, async () => {
    const pid = stack.gateway.child.pid!;
    // Held jobs: the subscriptions stay open and idle (a SNAPSHOT each, then nothing).
    const jobs = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, {
          type: 'helloWorld',
          data: { name: `m${index}` },
          options: { delayMs: 600_000 },
        }),
      ),
    );
    // Warm the gateway's code paths (schema, subscription setup, one socket) so the baseline
    // includes one-off costs rather than charging them to the subscriptions.
    const warm = wsClient(stack.wsUrl);
    clients.push(warm);
    const warmRecording = record<JobEventPayload>(warm, JOB_EVENTS, { id: jobs[0].enqueue.id });
    await eventually(() => warmRecording.results.length > 0, 10_000, 'the warm-up snapshot');

    const before = await medianRss(pid);
    const recordings: Recording<JobEventPayload>[] = [];
    const failures: Error[] = [];
    for (let socket = 0; socket < SOCKETS; socket++) {
      const client = wsClient(stack.wsUrl);
      clients.push(client);
      for (let index = 0; index < PER_SOCKET; index++) {
        const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: jobs[(socket + index) % jobs.length].enqueue.id });
        recording.done.catch((error: Error) => void failures.push(error));
        recordings.push(recording);
      }
    }
    // Every subscription is live once it has its SNAPSHOT; a refused one fails here.
    await eventually(
      () => {
        if (failures.length > 0) throw new Error(`${failures.length} subscription(s) failed: ${failures[0].message}`);
        return recordings.every((recording) => recording.results.length > 0);
      },
      20_000,
      `all ${SUBSCRIPTIONS} snapshots`,
    );
    const afterRss = await medianRss(pid);

    const kibPerSubscription = (afterRss - before) / 1024 / SUBSCRIPTIONS;
    console.log(
      `gateway RSS ${(before / 2 ** 20).toFixed(1)} MiB -> ${(afterRss / 2 ** 20).toFixed(1)} MiB over ${SUBSCRIPTIONS} subscriptions: ${kibPerSubscription.toFixed(2)} KiB/subscription`,
    );
    assert.ok(
      kibPerSubscription <= BOUND_KIB_PER_SUBSCRIPTION,
      `${kibPerSubscription.toFixed(1)} KiB of RSS per idle subscription (bound ${BOUND_KIB_PER_SUBSCRIPTION} KiB)`,
    );
    // Still idle: no subscription saw more than its SNAPSHOT.
    assert.ok(recordings.every((recording) => recording.results.length === 1 && recording.results[0].data?.jobEvents.type === 'SNAPSHOT'));
  });
});
