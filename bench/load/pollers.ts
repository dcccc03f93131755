/**
 * Figure 6's polling side: `watchers` browsers, each asking `job(id)` for its
 * job `hz` times per second over keep-alive HTTP, phases spread evenly.
 * A watcher never has two requests outstanding, like a browser's poll loop.
 */
import http from 'node:http';
import { Histogram } from '../lib/histogram';
import { initArgs, serve } from '../lib/ipc';
import { keepAliveAgent, sleep } from '../lib/net';
import type { HttpInit, Measured, PollersApi } from './api';

const init = initArgs<HttpInit>();
const agent = keepAliveAgent(128);

interface Run {
  running: boolean;
  count: number;
  errors: number;
  firstError?: string;
  latency: Histogram;
  started: number;
  loops: Promise<void>[];
  stopTimer: NodeJS.Timeout;
}

function post(body: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/json',
      'content-length': body.length,
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    };
    const req = http.request(init.url, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if (res.statusCode !== 200 || text.includes('"errors"')) reject(new Error(`HTTP ${res.statusCode}: ${text.slice(0, 300)}`));
        else resolve(text);
      });
    });
    req.setTimeout(10_000, () => req.destroy(new Error('poll timed out after 10 s')));
    req.on('error', reject);
    req.end(body);
  });
}

async function watch(run: Run, body: Buffer, periodMs: number, phaseMs: number): Promise<void> {
  await sleep(phaseMs);
  while (run.running) {
    const t0 = performance.now();
    try {
      await post(body);
      run.count += 1;
      run.latency.record(performance.now() - t0);
    } catch (error) {
      run.errors += 1;
      run.firstError ??= String(error);
    }
    await sleep(Math.max(0, periodMs - (performance.now() - t0)));
  }
}

let current: Run | null = null;

serve<PollersApi>({
  async start({ query, ids, watchers, hz, maxMs }) {
    if (current) throw new Error('expected no polling in progress, got one');
    const periodMs = 1000 / hz;
    const run: Run = {
      running: true,
      count: 0,
      errors: 0,
      latency: new Histogram(),
      started: performance.now(),
      loops: [],
      stopTimer: setTimeout(() => (run.running = false), maxMs),
    };
    for (let i = 0; i < watchers; i += 1) {
      const body = Buffer.from(JSON.stringify({ query, variables: { id: ids[i % ids.length] } }));
      run.loops.push(watch(run, body, periodMs, (i / watchers) * periodMs));
    }
    current = run;
    return {};
  },
  async stop(): Promise<Measured> {
    const run = current;
    if (!run) throw new Error('expected polling in progress, got none');
    current = null;
    run.running = false;
    clearTimeout(run.stopTimer);
    const elapsedMs = performance.now() - run.started;
    await Promise.race([Promise.all(run.loops), sleep(11_000)]);
    return { count: run.count, errors: run.errors, firstError: run.firstError, elapsedMs, latency: run.latency.toData() };
  },
});
