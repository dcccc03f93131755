import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, JOB, type EnqueuedJob } from './operations';

interface Seen {
  id: string;
  state: string;
}

describe('per-job expiry removes that job only, when it says', () => {
  let stack: Stack;
  let alice: Record<string, string>;
  let bob: Record<string, string>;

  before(async () => {
    stack = await Stack.start({ workers: 1, env: { JWT_SECRET: TEST_JWT_SECRET, KEEP_COMPLETED_SECONDS: '3600' } });
    [alice, bob] = await Promise.all([token('alice', ['submitter']).then(bearer), token('bob', ['submitter']).then(bearer)]);
  });
  after(async () => {
    await stack?.close();
  });

  const enqueue = async (as: Record<string, string>, options: Record<string, unknown> = {}): Promise<string> => {
    const answer = await gql<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: { name: 'expiry' }, options }, as);
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    return answer.data!.enqueue.id;
  };
  const job = async (as: Record<string, string>, id: string): Promise<Seen | null> =>
    (await gql<{ job: Seen | null }>(stack.url, JOB, { id }, as)).data?.job ?? null;
  const completed = (as: Record<string, string>, id: string): Promise<Seen> =>
    eventually(
      async () => ((await job(as, id))?.state === 'COMPLETED' ? job(as, id) : undefined),
      10_000,
      `${id} completed`,
    ) as Promise<Seen>;

  it("an owner's removeOnCompleteAfterSeconds: 0 removes that owner's job, not another owner's finished jobs", async () => {
    const kept = await enqueue(alice);
    await completed(alice, kept);
    const gone = await enqueue(bob, { removeOnCompleteAfterSeconds: 0 });
    await eventually(async () => (await job(bob, gone)) === null, 10_000, "bob's job removed");
    assert.equal((await job(alice, kept))?.state, 'COMPLETED', "alice's completed job is still there");
  });

  it('removes a job after its expiry even when no other job completes, and not before', async () => {
    const id = await enqueue(bob, { removeOnCompleteAfterSeconds: 2 });
    await completed(bob, id);
    const completedAt = Date.now();
    assert.notEqual(await job(bob, id), null, 'kept right after completing');
    await eventually(async () => (await job(bob, id)) === null, 10_000, 'the job removed');
    assert.ok(Date.now() - completedAt >= 1000, 'not removed long before its 2 s');
  });

  it('refuses an expiry longer than the queue keeps completed jobs', async () => {
    const answer = await gql(stack.url, ENQUEUE, { type: 'helloWorld', data: {}, options: { removeOnCompleteAfterSeconds: 7200 } }, alice);
    assert.equal(answer.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(answer.errors?.[0]?.extensions?.field, 'options.removeOnCompleteAfterSeconds');
  });
});
