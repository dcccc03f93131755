/**
 * Baseline of figure 3: a raw BullMQ `QueueEvents` listener in its own
 * process, timing each `progress` event from the `sentAt` the worker put in it.
 */
import { QueueEvents } from 'bullmq';
import { Histogram } from '../lib/histogram';
import { initArgs, serve } from '../lib/ipc';
import type { QueueEventsApi, QueueInit } from './api';

const init = initArgs<QueueInit>();
const events = new QueueEvents(init.queue, { prefix: init.prefix, connection: { url: init.redisUrl, maxRetriesPerRequest: null } });
let latency = new Histogram();
let started = performance.now();
let recording = false;

function sentAtOf(progress: unknown): number | null {
  if (typeof progress !== 'object' || progress === null || !('data' in progress)) return null;
  const data: unknown = progress.data;
  if (typeof data !== 'object' || data === null || !('sentAt' in data)) return null;
  return typeof data.sentAt === 'number' ? data.sentAt : null;
}

events.on('progress', ({ data }) => {
  const now = performance.timeOrigin + performance.now();
  const sentAt = sentAtOf(data);
  if (recording && sentAt !== null) latency.record(now - sentAt);
});

serve<QueueEventsApi>({
  async start() {
    await events.waitUntilReady();
    latency = new Histogram();
    started = performance.now();
    recording = true;
    return {};
  },
  async collect() {
    recording = false;
    const data = latency.toData();
    return { count: data.count, errors: 0, elapsedMs: performance.now() - started, latency: data };
  },
});
