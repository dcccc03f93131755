import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { eventually, gql } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

interface Host {
  server: Server;
  origin: string;
  /** Request lines received, `METHOD /path`. */
  calls: string[];
}

/** A local HTTP server answering with `route(path)`: a status, headers and a body. */
function host(route: (path: string) => [number, Record<string, string>, string]): Promise<Host> {
  const calls: string[] = [];
  const server = createServer((request, response) => {
    calls.push(`${request.method} ${request.url}`);
    const [status, headers, body] = route(request.url ?? '/');
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls })),
  );
}

interface FinishedJob extends EnqueuedJob {
  result: { status: number; body: string } | null;
  failedReason: string | null;
  attemptsMade: number;
}

describe('syncExternal checks every hop against SYNC_ALLOWED_ORIGINS', () => {
  let stack: Stack;
  let internal: Host;
  let erp: Host;
  let headers: Record<string, string>;

  before(async () => {
    internal = await host(() => [200, {}, '{"secret":"instance metadata"}']);
    erp = await host((path) => {
      if (path.startsWith('/found')) return [302, { location: `${internal.origin}/latest/meta-data` }, ''];
      if (path.startsWith('/temporary')) return [307, { location: `${internal.origin}/orders/1` }, ''];
      if (path.startsWith('/moved')) return [303, { location: '/orders/2' }, ''];
      if (path.startsWith('/loop')) return [302, { location: '/loop' }, ''];
      return [200, {}, `{"accepted":"${path}"}`];
    });
    // Authentication on: loopback is not allowed for free as in dev mode, only the ERP's origin.
    stack = await Stack.start({ workers: 1, env: { JWT_SECRET: TEST_JWT_SECRET, SYNC_BASE_URL: erp.origin } });
    headers = bearer(await token('alice', ['submitter']));
  });
  after(async () => {
    await stack?.close();
    erp?.server.close();
    internal?.server.close();
  });

  const run = async (path: string): Promise<FinishedJob> => {
    const enqueued = await gql<{ enqueue: EnqueuedJob }>(
      stack.url,
      ENQUEUE,
      { type: 'syncExternal', data: { orderId: 1, url: `${erp.origin}${path}` }, options: { backoff: { type: 'FIXED', delayMs: 50 } } },
      headers,
    );
    const { id } = enqueued.data!.enqueue;
    return eventually(
      async () => {
        const job = (await gql<{ job: FinishedJob }>(stack.url, JOB, { id }, headers)).data?.job;
        return job && (job.state === 'COMPLETED' || job.state === 'FAILED') ? job : undefined;
      },
      20_000,
      `job ${id} to finish`,
    );
  };

  it('fails at once on a 302 or a 307 to a host outside the list, without calling it or returning its body', async () => {
    for (const path of ['/found', '/temporary']) {
      const job = await run(path);
      assert.equal(job.state, 'FAILED', path);
      assert.equal(job.attemptsMade, 1, `${path}: no retry`);
      assert.match(
        job.failedReason ?? '',
        new RegExp(`redirects to ${internal.origin.replace(/\./g, '\\.')}, which is not in SYNC_ALLOWED_ORIGINS`),
        path,
      );
      assert.equal(job.result, null);
    }
    assert.deepEqual(internal.calls, [], 'the internal host was never called');
  });

  it('follows a redirect within the list (303 as a GET) and stops a loop', async () => {
    const moved = await run('/moved');
    assert.equal(moved.state, 'COMPLETED');
    assert.deepEqual(moved.result?.body, '{"accepted":"/orders/2"}');
    assert.ok(erp.calls.includes('GET /orders/2'), erp.calls.join(', '));
    const loop = await run('/loop');
    assert.equal(loop.state, 'FAILED');
    assert.equal(loop.attemptsMade, 1);
    assert.match(loop.failedReason ?? '', /more than 5 redirects/);
  });

  it('fails at once when the worker refuses a URL the gateway did not check (a job added by plain BullMQ)', async () => {
    const connection = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('integrations', { connection, prefix: stack.prefix });
    try {
      const job = await queue.add(
        'syncExternal',
        { orderId: 5, url: `${internal.origin}/latest/meta-data` },
        { attempts: 5, backoff: { type: 'fixed', delay: 50 } },
      );
      const failed = await eventually(async () => ((await job.isFailed()) ? queue.getJob(job.id!) : undefined), 20_000, 'the job to fail');
      assert.equal(failed?.attemptsMade, 1);
      assert.match(failed?.failedReason ?? '', /not in SYNC_ALLOWED_ORIGINS/);
      assert.deepEqual(internal.calls, []);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });
});
