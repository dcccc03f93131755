import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, PROMOTE, type EnqueuedJob } from './operations';

/** An ERP stand-in: answers each order with the statuses scripted for it, in turn; a status of 0 never answers in time. */
function erp(script: Record<string, number[]>): Promise<{ server: Server; url: string; calls: Record<string, number> }> {
  const calls: Record<string, number> = {};
  const server = createServer((request, response) => {
    const order = request.url?.split('/').pop() ?? '';
    calls[order] = (calls[order] ?? 0) + 1;
    const statuses = script[order] ?? [200];
    const status = statuses[Math.min(calls[order], statuses.length) - 1];
    // Past SYNC_TIMEOUT_MS (300 ms here): the worker has given up by then.
    if (status === 0) return void setTimeout(() => response.destroy(), 2000).unref();
    // No keep-alive: a pooled socket the server closes just as the worker reuses it would fail an attempt
    // that this script did not plan.
    response.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
    response.end(JSON.stringify({ order }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls })),
  );
}

/** A loopback port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const EVENTS = `subscription ($id: ID!) { jobEvents(id: $id) { type at log job { state attemptsMade nextRetryAt result failedReason } } }`;

interface Event {
  type: string;
  at: string;
  log: string | null;
  job: { state: string; attemptsMade: number; nextRetryAt: string | null; result: unknown; failedReason: string | null };
}

/** A watch of one job from before it runs (it is enqueued held, then promoted). */
class Watch {
  private readonly client;
  private readonly recording;

  constructor(
    private readonly stack: Stack,
    readonly id: string,
  ) {
    this.client = wsClient(stack.wsUrl);
    this.recording = record<{ jobEvents: Event }>(this.client, EVENTS, { id });
  }

  get events(): Event[] {
    return this.recording.results.map((result) => result.data!.jobEvents);
  }

  of(type: string): Event[] {
    return this.events.filter((event) => event.type === type);
  }

  /** Starts the job (or its next retry) now. */
  async promote(): Promise<void> {
    await gqlOk(this.stack.url, PROMOTE, { id: this.id });
  }

  /** Waits until `count` events of `type` arrived; returns the last. */
  async nth(type: string, count: number): Promise<Event> {
    await eventually(() => this.of(type).length >= count, 20_000, `${count} ${type} events of ${this.id}`);
    return this.of(type)[count - 1];
  }

  async end(): Promise<Event> {
    await within(this.recording.done, 20_000, `the watch of ${this.id}`).catch((error: Error) => {
      const seen = this.events.map((event) => `${event.at} ${event.type} ${event.job.state} ${event.log ?? ''}`);
      throw new Error(`${error.message}; events:\n${seen.join('\n')}`);
    });
    await this.client.dispose();
    return this.events.at(-1)!;
  }
}

/** The delay a retry was planned with: when it is due, less when the attempt failed (the RETRYING event). */
const plannedDelay = (retrying: Event): number => Date.parse(retrying.job.nextRetryAt!) - Date.parse(retrying.at);

/** The delay the worker logged for retry `n` ("attempt n failed: next attempt in 173 ms (…)"), ms. */
function loggedDelay(events: Event[], n: number): number {
  const line = events.map((event) => event.log ?? '').find((log) => log.startsWith(`attempt ${n} failed: next attempt in `));
  assert.ok(line, `a log line for the retry after attempt ${n}`);
  const [, value, unit] = /next attempt in ([\d.]+) (ms|s)/.exec(line)!;
  return unit === 's' ? Number(value) * 1000 : Number(value);
}

describe('retry policy: backoff cap and jitter, countdown per kind of error, fallback result (syncExternal)', () => {
  let stack: Stack;
  let server: Awaited<ReturnType<typeof erp>>;
  before(async () => {
    // 1: always 500; 2: times out twice, then answers; 3: 503 then 200.
    server = await erp({ '1': [500], '2': [0, 0, 200], '3': [503, 503, 200] });
    stack = await Stack.start({ workers: 1, env: { SYNC_TIMEOUT_MS: '300' } });
  });
  after(async () => {
    await stack.close();
    server.server.close();
  });

  const enqueue = async (data: Record<string, unknown>, options: Record<string, unknown>): Promise<Watch> => {
    const job = (
      await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'syncExternal', data, options: { ...HELD, ...options } })
    ).enqueue;
    const watch = new Watch(stack, job.id);
    await watch.nth('SNAPSHOT', 1);
    await watch.promote();
    return watch;
  };

  it("caps an exponential backoff at maxDelayMs and jitters each delay within its bounds (a caller's backoff)", async () => {
    const [delayMs, maxDelayMs, jitter] = [200, 500, 0.5];
    const watch = await enqueue(
      { orderId: 1, url: `${server.url}/orders/1` },
      { attempts: 6, backoff: { type: 'EXPONENTIAL', delayMs, maxDelayMs, jitter } },
    );
    const last = await watch.end();
    assert.equal(last.type, 'FAILED');
    assert.match(last.job.failedReason ?? '', /HTTP 500/);
    const events = watch.events;
    const retrying = events.filter((event) => event.type === 'RETRYING');
    const active = events.filter((event) => event.type === 'ACTIVE');
    assert.equal(retrying.length, 5);
    assert.equal(active.length, 6);
    const logged: number[] = [];
    for (let n = 1; n <= 5; n++) {
      // Uncapped: 200, 400, 800, 1600, 3200 ms; capped: 200, 400, 500, 500, 500; jittered: from half of that to all of it.
      const capped = Math.min(delayMs * 2 ** (n - 1), maxDelayMs);
      const delay = loggedDelay(events, n);
      logged.push(delay);
      assert.ok(
        delay >= Math.floor(capped * (1 - jitter)) && delay <= capped,
        `retry ${n}: ${delay} ms, not within [${capped * (1 - jitter)}, ${capped}]`,
      );
      // What the job really waited, on the stream's clock: from the failed attempt to the next start. The
      // worker counts the delay from just before the script that writes RETRYING runs: a little slack below.
      const waited = Date.parse(active[n].at) - Date.parse(retrying[n - 1].at);
      assert.ok(waited >= delay - 50, `retry ${n} started ${waited} ms after attempt ${n} failed; planned ${delay}`);
      assert.ok(waited <= delay + 400, `retry ${n} started ${waited} ms after attempt ${n} failed; planned ${delay}`);
    }
    // With jitter 0.5 every delay is below its cap by a random part: all five within 1% of it happens once in 10^8 runs.
    assert.ok(
      logged.some((delay, index) => delay < 0.99 * Math.min(delayMs * 2 ** index, maxDelayMs)),
      `jittered: ${logged.join(', ')}`,
    );
    assert.equal(server.calls['1'], 6);
  });

  it("uses the type's countdown per kind of error: 60 s × 2^retries after a timeout", async () => {
    const watch = await enqueue({ orderId: 2, url: `${server.url}/orders/2` }, { attempts: 3 });
    for (const [n, countdown] of [
      [1, 60_000],
      [2, 120_000],
    ]) {
      const retrying = await watch.nth('RETRYING', n);
      assert.equal(retrying.job.state, 'DELAYED');
      const planned = plannedDelay(retrying);
      assert.ok(Math.abs(planned - countdown) <= 250, `retry ${n} after a timeout planned in ${planned} ms, not ${countdown}`);
      assert.equal(loggedDelay(watch.events, n), countdown);
      assert.ok(
        watch.events.some((event) => event.log?.includes(`(countdown of syncExternal for SyncTimeoutError)`)),
        'the log says why',
      );
      // Not waiting a minute: the test starts the retry now.
      await watch.promote();
    }
    const last = await watch.end();
    assert.equal(last.type, 'COMPLETED');
    assert.equal((last.job.result as { status: number }).status, 200);
    assert.equal(server.calls['2'], 3);
  });

  it('waits 120 s after a connection error, and completes with the fallback result when the last attempt cannot connect', async () => {
    const port = await closedPort();
    const watch = await enqueue({ orderId: 4, url: `http://127.0.0.1:${port}/orders/4` }, { attempts: 3 });
    for (const n of [1, 2]) {
      const retrying = await watch.nth('RETRYING', n);
      assert.match(retrying.job.failedReason ?? '', /^connection to http:\/\/127\.0\.0\.1:\d+ failed: ECONNREFUSED/);
      const planned = plannedDelay(retrying);
      assert.ok(Math.abs(planned - 120_000) <= 250, `retry ${n} after a connection error planned in ${planned} ms`);
      await watch.promote();
    }
    const last = await watch.end();
    assert.equal(last.type, 'COMPLETED', 'the fallback result, not a failure');
    assert.equal(last.job.attemptsMade, 3);
    assert.equal(last.job.failedReason, null);
    const result = last.job.result as { orderId: number; status: string; error: string };
    assert.deepEqual({ orderId: result.orderId, status: result.status }, { orderId: 4, status: 'failed' });
    assert.match(result.error, /ECONNREFUSED/);
    assert.ok(watch.events.some((event) => event.log?.includes('no attempt left: completed with the fallback result')));
    // One attempt has no retries to exhaust: it fails as it is.
    const single = await enqueue({ orderId: 5, url: `http://127.0.0.1:${port}/orders/5` }, { attempts: 1 });
    const failed = await single.end();
    assert.equal(failed.type, 'FAILED');
    assert.match(failed.job.failedReason ?? '', /ECONNREFUSED/);
  });

  it("leaves a 5xx to the type's backoff: exponential from 2 s, jitter 0.5", async () => {
    const watch = await enqueue({ orderId: 3, url: `${server.url}/orders/3` }, { attempts: 3 });
    for (const [n, capped] of [
      [1, 2000],
      [2, 4000],
    ]) {
      const retrying = await watch.nth('RETRYING', n);
      const planned = plannedDelay(retrying);
      assert.ok(planned >= capped / 2 - 50 && planned <= capped + 50, `retry ${n} after a 503 planned in ${planned} ms`);
      await watch.promote();
    }
    assert.equal((await watch.end()).type, 'COMPLETED');
  });

  it('refuses a backoff a caller could not mean: a cap below the delay, beyond a GraphQL Int, a jitter outside 0 to 1', async () => {
    const refusal = async (backoff: Record<string, unknown>) => {
      const response = await gql(stack.url, ENQUEUE, { type: 'helloWorld', data: {}, options: { attempts: 3, backoff } });
      const extensions = response.errors?.[0]?.extensions as { code?: string; field?: string } | undefined;
      return { code: extensions?.code, field: extensions?.field };
    };
    assert.deepEqual(await refusal({ type: 'EXPONENTIAL', delayMs: 1000, maxDelayMs: 999 }), {
      code: 'BAD_USER_INPUT',
      field: 'options.backoff.maxDelayMs',
    });
    assert.deepEqual(await refusal({ type: 'FIXED', delayMs: 1000, jitter: 1.5 }), {
      code: 'BAD_USER_INPUT',
      field: 'options.backoff.jitter',
    });
    assert.deepEqual(await refusal({ type: 'FIXED', delayMs: 1000, jitter: -0.1 }), {
      code: 'BAD_USER_INPUT',
      field: 'options.backoff.jitter',
    });
    assert.equal((await refusal({ type: 'EXPONENTIAL', delayMs: 1000, maxDelayMs: 2 ** 31 })).code, 'BAD_USER_INPUT');
  });
});
