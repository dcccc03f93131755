/**
 * The `end-to-end` figure's watchers: a pool of graphql-transport-ws sockets, each watching at most
 * one job at a time, as a browser tab shows one job. A job the runner feeds gets up to `perJob` idle
 * sockets, which subscribe to its `jobEvents`; when the gateway ends a subscription (after the job's
 * final event) its socket is idle again and takes a later job. PROGRESS events are timed from the
 * `sentAt` the worker put in the payload; a SNAPSHOT (the state when the watch began) is not.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { Histogram } from '../lib/histogram';
import { initArgs, serve } from '../lib/ipc';
import { watcherToken } from '../lib/jwt';
import { sleep } from '../lib/net';
import { JOB_EVENTS_SUBSCRIPTION } from '../lib/sample-event';
import type { JobWatchersApi, JobWatchersInit, WatchReport } from './end-to-end-api';

const SOCKET_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true };
const NEXT = '"type":"next"';
const PROGRESS = '"type":"PROGRESS"';
const SENT_AT = /"sentAt":(\d+(?:\.\d+)?)/;
const SAMPLE_MS = 100;

interface ControlMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

const init = initArgs<JobWatchersInit>();
const idle: Watcher[] = [];
let open = 0;
let report: WatchReport = newReport();
let latency = new Histogram();
let openSum = 0;
let openSamples = 0;
let windowStart = performance.now();

function newReport(): WatchReport {
  return {
    subscribed: 0,
    ended: 0,
    progress: 0,
    messages: 0,
    unfilled: 0,
    meanOpen: 0,
    errors: 0,
    closed: 0,
    elapsedMs: 0,
    latency: new Histogram().toData(),
  };
}

function failure(message: string): void {
  report.errors += 1;
  report.firstError ??= message.slice(0, 300);
}

/** One socket of the pool; `watching` is the id of its open subscription, if any. */
class Watcher {
  private watching: string | null = null;

  constructor(readonly socket: WebSocket) {}

  /** Subscribes to job `id`'s events. */
  watch(id: string): void {
    // A random UUID, as graphql-ws' client makes operation ids.
    this.watching = randomUUID();
    open += 1;
    report.subscribed += 1;
    const payload = { query: JOB_EVENTS_SUBSCRIPTION, variables: { id } };
    this.socket.send(JSON.stringify({ id: this.watching, type: 'subscribe', payload }));
  }

  /** Handles one message from the gateway. */
  onMessage(text: string): void {
    if (text.includes(NEXT)) {
      report.messages += 1;
      if (!text.includes(PROGRESS)) return;
      report.progress += 1;
      const match = SENT_AT.exec(text);
      if (match) latency.record(performance.timeOrigin + performance.now() - Number(match[1]));
      return;
    }
    const message = JSON.parse(text) as ControlMessage;
    switch (message.type) {
      case 'ping':
        return this.socket.send(JSON.stringify({ type: 'pong' }));
      case 'error':
        failure(`subscription error: ${JSON.stringify(message.payload)}`);
        return this.release(message.id);
      case 'complete':
        report.ended += 1;
        return this.release(message.id);
    }
  }

  /** The socket closed: its subscription, if any, is over and it takes no more jobs. */
  onClose(): void {
    report.closed += 1;
    if (this.watching !== null) open -= 1;
    this.watching = null;
    const at = idle.indexOf(this);
    if (at >= 0) idle.splice(at, 1);
  }

  private release(id: string | undefined): void {
    if (id === undefined || id !== this.watching) return;
    this.watching = null;
    open -= 1;
    idle.push(this);
  }
}

/** Opens socket `index`, sends `connection_init` with its own token and resolves once acknowledged. */
function openOne(index: number, deadline: number): Promise<string | null> {
  const socket = new WebSocket(init.url, 'graphql-transport-ws', SOCKET_OPTIONS);
  const watcher = new Watcher(socket);
  const token = watcherToken(init.tokenSecret, init.offset + index);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('connection_ack timed out'), Math.max(0, deadline - Date.now()));
    const settle = (error: string | null): void => {
      clearTimeout(timer);
      resolve(error);
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.includes('"type":"connection_ack"')) {
        idle.push(watcher);
        return settle(null);
      }
      watcher.onMessage(text);
    });
    socket.on('close', (code, reason) => {
      watcher.onClose();
      settle(`closed ${code} ${reason.toString()}`);
    });
    socket.on('error', (error) => {
      failure(String(error));
      settle(String(error));
    });
  });
}

setInterval(() => {
  openSum += open;
  openSamples += 1;
}, SAMPLE_MS).unref();

serve<JobWatchersApi>({
  async open({ sockets, concurrency, timeoutMs }) {
    const deadline = Date.now() + timeoutMs;
    let next = 0;
    let opened = 0;
    let firstError: string | undefined;
    const lane = async (): Promise<void> => {
      while (next < sockets && Date.now() < deadline) {
        const error = await openOne(next++, deadline);
        if (error === null) opened += 1;
        else firstError ??= error;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
    return { opened, ...(firstError ? { firstError } : {}) };
  },
  async feed({ ids, perJob }) {
    for (const id of ids) {
      for (let k = 0; k < perJob; k += 1) {
        const watcher = idle.pop();
        if (watcher) watcher.watch(id);
        else report.unfilled += 1;
      }
    }
    return {};
  },
  async reset() {
    report = newReport();
    latency = new Histogram();
    openSum = 0;
    openSamples = 0;
    windowStart = performance.now();
    return {};
  },
  async report() {
    return {
      ...report,
      meanOpen: openSamples > 0 ? openSum / openSamples : open,
      elapsedMs: performance.now() - windowStart,
      latency: latency.toData(),
    };
  },
  async settle({ timeoutMs }) {
    const deadline = Date.now() + timeoutMs;
    while (open > 0 && Date.now() < deadline) await sleep(20);
    return { open };
  },
});
