import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gql, type GraphQLResponse } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { HELD } from './operations';

const ENQUEUE_MANY = `mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }`;
const ENQUEUE_FLOW = `mutation ($flow: FlowInput!) { enqueueFlow(flow: $flow) { id children(first: 5) { edges { node { id } } } } }`;
const REMOVE = `mutation ($id: ID!) { removeJob(id: $id) { id } }`;
const RECENT = `query ($queue: String, $states: [JobState!], $type: String, $first: Int!, $after: String) {
  recentJobs(queue: $queue, states: $states, type: $type, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id queue type state createdAt } }
  }
}`;
const ME = `{ me { id roles } }`;

interface Node {
  id: string;
  queue: string;
  type: string;
  state: string;
  createdAt: string;
}
interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  edges: { cursor: string; node: Node }[];
}
type Filters = { queue?: string; states?: string[]; type?: string };
type JobInput = { type: string; data: Record<string, unknown>; options?: Record<string, unknown> };

const hello = (name: string, options?: Record<string, unknown>): JobInput => ({
  type: 'helloWorld',
  data: { name },
  ...(options && { options }),
});
const parts = (stage: string, options?: Record<string, unknown>): JobInput => ({
  type: 'importParts',
  data: { project: 'recent', phase: 'p', stage },
  ...(options && { options }),
});

/** The listing's order: newest first, then by queue, then by BullMQ id, both descending (byte order). */
function assertNewestFirst(nodes: Node[]): void {
  for (let index = 1; index < nodes.length; index++) {
    const [a, b] = [nodes[index - 1], nodes[index]];
    const order =
      Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
      Buffer.compare(Buffer.from(b.queue), Buffer.from(a.queue)) ||
      Buffer.compare(Buffer.from(b.id), Buffer.from(a.id));
    assert.ok(order < 0, `${a.id} (${a.createdAt}) is listed before ${b.id} (${b.createdAt})`);
  }
}

describe('recentJobs(): every queue, newest first, keyset pages; me', () => {
  let stack: Stack;
  let alice: string;
  let bob: string;
  let carol: string;
  let viewer: string;
  /** Every job enqueued and not removed, by owner. */
  const owned = new Map<string, string[]>();

  const call = <T>(credential: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> =>
    gql<T>(stack.url, query, variables, bearer(credential));

  const enqueue = async (credential: string, jobs: JobInput[]): Promise<string[]> => {
    const response = await call<{ enqueueMany: { id: string }[] }>(credential, ENQUEUE_MANY, { jobs });
    assert.ok(response.data?.enqueueMany, JSON.stringify(response.errors));
    const ids = response.data.enqueueMany.map((job) => job.id);
    owned.set(credential, [...(owned.get(credential) ?? []), ...ids]);
    return ids;
  };

  const page = async (credential: string, variables: Filters & { first: number; after?: string | null }): Promise<Connection> => {
    const response = await call<{ recentJobs: Connection }>(credential, RECENT, variables);
    assert.ok(response.data, JSON.stringify(response.errors));
    return response.data.recentJobs;
  };

  /** Every page of a listing, `first` at a time; `between` runs before each page after the first. */
  const everyPage = async (
    credential: string,
    first: number,
    filters: Filters = {},
    between?: () => Promise<unknown>,
  ): Promise<{ nodes: Node[]; pages: Connection[] }> => {
    const pages: Connection[] = [];
    let cursor: string | null = null;
    for (let count = 1; count <= 100; count++) {
      if (cursor !== null && between) await between();
      const connection = await page(credential, { ...filters, first, after: cursor });
      pages.push(connection);
      assert.ok(connection.edges.length <= first);
      if (!connection.pageInfo.hasNextPage) return { nodes: pages.flatMap((each) => each.edges.map((edge) => edge.node)), pages };
      assert.ok(connection.pageInfo.endCursor, 'a page with a next page has an end cursor');
      cursor = connection.pageInfo.endCursor;
    }
    throw new Error('more than 100 pages');
  };

  const ids = (nodes: Node[]): string[] => nodes.map((node) => node.id);

  before(async () => {
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET } });
    [alice, bob, carol, viewer] = await Promise.all([
      token('alice', ['submitter']),
      token('bob', ['submitter']),
      token('carol', ['submitter']),
      token('val', ['viewer']),
    ]);
    // No worker: jobs stay WAITING, DELAYED (held) or WAITING_CHILDREN. Two queues, interleaved.
    await enqueue(alice, [hello('a1'), hello('a2'), hello('a3')]);
    await enqueue(bob, [parts('b1', HELD), parts('b2', HELD)]);
    await enqueue(alice, [parts('a4'), parts('a5')]);
    await enqueue(bob, [hello('b3'), hello('b4')]);
    const flow = await call<{ enqueueFlow: { id: string; children: { edges: { node: { id: string } }[] } } }>(alice, ENQUEUE_FLOW, {
      flow: { ...hello('root'), children: [parts('child')] },
    });
    assert.ok(flow.data, JSON.stringify(flow.errors));
    const root = flow.data.enqueueFlow;
    owned.set(alice, [...(owned.get(alice) ?? []), root.id, ...root.children.edges.map((edge) => edge.node.id)]);
  });
  after(() => stack?.close());

  it('lists the jobs of every queue newest first: all of them to a viewer, its own to a submitter', async () => {
    const everyone = [...owned.get(alice)!, ...owned.get(bob)!];
    const all = await page(viewer, { first: 50 });
    assert.equal(all.totalCount, everyone.length);
    assert.equal(all.pageInfo.hasNextPage, false);
    assert.deepEqual(ids(all.edges.map((edge) => edge.node)).sort(), [...everyone].sort());
    assertNewestFirst(all.edges.map((edge) => edge.node));
    assert.deepEqual(new Set(all.edges.map((edge) => edge.node.queue)), new Set(['default', 'imports']));
    // The flow, enqueued last, comes before the jobs enqueued first.
    const at = (id: string): number => all.edges.findIndex((edge) => edge.node.id === id);
    assert.ok(at(owned.get(alice)!.at(-1)!) < at(owned.get(alice)![0]));

    for (const [credential, count] of [
      [alice, 7],
      [bob, 4],
    ] as const) {
      const own = await page(credential, { first: 50 });
      assert.equal(own.totalCount, count, 'totalCount counts the caller’s jobs only');
      assert.deepEqual(ids(own.edges.map((edge) => edge.node)).sort(), [...owned.get(credential)!].sort());
      assertNewestFirst(own.edges.map((edge) => edge.node));
    }
    const none = await page(carol, { first: 50 });
    assert.deepEqual([none.totalCount, none.edges.length, none.pageInfo.hasNextPage], [0, 0, false]);

    const imports = await page(viewer, { queue: 'imports', first: 50 });
    assert.ok(imports.edges.length > 0 && imports.edges.every((edge) => edge.node.queue === 'imports'));
  });

  it('pages with `after` while jobs are enqueued between pages: no job twice, none missed', async () => {
    for (const [credential, first] of [
      [viewer, 3],
      [alice, 2],
    ] as const) {
      const before = ids((await page(credential, { first: 50 })).edges.map((edge) => edge.node));
      let added = 0;
      const paged = await everyPage(credential, first, {}, () =>
        enqueue(alice, [added++ % 2 === 0 ? hello(`new${added}`) : parts(`new${added}`)]),
      );
      assert.ok(paged.pages.length > 2, 'several pages');
      assert.ok(added > 0);
      assert.deepEqual(ids(paged.nodes), before, 'the pages list exactly the jobs there were, in order');
      for (const each of paged.pages.slice(0, -1)) {
        assert.equal(each.edges.length, first, 'a page before the last is full');
        assert.equal(each.pageInfo.endCursor, each.edges.at(-1)!.cursor);
      }
      // The jobs enqueued meanwhile lead a listing read anew.
      const fresh = ids((await page(credential, { first: 50 })).edges.map((edge) => edge.node));
      assert.deepEqual(fresh.slice(added), before);
      assert.deepEqual(new Set(fresh.slice(0, added)), new Set(owned.get(alice)!.slice(-added)));
    }
  });

  it('filters by state and by type', async () => {
    const delayed = await page(viewer, { states: ['DELAYED'], first: 50 });
    assert.deepEqual(ids(delayed.edges.map((edge) => edge.node)).sort(), [...owned.get(bob)!.slice(0, 2)].sort());
    assert.ok(delayed.edges.every((edge) => edge.node.state === 'DELAYED'));
    assert.equal((await page(alice, { states: ['DELAYED'], first: 50 })).edges.length, 0, "bob's delayed jobs are not alice's");

    const parent = await page(alice, { states: ['WAITING_CHILDREN', 'DELAYED'], first: 50 });
    assert.deepEqual(
      parent.edges.map((edge) => [edge.node.type, edge.node.state]),
      [['helloWorld', 'WAITING_CHILDREN']],
    );

    const typed = await page(viewer, { type: 'importParts', first: 50 });
    assert.ok(typed.edges.length >= 5);
    assert.ok(typed.edges.every((edge) => edge.node.type === 'importParts' && edge.node.queue === 'imports'));
    assertNewestFirst(typed.edges.map((edge) => edge.node));
    const both = await page(viewer, { type: 'helloWorld', states: ['WAITING'], queue: 'default', first: 50 });
    assert.ok(both.edges.length >= 5);
    assert.ok(both.edges.every((edge) => edge.node.type === 'helloWorld' && edge.node.state === 'WAITING'));
    assert.equal((await page(viewer, { type: 'noSuchType', first: 50 })).edges.length, 0);
  });

  it('bounds the entries a page reads: short pages go on from their end cursor', async () => {
    // Carol's delayed job is older than 120 waiting jobs: a page of 1 reads 40 entries per queue.
    const [held] = await enqueue(carol, [hello('held', HELD)]);
    await enqueue(
      carol,
      Array.from({ length: 120 }, (_, index) => hello(`c${index}`)),
    );
    const expected = ids((await page(viewer, { states: ['DELAYED'], first: 50 })).edges.map((edge) => edge.node));
    assert.ok(expected.includes(held));
    const paged = await everyPage(viewer, 1, { states: ['DELAYED'] });
    assert.deepEqual(ids(paged.nodes), expected);
    assert.ok(
      paged.pages.some((each) => each.edges.length === 0 && each.pageInfo.hasNextPage),
      'a page found nothing within its bound and said to go on',
    );
    const own = await everyPage(carol, 1, { states: ['DELAYED'] });
    assert.deepEqual(ids(own.nodes), [held]);
  });

  it('drops a removed job from the listing and its count', async () => {
    const [victim] = owned.get(alice)!;
    const [viewerBefore, aliceBefore] = await Promise.all([page(viewer, { first: 0 }), page(alice, { first: 0 })]);
    assert.ok((await call(alice, REMOVE, { id: victim })).data, 'removed');
    owned.set(alice, owned.get(alice)!.slice(1));
    for (const [credential, total] of [
      [viewer, viewerBefore.totalCount],
      [alice, aliceBefore.totalCount],
    ] as const) {
      const listed = await everyPage(credential, 500);
      assert.ok(!ids(listed.nodes).includes(victim), 'the removed job is not listed');
      assert.equal(listed.pages[0].totalCount, total - 1);
      assert.equal((await page(credential, { first: 0 })).totalCount, total - 1);
    }
  });

  it('refuses a bad cursor, an unknown queue and an oversized page with BAD_USER_INPUT', async () => {
    const first = await page(viewer, { first: 1 });
    const offsetCursor = Buffer.from('o:1').toString('base64url');
    const forged = Buffer.from('r:["x","default","1"]').toString('base64url');
    for (const [variables, field] of [
      [{ first: 1, after: 'not a cursor' }, 'after'],
      [{ first: 1, after: offsetCursor }, 'after'],
      [{ first: 1, after: forged }, 'after'],
      [{ first: 1, queue: 'nope' }, 'queue'],
      [{ first: 501 }, 'first'],
      [{ first: -1 }, 'first'],
    ] as const) {
      const response = await call(viewer, RECENT, variables);
      assert.equal(response.errors?.[0].extensions?.code, 'BAD_USER_INPUT', JSON.stringify(response));
      assert.equal(response.errors?.[0].extensions?.field, field);
    }
    // A `jobs` query refuses a recentJobs cursor alike.
    const jobs = await call(viewer, `query ($after: String) { jobs(queue: "default", after: $after) { totalCount } }`, {
      after: first.pageInfo.endCursor,
    });
    assert.equal(jobs.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
  });

  it('counts `first` in the cost limit: 8 pages of 500 are refused', async () => {
    const query = `{ ${Array.from({ length: 8 }, (_, index) => `a${index}: recentJobs(first: 500) { edges { node { id } } }`).join(' ')} }`;
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(viewer) },
      body: JSON.stringify({ query }),
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as GraphQLResponse<unknown>;
    assert.match(body.errors?.[0].message ?? '', /cost/i);
  });

  it('answers me with the caller’s owner id and roles', async () => {
    assert.deepEqual((await call(alice, ME)).data, { me: { id: 'jwt:alice', roles: ['SUBMITTER'] } });
    assert.deepEqual((await call(viewer, ME)).data, { me: { id: 'jwt:val', roles: ['VIEWER'] } });
    const anonymous = await gql(stack.url, ME);
    assert.equal(anonymous.errors?.[0].extensions?.code, 'UNAUTHENTICATED');

    const dev = await Stack.start({ workers: 0 });
    try {
      assert.deepEqual((await gql(dev.url, ME)).data, { me: { id: 'system:dev', roles: ['ADMIN', 'VIEWER', 'SUBMITTER'] } });
    } finally {
      await dev.close();
    }
  });
});
