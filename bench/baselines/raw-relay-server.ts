/**
 * Raw relay baseline (the `fanout-latency` figure): one BullMQ `QueueEvents` listener and a plain
 * `ws` server. A client names its job in its first message (`{"topic":"<job id>"}`); each progress
 * event of that job is serialized once, as a message shaped like the gateway's `next`, and the same
 * buffer is sent to every socket of the job. On the job's `completed` event its sockets get a
 * COMPLETED event and a `complete` message, and their subscriptions end (the sockets stay open, as a
 * graphql-ws client's do). This is the floor of "Redis stream → WebSocket fan-out" in Node.
 */
import { constants, PerformanceObserver, type NodeGCPerformanceDetail } from 'node:perf_hooks';
import { QueueEvents } from 'bullmq';
import { WebSocketServer, type WebSocket } from 'ws';
import { initArgs, serve } from '../lib/ipc';
import type { QueueInit } from '../load/api';
import type { GcTotals, RelayServerApi } from '../load/fanout-latency-api';

const init = initArgs<QueueInit>();
const sockets = new Map<string, Set<WebSocket>>();
/** The last progress of each watched job, shown in its COMPLETED event as the gateway shows it. */
const lastProgress = new Map<string, unknown>();
const COMPLETE = Buffer.from(JSON.stringify({ id: '0', type: 'complete' }));
let subscribers = 0;

const gc: GcTotals = { minor: 0, minorMs: 0, major: 0, majorMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = 'detail' in entry ? (entry.detail as NodeGCPerformanceDetail | null)?.kind : undefined;
    if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      gc.minor += 1;
      gc.minorMs += entry.duration;
    } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
      gc.major += 1;
      gc.majorMs += entry.duration;
    }
  }
}).observe({ entryTypes: ['gc'] });

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096 });
server.on('connection', (socket) => {
  socket.once('message', (data) => {
    const { topic } = JSON.parse(data.toString()) as { topic: string };
    const set = sockets.get(topic) ?? new Set<WebSocket>();
    sockets.set(topic, set);
    set.add(socket);
    subscribers += 1;
    socket.once('close', () => {
      if (set.delete(socket)) subscribers -= 1;
    });
  });
});

/** One `next` message of job `jobId`'s event, as the gateway's jobEvents subscription selects it. */
function frame(type: 'PROGRESS' | 'COMPLETED', jobId: string, progress: unknown, cursor: string): Buffer {
  const at = new Date(Number(cursor.slice(0, cursor.indexOf('-')))).toISOString();
  const state = type === 'PROGRESS' ? 'ACTIVE' : 'COMPLETED';
  const event = { type, cursor, at, job: { id: jobId, state, progress } };
  return Buffer.from(JSON.stringify({ id: '0', type: 'next', payload: { data: { jobEvents: event } } }));
}

function sendAll(set: ReadonlySet<WebSocket>, message: Buffer): void {
  for (const socket of set) socket.send(message, { binary: false });
}

const events = new QueueEvents(init.queue, { prefix: init.prefix, connection: { url: init.redisUrl, maxRetriesPerRequest: null } });
events.on('progress', ({ jobId, data }, id) => {
  const set = sockets.get(jobId);
  if (!set || set.size === 0) return;
  lastProgress.set(jobId, data);
  sendAll(set, frame('PROGRESS', jobId, data, id));
});
events.on('completed', ({ jobId }, id) => {
  const set = sockets.get(jobId);
  const progress = lastProgress.get(jobId) ?? null;
  lastProgress.delete(jobId);
  if (!set) return;
  sockets.delete(jobId);
  sendAll(set, frame('COMPLETED', jobId, progress, id));
  sendAll(set, COMPLETE);
  subscribers -= set.size;
  set.clear();
});
events.on('error', (error) => console.error('queue events error', error));

serve<RelayServerApi>({
  async listen() {
    await events.waitUntilReady();
    const address = server.address();
    return { port: typeof address === 'object' && address ? address.port : 0 };
  },
  async status() {
    return { subscribers };
  },
  async gc() {
    return { ...gc };
  },
});
