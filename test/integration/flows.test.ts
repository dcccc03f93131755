import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, type GraphQLResponse } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer } from '../support/tokens';
import { HELD } from './operations';

const ALICE = 'flows-key-of-alice-0123456789';
const BOB = 'flows-key-of-bob-0123456789ab';
const VIEWER = 'flows-key-of-vera-0123456789ab';

const FLOW_FIELDS = `id type queue state data result failedReason startedAt finishedAt progress { percent }
  parent { id }
  flow { total waiting active completed failed cancelled percent }`;
const ENQUEUE_FLOW = `mutation ($flow: FlowInput!) { enqueueFlow(flow: $flow) { ${FLOW_FIELDS} } }`;
const JOB = `query ($id: ID!) { job(id: $id) { ${FLOW_FIELDS} children(first: 10) { totalCount edges { node { ${FLOW_FIELDS} children(first: 5) { edges { node { id state } } } } } } } }`;
const CANCEL = `mutation ($id: ID!) { cancelJob(id: $id) { id state } }`;
const RETRY = `mutation ($id: ID!) { retryJob(id: $id) { id state } }`;
const JOBS = `query ($queue: String!, $states: [JobState!]) { jobs(queue: $queue, states: $states, first: 500) { totalCount edges { node { id state } } } }`;

interface FlowProgress {
  total: number;
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
  percent: number;
}

interface FlowJob {
  id: string;
  type: string;
  queue: string;
  state: string;
  data: Record<string, unknown>;
  result: Record<string, unknown> | null;
  failedReason: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  progress: { percent: number | null } | null;
  parent: { id: string } | null;
  flow: FlowProgress | null;
  children?: { totalCount: number; edges: { node: FlowJob & { children: { edges: { node: { id: string; state: string } }[] } } }[] };
}

interface FlowNodeInput {
  type: string;
  data: Record<string, unknown>;
  options?: Record<string, unknown>;
  children?: FlowNodeInput[];
}

/** An ERP stand-in for syncExternal children: each order answers the statuses scripted for it, in turn. */
function erp(script: Record<string, number[]>): Promise<{ server: Server; url: string }> {
  const calls: Record<string, number> = {};
  const server = createServer((request, response) => {
    const order = request.url?.split('/').pop() ?? '';
    calls[order] = (calls[order] ?? 0) + 1;
    const statuses = script[order] ?? [200];
    response.writeHead(statuses[Math.min(calls[order], statuses.length) - 1], { 'content-type': 'application/json' });
    response.end(JSON.stringify({ order }));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

const hello = (name: string, children?: FlowNodeInput[], options?: Record<string, unknown>): FlowNodeInput => ({
  type: 'helloWorld',
  data: { name },
  ...(children && { children }),
  ...(options && { options }),
});
const parts = (stage: string, items: number, msPerItem: number, options?: Record<string, unknown>): FlowNodeInput => ({
  type: 'importParts',
  data: { project: 'F', phase: 'A', stage, items, msPerItem },
  ...(options && { options }),
});
const sync = (orderId: number, options?: Record<string, unknown>): FlowNodeInput => ({
  type: 'syncExternal',
  data: { orderId },
  ...(options && { options }),
});

describe('flows', () => {
  let stack: Stack;
  let server: Server;

  const call = <T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> =>
    gql<T>(stack.url, query, variables, bearer(key));
  const ok = async <T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await call<T>(key, query, variables);
    if (response.errors || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const enqueueFlow = async (flow: FlowNodeInput, key = ALICE): Promise<FlowJob> =>
    (await ok<{ enqueueFlow: FlowJob }>(key, ENQUEUE_FLOW, { flow })).enqueueFlow;
  const job = async (id: string, key = ALICE): Promise<FlowJob | null> => (await ok<{ job: FlowJob | null }>(key, JOB, { id })).job;
  const until = (id: string, states: string[], timeoutMs = 20_000): Promise<FlowJob> =>
    eventually(
      async () => {
        const found = await job(id);
        return found && states.includes(found.state) ? found : undefined;
      },
      timeoutMs,
      `${id} to be ${states.join(' or ')}`,
    );
  const childrenOf = (root: FlowJob): FlowJob[] => root.children!.edges.map((edge) => edge.node);

  before(async () => {
    const mock = await erp({ '400': [400], '401': [400, 200] });
    server = mock.server;
    stack = await Stack.start({
      workers: 1,
      env: {
        API_KEYS: `${ALICE}:alice:submitter,${BOB}:bob:submitter,${VIEWER}:vera:viewer`,
        SYNC_BASE_URL: mock.url,
        SYNC_ALLOWED_ORIGINS: mock.url,
        MAX_FLOW_JOBS: '8',
        MAX_FLOW_DEPTH: '4',
      },
    });
  });
  after(async () => {
    await stack?.close();
    server?.close();
  });

  it('runs a chain in order, each step reading the results of the one before', async () => {
    const step = (id: number, children?: FlowNodeInput[]): FlowNodeInput => ({
      type: 'processList',
      data: { ids: [id], msPerItem: 0 },
      ...(children && { children }),
    });
    // Three steps (each the parent of the previous one); each processList adds a batch of its own.
    const root = await enqueueFlow(step(3, [step(2, [step(1)])]));
    assert.equal(root.state, 'WAITING_CHILDREN');
    const done = await until(root.id, ['COMPLETED']);
    const results = (done.result!.results as { itemId: number }[]).map((result) => result.itemId);
    assert.deepEqual(results, [3, 2, 1], "each step's result carries the previous step's");
    const middle = childrenOf(done).find((child) => child.type === 'processList')!;
    assert.equal(middle.parent?.id, root.id);
    const first = (await job(middle.id))!;
    const firstStep = childrenOf(first).find((child) => child.type === 'processList')!;
    assert.ok(Date.parse(firstStep.finishedAt!) <= Date.parse(first.startedAt!), 'step 1 finished before step 2 started');
    assert.ok(Date.parse(first.finishedAt!) <= Date.parse(done.startedAt!), 'step 2 finished before step 3 started');
    assert.equal(done.flow!.total, 5);
    assert.equal(done.flow!.completed, 5);
    assert.equal(done.flow!.percent, 100);
  });

  it("holds a group's parent in WAITING_CHILDREN until every child (in another queue) completed; Job.flow counts them", async () => {
    const root = await enqueueFlow(hello('group', [parts('1', 20, 25), parts('2', 30, 25), parts('3', 40, 25)]));
    assert.equal(root.state, 'WAITING_CHILDREN');
    assert.equal(root.flow!.total, 3);
    assert.equal(root.flow!.waiting + root.flow!.active + root.flow!.completed, 3);
    const listed = await ok<{ jobs: { edges: { node: { id: string } }[] } }>(ALICE, JOBS, {
      queue: 'default',
      states: ['WAITING_CHILDREN'],
    });
    assert.ok(
      listed.jobs.edges.some((edge) => edge.node.id === root.id),
      "the owner's listing shows the parent waiting for children",
    );
    const percents: number[] = [];
    const running = await eventually(
      async () => {
        const found = (await job(root.id))!;
        percents.push(found.flow!.percent);
        return found.flow!.active > 0 && found.flow!.percent > 0 ? found : undefined;
      },
      10_000,
      'children running',
    );
    assert.equal(running.state, 'WAITING_CHILDREN');
    assert.ok(running.flow!.percent < 100);
    const done = await until(root.id, ['COMPLETED']);
    const children = childrenOf(done);
    assert.deepEqual(
      children.map((child) => child.data.stage),
      ['1', '2', '3'],
      'children listed in the order given',
    );
    assert.ok(children.every((child) => child.queue === 'imports' && child.state === 'COMPLETED' && child.parent?.id === root.id));
    const lastChild = Math.max(...children.map((child) => Date.parse(child.finishedAt!)));
    assert.ok(lastChild <= Date.parse(done.startedAt!), 'the parent started after its last child finished');
    assert.equal(done.queue, 'default');
    assert.deepEqual(done.flow, { total: 3, waiting: 0, active: 0, completed: 3, failed: 0, cancelled: 0, percent: 100 });
    assert.equal(children[0].flow, null, 'a job without children has no flow');
    for (let index = 1; index < percents.length; index++) assert.ok(percents[index] >= percents[index - 1], 'percent never goes back');
  });

  for (const [policy, parentEnd] of [
    [undefined, 'FAILED'],
    ['FAIL_PARENT', 'FAILED'],
    ['IGNORE', 'COMPLETED'],
    ['CONTINUE', 'COMPLETED'],
  ] as const) {
    it(`a child failing under ${policy ?? 'the default policy'} leaves its parent ${parentEnd}`, async () => {
      const options = policy ? { onChildFailure: policy } : undefined;
      // The sibling still runs when the failing child fails (which answers at once).
      const root = await enqueueFlow(hello(`policy-${policy}`, [sync(400, options), parts('p', 10, 30)]));
      const done = await until(root.id, ['COMPLETED', 'FAILED']);
      assert.equal(done.state, parentEnd);
      const [failed, sibling] = childrenOf(done);
      assert.equal(failed.state, 'FAILED');
      // Under FAIL_PARENT the parent fails at once; a sibling already running runs to its end.
      const completed = await until(sibling.id, ['COMPLETED']);
      assert.equal((await job(root.id))!.flow!.failed, 1);
      if (parentEnd === 'FAILED') {
        assert.match(done.failedReason!, /child .* failed/);
        assert.equal(done.result, null, 'the parent never ran');
      } else {
        assert.deepEqual(done.result, { greeting: `Hello, policy-${policy}!` });
        assert.ok(Date.parse(completed.finishedAt!) <= Date.parse(done.startedAt!), 'the parent ran after its other child completed');
      }
    });
  }

  it('cancels a whole tree mid-run: every job ends CANCELLED, none FAILED; a job inside the flow is not cancelled alone', async () => {
    const root = await enqueueFlow(hello('doomed', [parts('1', 400, 25), parts('2', 400, 25), hello('mid', [parts('3', 5, 0, HELD)])]));
    const running = await eventually(
      async () => {
        const found = (await job(root.id))!;
        return found.flow!.active === 2 ? found : undefined;
      },
      10_000,
      'two children active',
    );
    const [first, second, mid] = childrenOf(running);
    const grandchild = mid.children!.edges[0].node;
    const refused = await call(ALICE, CANCEL, { id: first.id });
    assert.equal(refused.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(refused.errors![0].message, new RegExp(root.id));
    const { cancelJob } = await ok<{ cancelJob: { state: string } }>(ALICE, CANCEL, { id: root.id });
    assert.equal(cancelJob.state, 'CANCELLED');
    for (const id of [first.id, second.id, mid.id, grandchild.id]) await until(id, ['CANCELLED', 'FAILED', 'COMPLETED'], 10_000);
    const states = await Promise.all([root.id, first.id, second.id, mid.id, grandchild.id].map(async (id) => (await job(id))!.state));
    assert.deepEqual(states, ['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED']);
    const after = (await job(root.id))!;
    assert.equal(after.flow!.total, 4);
    assert.equal(after.flow!.cancelled, 4);
  });

  it('retryJob of a failed child lets its FAILED parent go on to COMPLETED', async () => {
    const root = await enqueueFlow(hello('retried', [sync(401), parts('r', 2, 0)]));
    const failed = await until(root.id, ['FAILED']);
    const child = childrenOf(failed).find((node) => node.type === 'syncExternal')!;
    assert.equal(child.state, 'FAILED');
    const parentRetry = await call(ALICE, RETRY, { id: root.id });
    assert.equal(parentRetry.errors?.[0].extensions?.code, 'BAD_USER_INPUT', 'the parent is retried through its child');
    assert.match(parentRetry.errors![0].message, new RegExp(child.id));
    await ok(ALICE, RETRY, { id: child.id });
    const done = await until(root.id, ['COMPLETED']);
    assert.deepEqual(done.result, { greeting: 'Hello, retried!' });
    assert.equal(done.flow!.completed, 2);
  });

  it('points validation errors at the node, and adds nothing of an invalid flow', async () => {
    const count = async (queue: string): Promise<number> =>
      (await ok<{ jobs: { totalCount: number } }>(ALICE, JOBS, { queue })).jobs.totalCount;
    const before = await Promise.all(['default', 'imports'].map(count));
    const cases: [FlowNodeInput, string, string][] = [
      [hello('x', [parts('1', 1, 0), parts('2', -1, 0)]), 'children.1.data.items', 'BAD_USER_INPUT'],
      [hello('x', [hello('y', [{ type: 'nope', data: {} }])]), 'children.0.children.0.type', 'UNKNOWN_JOB_TYPE'],
      [hello('x', [parts('1', 1, 0, { attempts: 0 })]), 'children.0.options.attempts', 'BAD_USER_INPUT'],
      [hello('x', [parts('1', 1, 0, { dedupKey: 'k' })]), 'children.0.options.dedupKey', 'BAD_USER_INPUT'],
      [hello('x', [parts('1', 1, 0)], { onChildFailure: 'IGNORE' }), 'options.onChildFailure', 'BAD_USER_INPUT'],
      [hello('x', [{ type: 'helloWorld', data: { name: 'y', extra: 1 } }]), 'children.0.data.extra', 'BAD_USER_INPUT'],
    ];
    for (const [flow, field, code] of cases) {
      const response = await call(ALICE, ENQUEUE_FLOW, { flow });
      assert.equal(response.errors?.[0].extensions?.code, code, JSON.stringify(response.errors));
      assert.equal(response.errors?.[0].extensions?.field, field);
    }
    assert.deepEqual(await Promise.all(['default', 'imports'].map(count)), before, 'no job of an invalid flow was added');
  });

  it('refuses flows over MAX_FLOW_JOBS and MAX_FLOW_DEPTH, declared children counted', async () => {
    const wide = await call(ALICE, ENQUEUE_FLOW, {
      flow: hello(
        'wide',
        Array.from({ length: 8 }, (_, index) => hello(`${index}`)),
      ),
    });
    assert.equal(wide.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(wide.errors![0].message, /at most 8 jobs \(MAX_FLOW_JOBS\)/);
    const deep = await call(ALICE, ENQUEUE_FLOW, { flow: hello('1', [hello('2', [hello('3', [hello('4', [hello('5')])])])]) });
    assert.equal(deep.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.equal(deep.errors?.[0].extensions?.field, 'children.0.children.0.children.0.children');
    assert.match(deep.errors![0].message, /at most 4 levels deep \(MAX_FLOW_DEPTH\)/);
    // 8 stages make 9 jobs: reported on the data that makes them.
    const stages = Array.from({ length: 8 }, (_, index) => `s${index}`);
    const declared = await call(ALICE, `mutation ($input: ImportProjectInput!) { importProject(input: $input) { id } }`, {
      input: { project: 'P', phase: 'A', stages },
    });
    assert.equal(declared.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.equal(declared.errors?.[0].extensions?.field, 'input');
    const batch = await call(ALICE, `mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }`, {
      jobs: [{ type: 'processList', data: { ids: [1] } }],
    });
    assert.equal(batch.errors?.[0].extensions?.field, 'jobs.0.type', 'types with children are not batched');
    const trees = await call(ALICE, `{ jobs(queue: "default", first: 500) { edges { node { flow { total } } } } }`);
    assert.match(trees.errors?.[0].message ?? '', /Query cost limit/, 'reading 500 trees is refused by the cost limit');
    // graphql-js coerces a FlowInput recursively, before any depth check: a tree thousands of
    // levels deep would overflow its stack (an internal error) if the gateway did not refuse it first.
    let abyss = hello('bottom');
    for (let level = 0; level < 1000; level++) abyss = hello(`${level}`, [abyss]);
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(ALICE) },
      body: JSON.stringify({ query: ENQUEUE_FLOW, variables: { flow: abyss } }),
    });
    const refused = (await response.json()) as GraphQLResponse<unknown>;
    assert.equal(response.status, 400);
    assert.equal(refused.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
    assert.match(refused.errors![0].message, /nest deeper than 512 levels/);
  });

  it("keeps a flow its owner's: another caller can neither see nor cancel it; a viewer sees it", async () => {
    const root = await enqueueFlow(hello('mine', [parts('o', 2, 0, HELD)]));
    const child = childrenOf((await job(root.id))!)[0];
    assert.equal(await job(root.id, BOB), null);
    assert.equal(await job(child.id, BOB), null);
    const cancel = await call(BOB, CANCEL, { id: root.id });
    assert.equal(cancel.errors?.[0].extensions?.code, 'NOT_FOUND');
    const bobs = await ok<{ jobs: { edges: { node: { id: string } }[] } }>(BOB, JOBS, { queue: 'imports' });
    assert.ok(!bobs.jobs.edges.some((edge) => edge.node.id === child.id), "not in another owner's listing");
    const seen = (await job(child.id, VIEWER))!;
    assert.equal(seen.parent?.id, root.id);
    const forbidden = await call(VIEWER, CANCEL, { id: root.id });
    assert.equal(forbidden.errors?.[0].extensions?.code, 'FORBIDDEN');
    const mine = await ok<{ jobs: { edges: { node: { id: string } }[] } }>(ALICE, JOBS, { queue: 'imports' });
    assert.ok(
      mine.jobs.edges.some((edge) => edge.node.id === child.id),
      "in its owner's listing",
    );
    await ok(ALICE, CANCEL, { id: root.id });
  });

  it('importProject: one importParts per stage in parallel, then a report of the totals', async () => {
    const { importProject: root } = await ok<{ importProject: FlowJob }>(
      ALICE,
      `mutation ($input: ImportProjectInput!) { importProject(input: $input) { ${FLOW_FIELDS} } }`,
      { input: { project: 'P', phase: 'B', stages: ['01', '02', '03'], itemsPerStage: 5, msPerItem: 1 } },
    );
    assert.equal(root.state, 'WAITING_CHILDREN');
    const done = await until(root.id, ['COMPLETED']);
    assert.deepEqual(
      childrenOf(done).map((child) => [child.type, child.data.stage]),
      [
        ['importParts', '01'],
        ['importParts', '02'],
        ['importParts', '03'],
      ],
    );
    assert.equal(done.result!.imported, 15);
    assert.deepEqual(done.result!.stages, { '01': 5, '02': 5, '03': 5 });
    const download = await fetch(`${stack.url}${done.result!.downloadUrl as string}`, { headers: bearer(ALICE) });
    assert.equal(download.status, 200);
    assert.match(await download.text(), /"P","B","total",15/);
  });

  it('processList: a group of batches with a result per id, gathered by the parent', async () => {
    const ids = Array.from({ length: 10 }, (_, index) => index + 1);
    const root = await enqueueFlow({ type: 'processList', data: { ids, batchSize: 4, msPerItem: 5 } });
    const done = await until(root.id, ['COMPLETED']);
    assert.equal(done.flow!.total, 3);
    assert.deepEqual(
      childrenOf(done).map((batch) => batch.data.ids),
      [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
        [9, 10],
      ],
    );
    assert.equal(done.result!.processed, 10);
    assert.deepEqual(
      (done.result!.results as { itemId: number; status: string }[]).map((result) => [result.itemId, result.status]),
      ids.map((id) => [id, 'ok']),
    );
    assert.equal(done.progress!.percent, 100);
  });
});
