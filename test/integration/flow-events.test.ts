import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, record, within, wsClient, type Recording } from '../support/graphql';
import { Stack } from '../support/stack';
import { retryingClient } from '../support/event-stream';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { HELD, PROMOTE } from './operations';

const ENQUEUE_FLOW = `mutation ($flow: FlowInput!) { enqueueFlow(flow: $flow) { id children(first: 100) { edges { node { id queue } } } } }`;

const FLOW_EVENTS = `subscription FlowWatch($id: ID!, $since: String) {
  flowEvents(id: $id, since: $since) {
    type cursor gap
    flow { total waiting active completed failed cancelled percent }
    job { id queue state parent { id } progress { percent current } }
  }
}`;

interface FlowEvent {
  type: string;
  cursor: string;
  gap: boolean;
  flow: { total: number; waiting: number; active: number; completed: number; failed: number; cancelled: number; percent: number } | null;
  job: {
    id: string;
    queue: string;
    state: string;
    parent: { id: string } | null;
    progress: { percent: number | null; current: number | null } | null;
  };
}

interface EnqueuedFlow {
  id: string;
  children: { edges: { node: { id: string; queue: string } }[] };
}

const importPart = (stage: string, items: number, options: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'importParts',
  data: { project: 'flow', phase: 'events', stage, items, msPerItem: 15 },
  options,
});

/** A root import whose children are three imports (queue `imports`) and a greeting (queue `default`), every child held until promoted. */
const tree = (root: string): Record<string, unknown> => ({
  ...importPart(root, 2),
  children: [
    importPart(`${root}-a`, 6, HELD),
    importPart(`${root}-b`, 6, HELD),
    importPart(`${root}-c`, 6, HELD),
    { type: 'helloWorld', data: { name: root }, options: HELD },
  ],
});

const eventsOf = (recording: Recording<{ flowEvents: FlowEvent }>): FlowEvent[] =>
  recording.results.map((result) => {
    assert.equal(result.errors, undefined, JSON.stringify(result.errors));
    return result.data!.flowEvents;
  });

/**
 * What identifies an event of a job, whichever watch delivered it: its type, the job's state, and
 * the progress a PROGRESS event carries (other events show the job as read when they are built,
 * which differs between a live and a replayed event).
 */
const perJob = (events: FlowEvent[]): Map<string, string[]> => {
  const byJob = new Map<string, string[]>();
  for (const event of events) {
    const list = byJob.get(event.job.id) ?? [];
    list.push(`${event.type}:${event.job.state}:${event.type === 'PROGRESS' ? event.job.progress?.current : ''}`);
    byJob.set(event.job.id, list);
  }
  return byJob;
};

describe('flowEvents: a whole flow watched as one job', () => {
  let stack: Stack;
  const ana = async (): Promise<Record<string, string>> => bearer(await token('ana', ['submitter']));

  before(async () => {
    stack = await Stack.start({ workers: 1, env: { JWT_SECRET: TEST_JWT_SECRET } });
  });
  after(async () => {
    await stack?.close();
  });

  const enqueueFlow = async (flow: Record<string, unknown>, headers: Record<string, string>): Promise<EnqueuedFlow> => {
    const answer = await gql<{ enqueueFlow: EnqueuedFlow }>(stack.url, ENQUEUE_FLOW, { flow }, headers);
    assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    return answer.data!.enqueueFlow;
  };
  const promoteAll = async (flow: EnqueuedFlow, headers: Record<string, string>): Promise<void> => {
    for (const { node } of flow.children.edges) {
      const answer = await gql(stack.url, PROMOTE, { id: node.id }, headers);
      assert.equal(answer.errors, undefined, JSON.stringify(answer.errors));
    }
  };

  it('streams every job of the tree, across two queues, with an aggregate that only grows, ending with the root', async () => {
    const headers = await ana();
    const flow = await enqueueFlow(tree('whole'), headers);
    const client = wsClient(stack.wsUrl, { connectionParams: headers });
    const watch = record<{ flowEvents: FlowEvent }>(client, FLOW_EVENTS, { id: flow.id });
    await eventually(() => watch.results.length > 0, 10_000, 'the SNAPSHOT');
    await promoteAll(flow, headers);
    await within(watch.done, 60_000, 'the flow watch');
    await client.dispose();

    const events = eventsOf(watch);
    const [snapshot, ...rest] = events;
    assert.equal(snapshot.type, 'SNAPSHOT');
    assert.equal(snapshot.job.id, flow.id);
    assert.equal(snapshot.job.state, 'WAITING_CHILDREN');
    assert.deepEqual(snapshot.flow, { total: 4, waiting: 4, active: 0, completed: 0, failed: 0, cancelled: 0, percent: 0 });

    const last = events.at(-1)!;
    assert.equal(last.type, 'COMPLETED');
    assert.equal(last.job.id, flow.id, "the root's final event comes last");
    assert.deepEqual(last.flow, { total: 4, waiting: 0, active: 0, completed: 4, failed: 0, cancelled: 0, percent: 100 });

    const percents = events.map((event) => event.flow!.percent);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      `the aggregate never goes back: ${percents.join(' ')}`,
    );
    const childIds = new Set(flow.children.edges.map(({ node }) => node.id));
    assert.deepEqual(new Set(flow.children.edges.map(({ node }) => node.queue)), new Set(['imports', 'default']));
    for (const id of childIds) {
      const own = rest.filter((event) => event.job.id === id);
      assert.equal(own.at(-1)?.type, 'COMPLETED', `child ${id}: ${own.map((event) => event.type).join(',')}`);
      assert.ok(
        own.every((event) => event.job.parent?.id === flow.id),
        'each event tells where its job sits',
      );
    }
    // The bar moves while children run, not only when one finishes.
    const whileRunning = rest
      .filter((event) => event.type === 'PROGRESS' && childIds.has(event.job.id))
      .map((event) => event.flow!.percent);
    assert.ok(new Set(whileRunning).size > 4, `progress of children moves the aggregate: ${whileRunning.join(' ')}`);
    assert.equal(new Set(events.map((event) => event.cursor)).size, events.length, 'every event has a cursor of its own');
  });

  it('keeps the aggregate of a chain from going back as each step waits, runs and finishes', async () => {
    const headers = await ana();
    // A chain: each step the parent of the one before; only the first is held.
    const flow = await enqueueFlow(
      { ...importPart('chain-3', 4), children: [{ ...importPart('chain-2', 4), children: [importPart('chain-1', 4, HELD)] }] },
      headers,
    );
    const client = wsClient(stack.wsUrl, { connectionParams: headers });
    const watch = record<{ flowEvents: FlowEvent }>(client, FLOW_EVENTS, { id: flow.id });
    await eventually(() => watch.results.length > 0, 10_000, 'the SNAPSHOT');
    const leaf = (
      await gql<{ job: { children: { edges: { node: { id: string } }[] } } }>(
        stack.url,
        `query ($id: ID!) { job(id: $id) { children { edges { node { id } } } } }`,
        { id: flow.children.edges[0].node.id },
        headers,
      )
    ).data!.job.children.edges[0].node.id;
    assert.equal((await gql(stack.url, PROMOTE, { id: leaf }, headers)).errors, undefined);
    await within(watch.done, 60_000, 'the chain watch');
    await client.dispose();
    const events = eventsOf(watch);
    const percents = events.map((event) => event.flow!.percent);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      `the aggregate never goes back: ${events.map((event) => `${event.type}:${event.flow!.percent}`).join(' ')}`,
    );
    assert.equal(events.at(-1)!.job.id, flow.id);
    assert.deepEqual(events.at(-1)!.flow, { total: 2, waiting: 0, active: 0, completed: 2, failed: 0, cancelled: 0, percent: 100 });
  });

  it('resumes a dropped watch with `since` without losing or repeating an event', async () => {
    const headers = await ana();
    const flow = await enqueueFlow(tree('resume'), headers);
    const steady = wsClient(stack.wsUrl, { connectionParams: headers });
    const dropping = wsClient(stack.wsUrl, { connectionParams: headers });
    const whole = record<{ flowEvents: FlowEvent }>(steady, FLOW_EVENTS, { id: flow.id });
    const first = record<{ flowEvents: FlowEvent }>(dropping, FLOW_EVENTS, { id: flow.id });
    await eventually(() => whole.results.length > 0 && first.results.length > 0, 10_000, 'both SNAPSHOTs');
    await promoteAll(flow, headers);
    await eventually(() => first.results.length >= 6, 30_000, 'a few events before the drop');
    first.stop();
    await dropping.dispose();
    const before = eventsOf(first);

    const again = wsClient(stack.wsUrl, { connectionParams: headers });
    const resumed = record<{ flowEvents: FlowEvent }>(again, FLOW_EVENTS, { id: flow.id, since: before.at(-1)!.cursor });
    await within(Promise.all([whole.done, resumed.done]), 60_000, 'both watches');
    await Promise.all([steady.dispose(), again.dispose()]);

    const after = eventsOf(resumed);
    assert.ok(after.length > 0 && after[0].type !== 'SNAPSHOT', `the resume replays, it does not start over: ${after[0]?.type}`);
    const uninterrupted = eventsOf(whole).slice(1);
    const pieced = [...before.slice(1), ...after];
    assert.deepEqual(perJob(pieced), perJob(uninterrupted));
    assert.equal(pieced.length, uninterrupted.length);
    assert.equal(after.at(-1)!.job.id, flow.id);
    assert.equal(after.at(-1)!.flow!.percent, 100);
  });

  it('answers another owner as if the flow did not exist, and refuses a cursor that is not a flow cursor', async () => {
    const flow = await enqueueFlow(tree('private'), await ana());
    const bob = wsClient(stack.wsUrl, { connectionParams: bearer(await token('bob', ['submitter'])) });
    const denied = record<{ flowEvents: FlowEvent }>(bob, FLOW_EVENTS, { id: flow.id });
    await within(denied.done, 10_000, "bob's watch");
    assert.equal(denied.results[0]?.errors?.[0]?.extensions?.code, 'NOT_FOUND');

    const badCursor = record<{ flowEvents: FlowEvent }>(bob, FLOW_EVENTS, { id: flow.id, since: '1700000000000-0' });
    await within(badCursor.done, 10_000, 'the watch with a bad cursor');
    assert.equal(badCursor.results[0]?.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(badCursor.results[0]?.errors?.[0]?.extensions?.field, 'since');
    await bob.dispose();
  });
});

describe('flowEvents across a gateway restart', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(async () => {
    await stack?.close();
  });

  it('resumes after the last cursor received and loses nothing the flow did while the gateway was down', async () => {
    const flow = (await gql<{ enqueueFlow: EnqueuedFlow }>(stack.url, ENQUEUE_FLOW, { flow: tree('restart') })).data!.enqueueFlow;
    const client = retryingClient(stack.wsUrl);
    const events: FlowEvent[] = [];
    // graphql-ws sends the same payload again after each reconnect: the getter makes it resume.
    const variables = {
      id: flow.id,
      get since(): string | undefined {
        return events.at(-1)?.cursor;
      },
    };
    const done = new Promise<void>((resolve, reject) => {
      client.subscribe<{ flowEvents: FlowEvent }>(
        { query: FLOW_EVENTS, variables },
        {
          next: ({ data, errors }) => (errors ? reject(new Error(JSON.stringify(errors))) : events.push(data!.flowEvents)),
          error: reject,
          complete: resolve,
        },
      );
    });
    done.catch(() => undefined);
    try {
      await eventually(() => events.length > 0, 10_000, 'the SNAPSHOT');
      for (const { node } of flow.children.edges) assert.equal((await gql(stack.url, PROMOTE, { id: node.id })).errors, undefined);
      await eventually(() => events.some((event) => event.type === 'PROGRESS'), 20_000, 'a child running');
      await stack.signal(stack.gateway, 'SIGKILL');
      const seen = events.length;
      await stack.startGateway();
      await within(done, 60_000, 'the watch after the restart');
      assert.ok(events.length > seen, 'events after the restart');
    } finally {
      await client.dispose();
    }
    assert.equal(events.filter((event) => event.type === 'SNAPSHOT').length, 1, 'one SNAPSHOT: the watch resumed, it did not start over');
    assert.equal(new Set(events.map((event) => event.cursor)).size, events.length, 'no event twice');
    const childIds = flow.children.edges.map(({ node }) => node.id);
    for (const id of childIds) {
      const types = events.filter((event) => event.job.id === id).map((event) => event.type);
      assert.deepEqual(
        types.filter((type) => type !== 'PROGRESS' && type !== 'LOG'),
        ['WAITING', 'ACTIVE', 'COMPLETED'],
        `child ${id}: ${types.join(',')}`,
      );
      const progress = events
        .filter((event) => event.job.id === id && event.type === 'PROGRESS')
        .map((event) => event.job.progress?.current);
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => (a ?? 0) - (b ?? 0)),
        `child ${id}: progress in order, none repeated`,
      );
      assert.equal(new Set(progress).size, progress.length, `child ${id}: no progress twice`);
    }
    assert.equal(events.at(-1)!.job.id, flow.id);
    assert.equal(events.at(-1)!.type, 'COMPLETED');
  });
});
