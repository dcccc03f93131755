/**
 * The `end-to-end` figure's producer: adds jobs at a steady rate, open loop (job i is sent at
 * start + i / rate whatever became of the earlier ones), through the gateway's HTTP `enqueue`
 * mutation or raw BullMQ `Queue.add`, and hands the acknowledged ids to the runner, which passes
 * them on to the watchers.
 */
import http from 'node:http';
import { Queue } from 'bullmq';
import { Histogram } from '../lib/histogram';
import { initArgs, serve } from '../lib/ipc';
import { keepAliveAgent, sleep } from '../lib/net';
import { MAX_IN_FLIGHT, SEND_GRACE_MS, type EnqueueReport, type PacedEnqueueApi, type PacedEnqueueInit } from './end-to-end-api';

/**
 * Keep-alive connections to the gateway at most. The jobs of many users arrive on many connections, and a
 * small pool caps the rate at pool size / answer latency; but a pool that opens thousands at once when
 * answers slow down overflows the gateway's accept queue, and those connections are reset.
 */
const MAX_SOCKETS = 256;
const TICK_MS = 5;
/** A job sent later than this after its due time counts as late. */
const LATE_MS = 20;

const init = initArgs<PacedEnqueueInit>();
const queue =
  init.via === 'raw'
    ? new Queue(init.queue, { prefix: init.prefix, connection: { url: init.redisUrl, maxRetriesPerRequest: null } })
    : null;
const agent = keepAliveAgent(MAX_SOCKETS);
const body =
  init.via === 'gateway'
    ? Buffer.from(JSON.stringify({ query: `mutation { enqueue(type: "${init.jobType}", data: { name: "x" }) { id } }` }))
    : Buffer.alloc(0);

let ids: string[] = [];
let total = 0;
let sent = 0;
let inFlight = 0;
let started = 0;
let ticker: NodeJS.Timeout | null = null;
let report: EnqueueReport = newReport();
let latency = new Histogram();

function newReport(): EnqueueReport {
  return { enqueued: 0, errors: 0, maxInFlight: 0, late: 0, unsent: 0, elapsedMs: 0, latency: new Histogram().toData() };
}

/** POSTs the enqueue mutation and returns the new job's id. */
function postEnqueue(): Promise<string> {
  if (init.via !== 'gateway') throw new Error('expected the gateway enqueuer, got the raw one');
  const { url, token } = init;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          const id = res.statusCode === 200 ? (JSON.parse(text) as { data?: { enqueue?: { id?: string } } }).data?.enqueue?.id : undefined;
          if (id === undefined) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
          else resolve(id);
        });
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function addOne(index: number): Promise<string> {
  if (init.via === 'gateway') return postEnqueue();
  if (!queue) throw new Error('expected a queue for the raw enqueuer, got none');
  const opts = init.opts ?? undefined;
  const job = await queue.add(init.jobName, { name: String(index) }, opts);
  return job.id ?? '';
}

function send(rate: number): void {
  const index = sent;
  sent += 1;
  inFlight += 1;
  report.maxInFlight = Math.max(report.maxInFlight, inFlight);
  const t0 = performance.now();
  if (t0 - (started + (index * 1000) / rate) > LATE_MS) report.late += 1;
  void addOne(index)
    .then(
      (id) => {
        latency.record(performance.now() - t0);
        report.enqueued += 1;
        ids.push(id);
      },
      (error: unknown) => {
        report.errors += 1;
        report.firstError ??= String(error);
      },
    )
    .finally(() => (inFlight -= 1));
}

function tick(rate: number, durationMs: number): void {
  const elapsed = performance.now() - started;
  const due = Math.min(total, Math.floor((elapsed * rate) / 1000) + 1);
  while (sent < due && inFlight < MAX_IN_FLIGHT) send(rate);
  const givenUp = sent < total && elapsed > durationMs + SEND_GRACE_MS;
  if ((sent >= total || givenUp) && ticker) {
    clearInterval(ticker);
    ticker = null;
    report.unsent = total - sent;
    report.elapsedMs = elapsed;
  }
}

serve<PacedEnqueueApi>({
  async start({ rate, durationMs }) {
    if (ticker) throw new Error('expected no enqueueing in progress, got one');
    await queue?.waitUntilReady();
    total = Math.round((rate * durationMs) / 1000);
    sent = 0;
    ids = [];
    report = newReport();
    latency = new Histogram();
    started = performance.now();
    ticker = setInterval(() => tick(rate, durationMs), TICK_MS);
    tick(rate, durationMs);
    return {};
  },
  async take() {
    const taken = ids;
    ids = [];
    return { ids: taken, done: ticker === null && inFlight === 0 };
  },
  async finish({ timeoutMs }) {
    const deadline = Date.now() + timeoutMs;
    while ((ticker !== null || inFlight > 0) && Date.now() < deadline) await sleep(20);
    return { ...report, latency: latency.toData() };
  },
});
