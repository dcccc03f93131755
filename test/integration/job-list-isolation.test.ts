import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gql } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { HELD } from './operations';

const ENQUEUE_MANY = `mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id state } }`;
const REMOVE = `mutation ($id: ID!) { removeJob(id: $id) { id } }`;
const JOBS = `query ($states: [JobState!], $first: Int!, $after: String) {
  jobs(queue: "default", states: $states, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id state } } }
}`;

interface JobsPage {
  jobs: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { cursor: string; node: { id: string; state: string } }[];
  };
}

/** POSTs an operation and returns the HTTP status with the body. */
async function post(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  credential: string,
): Promise<{ status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } }> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...bearer(credential) },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

describe('jobs(): an owner counts and pages its own jobs only; pages cost what they read', () => {
  let stack: Stack;
  let alice: string;
  let bob: string;
  let carol: string;
  let viewer: string;
  let aliceDelayed: string[];
  let aliceWaiting: string[];
  let bobIds: string[];
  /** Jobs a test removed: the viewer's listing leaves them out. */
  const removed: string[] = [];

  const enqueue = async (credential: string, count: number, options: Record<string, unknown> | null): Promise<string[]> => {
    const jobs = Array.from({ length: count }, (_, index) => ({
      type: 'helloWorld',
      data: { name: `n${index}` },
      ...(options && { options }),
    }));
    const response = await gql<{ enqueueMany: { id: string }[] }>(stack.url, ENQUEUE_MANY, { jobs }, bearer(credential));
    assert.ok(response.data?.enqueueMany, JSON.stringify(response.errors));
    return response.data.enqueueMany.map((job) => job.id);
  };

  const page = async (
    credential: string,
    variables: { states?: string[]; first: number; after?: string | null },
  ): Promise<JobsPage['jobs']> => {
    const response = await gql<JobsPage>(stack.url, JOBS, variables, bearer(credential));
    assert.ok(response.data, JSON.stringify(response.errors));
    return response.data.jobs;
  };

  /** Every page of a listing, `first` at a time: each page's count, and every id in order. */
  const everyPage = async (
    credential: string,
    first: number,
    states?: string[],
  ): Promise<{ totals: number[]; ids: string[]; pages: number }> => {
    const totals: number[] = [];
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let pages = 1; pages <= 50; pages++) {
      const jobs = await page(credential, { states, first, after: cursor });
      totals.push(jobs.totalCount);
      assert.ok(jobs.edges.length <= first);
      ids.push(...jobs.edges.map((edge) => edge.node.id));
      if (jobs.edges.length > 0) assert.equal(jobs.pageInfo.endCursor, jobs.edges[jobs.edges.length - 1].cursor);
      if (!jobs.pageInfo.hasNextPage) return { totals, ids, pages };
      assert.equal(jobs.edges.length, first, 'a page before the last is full');
      cursor = jobs.pageInfo.endCursor;
    }
    throw new Error('more than 50 pages');
  };

  before(async () => {
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET } });
    [alice, bob, carol, viewer] = await Promise.all([
      token('alice', ['submitter']),
      token('bob', ['submitter']),
      token('carol', ['submitter']),
      token('val', ['viewer']),
    ]);
    // No worker: delayed jobs stay DELAYED, the others WAITING. Bob's are enqueued around Alice's,
    // more of them than the owner index takes in one script call (1,000).
    const bobBefore = [...(await enqueue(bob, 1000, HELD)), ...(await enqueue(bob, 150, HELD))];
    aliceDelayed = await enqueue(alice, 3, HELD);
    aliceWaiting = await enqueue(alice, 2, null);
    bobIds = [...bobBefore, ...(await enqueue(bob, 5, null)), ...(await enqueue(bob, 100, HELD))];
  });
  after(() => stack.close());

  it('gives a submitter its own count, its own jobs only, and pages over them', async () => {
    const own = [...aliceWaiting, ...aliceDelayed];
    const first = await page(alice, { first: 2 });
    assert.equal(first.totalCount, 5, "totalCount counts Alice's jobs only");
    assert.equal(first.edges.length, 2, "a full page, not one emptied by other owners' jobs");
    assert.equal(first.pageInfo.hasNextPage, true);
    assert.ok(
      first.edges.every((edge) => own.includes(edge.node.id)),
      "only Alice's jobs",
    );

    const all = await everyPage(alice, 2);
    assert.deepEqual(all.totals, [5, 5, 5]);
    assert.equal(all.pages, 3);
    assert.deepEqual([...all.ids].sort(), [...own].sort(), 'every job of Alice once, no other');
    // States in the listing's order: WAITING before DELAYED.
    assert.deepEqual(new Set(all.ids.slice(0, 2)), new Set(aliceWaiting));

    const delayed = await page(alice, { states: ['DELAYED'], first: 10 });
    assert.equal(delayed.totalCount, 3);
    assert.equal(delayed.pageInfo.hasNextPage, false);
    assert.deepEqual(delayed.edges.map((edge) => edge.node.id).sort(), [...aliceDelayed].sort());
    assert.ok(delayed.edges.every((edge) => edge.node.state === 'DELAYED'));

    const counted = await page(alice, { first: 0 });
    assert.deepEqual([counted.totalCount, counted.edges.length, counted.pageInfo.hasNextPage], [5, 0, true]);
  });

  it("tells a submitter nothing of other owners' jobs: none of its own is a count of 0", async () => {
    const jobs = await page(carol, { first: 10 });
    assert.deepEqual([jobs.totalCount, jobs.edges.length, jobs.pageInfo.hasNextPage], [0, 0, false]);
    const bobs = await everyPage(bob, 500);
    assert.deepEqual(bobs.totals, [1255, 1255, 1255]);
    assert.deepEqual([...bobs.ids].sort(), [...bobIds].sort());
  });

  it("leaves jobs removed since out of the owner's counts and pages", async () => {
    for (const id of [aliceWaiting[0], aliceDelayed[0]]) {
      assert.ok((await gql(stack.url, REMOVE, { id }, bearer(alice))).data, 'removed');
      removed.push(id);
    }
    const all = await everyPage(alice, 2);
    assert.deepEqual(all.totals, [3, 3]);
    assert.deepEqual([...all.ids].sort(), [aliceWaiting[1], aliceDelayed[1], aliceDelayed[2]].sort());
    const waiting = await page(alice, { states: ['WAITING'], first: 10 });
    assert.deepEqual([waiting.totalCount, waiting.edges.map((edge) => edge.node.id)], [1, [aliceWaiting[1]]]);
  });

  it("still shows a viewer every job of the queue, with the queue's counts", async () => {
    const all = await everyPage(viewer, 500);
    const everyId = [...aliceWaiting, ...aliceDelayed, ...bobIds].filter((id) => !removed.includes(id));
    assert.equal(everyId.length, 1260 - removed.length);
    assert.deepEqual(all.totals, Array(all.pages).fill(everyId.length));
    assert.deepEqual([...all.ids].sort(), [...everyId].sort());
  });

  it('counts `first` in the cost limit: 8 pages of 500 are refused, one passes', async () => {
    const minimal = (first: string) =>
      `{ ${Array.from({ length: 8 }, (_, index) => `a${index}: jobs(queue: "default", first: ${first}) { edges { node { id } } }`).join(' ')} }`;
    const literal = await post(stack.url, minimal('500'), {}, viewer);
    assert.equal(literal.status, 400, JSON.stringify(literal.body).slice(0, 300));
    assert.equal(literal.body.errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(literal.body.errors?.[0].message ?? '', /cost/i);

    // A variable's value is not known at validation: it counts as the largest page.
    const variable = await post(stack.url, minimal('$first').replace(/^\{/, 'query ($first: Int!) {'), { first: 500 }, viewer);
    assert.equal(variable.status, 400, JSON.stringify(variable.body).slice(0, 300));
    assert.equal(variable.body.errors?.[0].extensions?.code, 'GRAPHQL_VALIDATION_FAILED');

    const single = await post(
      stack.url,
      '{ jobs(queue: "default", first: 500) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id type state createdAt progress { percent } } } } }',
      {},
      viewer,
    );
    assert.equal(single.status, 200, JSON.stringify(single.body).slice(0, 300));
    assert.equal((single.body.data as JobsPage).jobs.edges.length, 500);
    assert.equal((single.body.data as JobsPage).jobs.totalCount, 1260 - removed.length);
  });
});
