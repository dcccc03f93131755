/**
 * Closed-loop HTTP load for figures 1 and 2: `concurrency` keep-alive clients
 * each POST the same GraphQL body back to back until the deadline. A response
 * that is not 200 or carries GraphQL `errors` counts as an error.
 */
import http from 'node:http';
import { Histogram } from '../lib/histogram';
import { initArgs, serve } from '../lib/ipc';
import { keepAliveAgent } from '../lib/net';
import type { HttpInit, HttpLoadApi } from './api';

const init = initArgs<HttpInit>();

function post(agent: http.Agent, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      init.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': body.length,
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
    req.on('error', reject);
    req.end(body);
  });
}

serve<HttpLoadApi>({
  async run({ body, concurrency, durationMs, maxRequests, jobsPerRequest }) {
    const agent = keepAliveAgent(concurrency);
    const payload = Buffer.from(body);
    const latency = new Histogram();
    const start = performance.now();
    const deadline = start + durationMs;
    let requests = 0;
    let errors = 0;
    let firstError: string | undefined;
    const client = async (): Promise<void> => {
      while (performance.now() < deadline && requests < maxRequests) {
        requests += 1;
        const t0 = performance.now();
        try {
          const res = await post(agent, payload);
          if (res.status !== 200 || res.text.includes('"errors"')) throw new Error(`HTTP ${res.status}: ${res.text.slice(0, 300)}`);
          latency.record(performance.now() - t0);
        } catch (error) {
          errors += 1;
          firstError ??= String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, client));
    agent.destroy();
    return {
      count: (requests - errors) * jobsPerRequest,
      errors,
      firstError,
      elapsedMs: performance.now() - start,
      latency: latency.toData(),
    };
  },
});
