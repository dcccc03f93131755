import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Client } from 'graphql-ws';
import IORedis from 'ioredis';
import { eventually, gql, record, within, wsClient, type Recording } from '../support/graphql';
import { PrivateRedis } from '../support/redis-server';
import { Stack } from '../support/stack';
import { withLogsOnFailure } from '../support/stack-logs';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { IMPORT_PARTS, JOB, JOB_EVENTS, type EnqueuedJob, type JobEventPayload } from './operations';

/** Issue 17, item 4: an open watch must never switch to another owner's job that got the same id after Redis lost its data. */
describe('a job watch when Redis loses the job', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  let admin: IORedis;
  let alice: string;
  let bob: string;
  const clients: Client[] = [];

  before(async () => {
    redis = await PrivateRedis.start();
    stack = await Stack.start({ workers: 0, redisUrl: redis.url, env: { JWT_SECRET: TEST_JWT_SECRET } });
    admin = new IORedis(redis.url, { maxRetriesPerRequest: null });
    admin.on('error', () => undefined);
    [alice, bob] = await Promise.all([token('alice', ['submitter']), token('bob', ['submitter'])]);
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    admin.disconnect();
    await stack.close();
    await redis.destroy();
  });
  // Each case starts from empty data, so that alice's job is the first of its queue (id 1) and the next job after a reset gets its id.
  beforeEach(() => admin.flushall());

  const project = (owner: string): string => `${owner}-private-project-${Math.random().toString(36).slice(2, 8)}`;

  /** Enqueues a held import (no worker needed) as the owner of `credential`. */
  async function enqueueAs(credential: string, name: string): Promise<EnqueuedJob> {
    const input = { project: name, phase: 'A', stage: '1', items: 1, msPerItem: 0 };
    const answer = await gql<{ importParts: EnqueuedJob }>(
      stack.url,
      IMPORT_PARTS,
      { input, options: { delayMs: 600_000 } },
      bearer(credential),
    );
    assert.ok(answer.data?.importParts, JSON.stringify(answer.errors));
    return answer.data.importParts;
  }

  /** Alice's watch of `id`, once its SNAPSHOT has arrived. */
  async function watchAsAlice(id: string): Promise<Recording<JobEventPayload>> {
    const client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${alice}` } });
    clients.push(client);
    const watch = record<JobEventPayload>(client, JOB_EVENTS, { id });
    // It may end before the test asks how (`endingError`): not an unhandled rejection meanwhile.
    watch.done.catch(() => undefined);
    await eventually(() => watch.results.length > 0, 5000, 'the snapshot');
    assert.equal(watch.results[0].data?.jobEvents.type, 'SNAPSHOT');
    return watch;
  }

  /**
   * Restarts Redis without its data, like a server without persistence after a crash. The private
   * server keeps an append-only file, so the data is flushed just before the SIGKILL: the file
   * then replays to nothing. The gateway's reader is blocked in XREAD meanwhile.
   */
  async function restartEmpty(): Promise<number> {
    await admin.flushall();
    await redis.stop();
    await redis.resume();
    return Date.now();
  }

  /** Resolves once the gateway answers again, from the data Redis has now: the job is absent (null, not UNAVAILABLE). */
  async function gatewayBackWithout(id: string): Promise<void> {
    await eventually(
      async () => {
        const answer = await gql<{ job: unknown }>(stack.url, JOB, { id }, bearer(alice));
        return answer.errors === undefined && answer.data?.job === null;
      },
      20_000,
      'the gateway to answer again after the restart',
    );
  }

  /** Resolves when the watch has ended or delivered more than its SNAPSHOT, whichever comes first. */
  async function settled(watch: Recording<JobEventPayload>, ms: number): Promise<void> {
    let ended = false;
    watch.done.then(
      () => (ended = true),
      () => (ended = true),
    );
    await eventually(() => ended || watch.results.length > 1, ms, 'the watch to end or deliver another event');
  }

  /** The error a watch ended with (graphql-ws `error` message); fails when it completes or goes on past `ms`. */
  async function endingError(watch: Recording<JobEventPayload>, ms: number): Promise<{ message: string; extensions?: { code?: string } }> {
    const error = await within(
      watch.done.then(
        () => assert.fail(`the watch completed instead of failing; it got ${JSON.stringify(watch.results)}`),
        (failure: unknown) => failure as Error,
      ),
      ms,
      'the watch to end',
    );
    const errors = JSON.parse(error.message) as { message: string; extensions?: { code?: string } }[];
    return errors[0];
  }

  /** The watch ends with the "gone" NOT_FOUND error, having delivered nothing but alice's own SNAPSHOT (nothing of `secret`). */
  async function assertEndsAsGone(watch: Recording<JobEventPayload>, id: string, secret?: string): Promise<void> {
    await settled(watch, 15_000);
    if (secret)
      assert.ok(
        !JSON.stringify(watch.results).includes(secret),
        `a payload carries the other owner's job: ${JSON.stringify(watch.results.slice(1))}`,
      );
    assert.deepEqual(
      watch.results.map((result) => result.data?.jobEvents.type),
      ['SNAPSHOT'],
      JSON.stringify(watch.results),
    );
    const ending = await endingError(watch, 15_000);
    assert.equal(ending.extensions?.code, 'NOT_FOUND', JSON.stringify(ending));
    assert.equal(
      ending.message,
      `Job "${id}" is gone: its queue's data was lost or replaced (Redis restarted or failed over); enqueue again or stop watching`,
    );
  }

  const checkedAgain = (): number =>
    stack.gateway.output.filter((line) => line.includes('watched jobs checked again after a reconnect')).length;

  it("ends with NOT_FOUND when Redis restarts empty and another owner's job takes the id; that job is never delivered", () =>
    withLogsOnFailure(stack, async () => {
      const mine = await enqueueAs(alice, project('alice'));
      const watch = await watchAsAlice(mine.id);
      await restartEmpty();
      await gatewayBackWithout(mine.id);
      const secret = project('bob');
      const theirs = await enqueueAs(bob, secret);
      assert.equal(theirs.id, mine.id, 'the reset gave the id again');
      await assertEndsAsGone(watch, mine.id, secret);
    }));

  it('ends with NOT_FOUND within seconds when Redis restarts empty and nothing takes the id (no hang)', () =>
    withLogsOnFailure(stack, async () => {
      const mine = await enqueueAs(alice, project('alice'));
      const watch = await watchAsAlice(mine.id);
      const back = await restartEmpty();
      await assertEndsAsGone(watch, mine.id);
      const afterMs = Date.now() - back;
      assert.ok(afterMs < 10_000, `ended ${afterMs} ms after Redis came back`);
      process.stdout.write(`# watch ended ${afterMs} ms after Redis came back empty\n`);
    }));

  it("ends with NOT_FOUND when the data is wiped under a connected gateway (FLUSHALL) and another owner's job takes the id", () =>
    withLogsOnFailure(stack, async () => {
      const mine = await enqueueAs(alice, project('alice'));
      const watch = await watchAsAlice(mine.id);
      await admin.flushall();
      const secret = project('bob');
      const theirs = await enqueueAs(bob, secret);
      assert.equal(theirs.id, mine.id, 'the wipe gave the id again');
      await assertEndsAsGone(watch, mine.id, secret);
    }));

  it('ends with NOT_FOUND when the data is wiped under a connected gateway and nothing takes the id (the idle reader notices)', () =>
    withLogsOnFailure(stack, async () => {
      const mine = await enqueueAs(alice, project('alice'));
      const watch = await watchAsAlice(mine.id);
      await admin.flushall();
      // The reader looks for its last entry after a read that waited 5 s for nothing.
      await assertEndsAsGone(watch, mine.id);
    }));

  it('goes on when Redis restarts with its data: the job is checked again, found the same, and its CANCELLED still arrives', () =>
    withLogsOnFailure(stack, async () => {
      const mine = await enqueueAs(alice, project('alice'));
      const watch = await watchAsAlice(mine.id);
      const checks = checkedAgain();
      await redis.stop();
      await redis.resume();
      await eventually(() => checkedAgain() > checks, 20_000, 'the gateway to check the watched job again');
      const cancelled = await eventually(
        async () => {
          const answer = await gql<{ cancelJob: { state: string } }>(
            stack.url,
            `mutation ($id: ID!) { cancelJob(id: $id) { id state } }`,
            { id: mine.id },
            bearer(alice),
          );
          return answer.data?.cancelJob;
        },
        20_000,
        'a cancel after the restart',
      );
      assert.equal(cancelled.state, 'CANCELLED');
      await within(watch.done, 10_000, 'the watch to complete');
      assert.deepEqual(
        watch.results.map((result) => result.data?.jobEvents.type),
        ['SNAPSHOT', 'CANCELLED'],
      );
    }));
});
