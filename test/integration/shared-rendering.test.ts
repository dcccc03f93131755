import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gql, record, eventually, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, HELD, PROMOTE, type EnqueuedJob } from './operations';

/** One document for every subscriber: the gateway renders an event once per selection and shares it. */
const WATCH = `subscription ($id: ID!) { jobEvents(id: $id) { type job { id canControl } } }`;

interface WatchPayload {
  jobEvents: { type: string; job: { id: string; canControl: boolean } };
}

describe('subscription events rendered once and shared between subscribers', () => {
  let stack: Stack;
  let owner: string;
  let viewer: string;
  let admin: string;
  before(async () => {
    stack = await Stack.start({ workers: 1, env: { JWT_SECRET: TEST_JWT_SECRET } });
    [owner, viewer, admin] = await Promise.all([token('ana', ['submitter']), token('val', ['viewer']), token('root', ['admin'])]);
  });
  after(() => stack.close());

  it('give each caller its own answer for a caller-dependent field (Job.canControl)', async () => {
    const enqueued = await gql<{ enqueue: EnqueuedJob }>(
      stack.url,
      ENQUEUE,
      { type: 'helloWorld', data: {}, options: HELD },
      bearer(owner),
    );
    const job = enqueued.data?.enqueue;
    assert.ok(job, JSON.stringify(enqueued.errors));
    const callers = { owner, viewer, admin };
    const clients = Object.fromEntries(
      Object.entries(callers).map(([name, credential]) => [
        name,
        wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${credential}` } }),
      ]),
    );
    try {
      const watches = Object.fromEntries(
        Object.entries(clients).map(([name, client]) => [name, record<WatchPayload>(client, WATCH, { id: job.id })]),
      );
      await eventually(() => Object.values(watches).every((watch) => watch.results.length > 0), 10_000, 'every snapshot');
      const promoted = await gql(stack.url, PROMOTE, { id: job.id }, bearer(admin));
      assert.equal(promoted.errors, undefined, JSON.stringify(promoted.errors));
      await within(Promise.all(Object.values(watches).map((watch) => watch.done)), 20_000, 'the job to finish');

      const answers = Object.fromEntries(
        Object.entries(watches).map(([name, watch]) => {
          assert.deepEqual(
            watch.results.flatMap((result) => result.errors ?? []),
            [],
            `${name}: no errors`,
          );
          return [name, watch.results.map((result) => [result.data!.jobEvents.type, result.data!.jobEvents.job.canControl] as const)];
        }),
      );
      // The same events reached everyone, past the snapshot (those are the shared ones).
      const types = (name: string) => answers[name].map(([type]) => type);
      assert.ok(types('owner').length >= 2 && types('owner').includes('COMPLETED'), JSON.stringify(answers));
      assert.deepEqual(types('viewer'), types('owner'));
      assert.deepEqual(types('admin'), types('owner'));
      // The owner and an admin may control the job; a viewer may not: each sees its own answer in every event.
      assert.deepEqual(
        answers.owner.map(([, can]) => can),
        types('owner').map(() => true),
        'owner',
      );
      assert.deepEqual(
        answers.viewer.map(([, can]) => can),
        types('owner').map(() => false),
        'viewer',
      );
      assert.deepEqual(
        answers.admin.map(([, can]) => can),
        types('owner').map(() => true),
        'admin',
      );
    } finally {
      await Promise.all(Object.values(clients).map((client) => client.dispose()));
    }
  });
});

describe('an unknown queue', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET } });
  });
  after(() => stack.close());

  it('is refused in one wording, naming the known queues, by queries and subscriptions alike', async () => {
    const admin = await token('root', ['admin']);
    const wording = /^Unknown queue "nope"; known queues: \S/;
    const answers = await Promise.all(
      ['{ jobs(queue: "nope") { totalCount } }', '{ workers(queue: "nope") { address } }', 'mutation { pauseQueue(queue: "nope") }'].map(
        (query) => gql(stack.url, query, {}, bearer(admin)),
      ),
    );
    const client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${admin}` } });
    try {
      const watch = record(client, 'subscription { queueEvents(queue: "nope") { type } }');
      await within(watch.done, 5000, 'the refusal');
      const errors = [...answers.map((answer) => answer.errors?.[0]), watch.results[0]?.errors?.[0]];
      const messages = errors.map((error) => error?.message);
      for (const error of errors) {
        assert.equal(error?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(errors));
        assert.match(error?.message ?? '', wording);
      }
      assert.equal(new Set(messages).size, 1, JSON.stringify(messages));
    } finally {
      await client.dispose();
    }
  });
});
