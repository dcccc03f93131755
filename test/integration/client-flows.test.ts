import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { chain, chord, createJobgateClient, group, step, type FlowEvent, type JobgateClient } from '@jobgate/client';
import { eventually, gqlOk, within } from '../support/graphql';
import { Stack } from '../support/stack';
import { HELD, PROMOTE } from './operations';

const FLOW_TIMEOUT_MS = 60_000;
const ITEMS = 30;
const DROP_AT_ITEM = 10;
/** Events the slow consumer leaves unread (received on the socket) before the drop. */
const UNREAD_EVENTS = 3;

/** A job and two levels of children: enough for the flows of this file. */
const TREE = `query ($id: ID!) { job(id: $id) { ...Node children(first: 10) { edges { node { ...Node children(first: 10) { edges { node { ...Node } } } } } } } }
  fragment Node on Job { id type queue state startedAt finishedAt }`;

interface TreeNode {
  id: string;
  type: string;
  queue: string;
  state: string;
  startedAt: string | null;
  finishedAt: string | null;
  children?: { edges: { node: TreeNode }[] };
}

interface ItemResult {
  itemId: number;
}

/** A `ws` WebSocket the test can cut, as a network failure would (no close handshake). */
class DroppableWebSocket extends WebSocket {
  static readonly open = new Set<DroppableWebSocket>();
  static readonly sent: string[] = [];
  /** `next` messages received, read by the consumer or not. */
  static nextReceived = 0;

  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args);
    DroppableWebSocket.open.add(this);
    this.once('close', () => DroppableWebSocket.open.delete(this));
    this.on('message', (data: WebSocket.RawData) => {
      if ((JSON.parse(String(data)) as { type?: string }).type === 'next') DroppableWebSocket.nextReceived++;
    });
  }

  /** The `since` of each subscribe message sent so far. */
  static subscribedSince(): (string | undefined)[] {
    return DroppableWebSocket.sent
      .map((data) => JSON.parse(data) as { type: string; payload?: { variables?: { since?: string } } })
      .filter((message) => message.type === 'subscribe')
      .map((message) => message.payload?.variables?.since);
  }

  override send(data: string, ...rest: unknown[]): void {
    DroppableWebSocket.sent.push(data);
    (super.send as (data: string, ...rest: unknown[]) => void)(data, ...rest);
  }

  static dropAll(): number {
    const count = DroppableWebSocket.open.size;
    DroppableWebSocket.open.forEach((socket) => socket.terminate());
    return count;
  }
}

/** Every job of the tree at `url` rooted at `rootId`, root first (three levels). */
async function treeOf(url: string, rootId: string): Promise<TreeNode[]> {
  const { job } = await gqlOk<{ job: TreeNode }>(url, TREE, { id: rootId });
  const all: TreeNode[] = [];
  const walk = (node: TreeNode): void => {
    all.push(node);
    node.children?.edges.forEach((edge) => walk(edge.node));
  };
  walk(job);
  return all;
}

/**
 * Reads a whole flow with `watchFlow`, to the root's final event. The flows of this file hold
 * their first jobs (`HELD`): they are released once the watch has its SNAPSHOT, so that it sees
 * them run rather than a flow already done.
 */
async function collect(client: JobgateClient, url: string, rootId: string): Promise<FlowEvent[]> {
  const events: FlowEvent[] = [];
  for await (const event of client.watchFlow(rootId)) {
    events.push(event);
    if (events.length === 1) {
      assert.equal(event.type, 'SNAPSHOT');
      const held = (await treeOf(url, rootId)).filter((node) => node.state === 'DELAYED');
      assert.ok(held.length > 0, 'the flow holds a job until the watch is in place');
      for (const node of held) await gqlOk(url, PROMOTE, { id: node.id });
    }
  }
  return events;
}

/** The last event of job `id` in `events`. */
function lastOf(events: readonly FlowEvent[], id: string): FlowEvent {
  const found = events.filter((event) => event.job.id === id).at(-1);
  assert.ok(found, `expected events of ${id}`);
  return found;
}

/** Each job's events as `type` (with the progress step of a PROGRESS event), in order: what a watch must neither lose nor repeat. */
function perJob(events: readonly FlowEvent[]): Map<string, string[]> {
  const byJob = new Map<string, string[]>();
  for (const event of events) {
    const list = byJob.get(event.job.id) ?? [];
    list.push(event.type === 'PROGRESS' ? `PROGRESS:${event.job.progress?.current}` : event.type);
    byJob.set(event.job.id, list);
  }
  return byJob;
}

describe('the typed client with flows: chain, group, chord, enqueueFlow, watchFlow', () => {
  let stack: Stack;
  let client: JobgateClient;
  let erp: Server;

  before(async () => {
    // An ERP stand-in that refuses every order: a syncExternal step fails at once, for good.
    erp = createServer((_request, response) => response.writeHead(400, { 'content-type': 'application/json' }).end('{}'));
    await new Promise<void>((resolve) => erp.listen(0, '127.0.0.1', resolve));
    const erpUrl = `http://127.0.0.1:${(erp.address() as AddressInfo).port}`;
    stack = await Stack.start({ workers: 1, env: { SYNC_BASE_URL: erpUrl, SYNC_ALLOWED_ORIGINS: erpUrl } });
    client = createJobgateClient({ url: `${stack.url}/graphql`, webSocketImpl: WebSocket, maxRetryWaitMs: 500 });
  });
  after(async () => {
    await client?.dispose();
    await stack?.close();
    erp?.close();
  });

  it('builds Celery-shaped trees without touching the steps given', () => {
    const [a, b, c] = [step('helloWorld', { name: 'a' }), step('helloWorld', { name: 'b' }), step('helloWorld', { name: 'c' })];
    assert.deepEqual(chain([a, b, c]), { ...c, children: [{ ...b, children: [a] }] });
    assert.deepEqual(chord([a, b], c), { ...c, children: [a, b] });
    const grouped = group([a, step('helloWorld', { name: 'd' }, { onChildFailure: 'FAIL_PARENT' })], c);
    assert.deepEqual(
      grouped.children?.map((child) => child.options?.onChildFailure),
      ['IGNORE', 'FAIL_PARENT'],
      "a group's steps are independent unless a step says otherwise",
    );
    assert.deepEqual(a, { type: 'helloWorld', data: { name: 'a' } }, 'steps are copied, not changed');
    assert.throws(() => chain([] as unknown as Parameters<typeof chain>[0]), /chain: expected at least one step, got none/);
  });

  it('runs a chain in order, each step reading the result of the one before', async () => {
    // A processList reads its children's `results` (its own batch's, then the chain's step before).
    const list = (id: number) => step('processList', { ids: [id], msPerItem: 0 });
    const first = step('processListBatch', { ids: [1], msPerItem: 0 }, HELD);
    const root = await client.enqueueFlow(chain([first, list(2), list(3)]));
    assert.equal(root.type, 'processList');
    assert.ok(root.flow !== null && root.flow.total === 4, 'two steps with a batch of their own and the first step under the root');

    const events = await within(collect(client, stack.url, root.id), FLOW_TIMEOUT_MS, 'the chain');
    const last = events.at(-1)!;
    assert.equal(last.job.id, root.id, "the stream ends with the root's final event");
    assert.equal(last.type, 'COMPLETED');
    assert.equal(last.flow?.percent, 100);

    const second = events.find((event) => event.job.type === 'processList' && event.job.parent?.id === root.id)?.job;
    const firstStep = events.find((event) => (event.job.data as { ids: number[] }).ids[0] === 1)?.job;
    assert.ok(firstStep && second, 'each step ran, and was seen');
    assert.equal(firstStep.parent?.id, second.id, 'each step is the child of the next');
    const [one, two, three] = [lastOf(events, firstStep.id).job, lastOf(events, second.id).job, last.job];
    const ids = (job: FlowEvent['job']): number[] => (job.result as { results: ItemResult[] }).results.map((result) => result.itemId);
    assert.deepEqual(ids(one), [1]);
    assert.deepEqual(ids(two), [2, 1], 'step 2 read the result of step 1');
    assert.deepEqual(ids(three), [3, 2, 1], 'step 3 read the result of step 2');
    assert.ok(Date.parse(one.finishedAt!) <= Date.parse(two.startedAt!), 'step 1 finished before step 2 started');
    assert.ok(Date.parse(two.finishedAt!) <= Date.parse(three.startedAt!), 'step 2 finished before step 3 started');
  });

  it("runs a chord's steps in parallel, across queues, then its callback reading every result", async () => {
    const batch = (ids: number[]) => step('processListBatch', { ids, msPerItem: 20 }, HELD);
    const imported = step('importParts', { project: 'chord', phase: 'p', stage: 's', items: 5, msPerItem: 10 }, HELD);
    const root = await client.enqueueFlow(
      chord(
        [batch([1, 2]), batch([3, 4]), batch([5]), imported],
        step('importProject', {
          project: 'chord',
          phase: 'p',
          stages: ['own'],
          itemsPerStage: 3,
          msPerItem: 0,
        }),
      ),
    );
    // importProject declares one importParts per stage; the chord adds the four steps after it.
    // Only that declared child is not held: it may have run already by the time the root is read.
    assert.equal(root.flow?.total, 5);
    assert.ok(root.flow.completed <= 1, `only the callback's own child can have completed yet, not ${root.flow.completed}`);

    const events = await within(collect(client, stack.url, root.id), FLOW_TIMEOUT_MS, 'the chord');
    const last = events.at(-1)!;
    assert.equal(last.job.id, root.id);
    assert.equal(last.type, 'COMPLETED');
    const result = last.job.result as { imported: number; stages: Record<string, number> };
    assert.equal(result.imported, 3 + 5, "the callback summed its own stage's import and the chord's importParts");
    assert.equal(Object.keys(result.stages).length, 5, `one entry per child: ${JSON.stringify(result.stages)}`);

    const [, ...children] = await treeOf(stack.url, root.id);
    assert.equal(children.length, 5);
    assert.ok(children.every((child) => child.state === 'COMPLETED'));
    const lastChild = Math.max(...children.map((child) => Date.parse(child.finishedAt!)));
    assert.ok(lastChild <= Date.parse(last.job.startedAt!), 'the callback ran after every step finished');
    assert.deepEqual(new Set(children.map((child) => child.queue)), new Set(['lists', 'imports']));
    const running = events.filter((event) => event.type === 'ACTIVE' && event.job.parent?.id === root.id).length;
    assert.ok(running >= 4, 'the watch saw the steps run');
  });

  it("runs a group's parent after a step failed, where a chord's callback never runs", async () => {
    const refused = step('syncExternal', { orderId: 400 }, { ...HELD, attempts: 1 });
    const batch = step('processListBatch', { ids: [2], msPerItem: 0 }, HELD);
    const gather = step('processList', { ids: [9], msPerItem: 0 });

    const grouped = await client.enqueueFlow(group([refused, batch], gather));
    const groupEvents = await within(collect(client, stack.url, grouped.id), FLOW_TIMEOUT_MS, 'the group');
    const groupEnd = groupEvents.at(-1)!;
    assert.equal(groupEnd.type, 'COMPLETED', `the group's parent ran: ${groupEnd.job.failedReason}`);
    const gathered = (groupEnd.job.result as { results: ItemResult[] }).results.map((result) => result.itemId);
    assert.deepEqual(gathered, [9, 2], 'the failed step left no result; the other one did');
    assert.equal(groupEnd.flow?.failed, 1);

    const chorded = await client.enqueueFlow(chord([refused, batch], gather));
    const chordEvents = await within(collect(client, stack.url, chorded.id), FLOW_TIMEOUT_MS, 'the chord');
    const chordEnd = chordEvents.at(-1)!;
    assert.equal(chordEnd.job.id, chorded.id);
    assert.equal(chordEnd.type, 'FAILED');
    assert.match(chordEnd.job.failedReason ?? '', /child .* failed/);
    assert.equal(chordEnd.job.result, null, 'the callback never ran');
  });

  it("watchFlow streams to the root's COMPLETED across a dropped socket, resuming after its last cursor", async () => {
    const dropping = createJobgateClient({ url: `${stack.url}/graphql`, webSocketImpl: DroppableWebSocket, maxRetryWaitMs: 500 });
    try {
      // One queue: what is tested is the client's resume (the chord test crosses queues).
      const batch = (first: number) =>
        step('processListBatch', { ids: Array.from({ length: ITEMS }, (_, index) => first + index), msPerItem: 40 }, HELD);
      const root = await dropping.enqueueFlow(chord([batch(1), batch(101)], step('processListBatch', { ids: [999], msPerItem: 0 })));
      const children = (await treeOf(stack.url, root.id)).slice(1).map((node) => node.id);
      assert.equal(children.length, 2);

      // An uninterrupted watch to compare with, on a socket of its own.
      const steadyEvents: FlowEvent[] = [];
      const steady = (async () => {
        for await (const event of client.watchFlow(root.id)) steadyEvents.push(event);
      })();
      const events: FlowEvent[] = [];
      let cursorAtDrop: string | undefined;
      const watched = (async () => {
        for await (const event of dropping.watchFlow(root.id)) {
          events.push(event);
          if (cursorAtDrop === undefined && event.type === 'PROGRESS' && (event.job.progress?.current ?? 0) >= DROP_AT_ITEM) {
            cursorAtDrop = event.cursor;
            // A slow consumer: events arrive unread, the socket is cut, the client reconnects
            // before they are read. It must resume after the last event received, not read.
            const received = DroppableWebSocket.nextReceived;
            await eventually(() => DroppableWebSocket.nextReceived >= received + UNREAD_EVENTS, 10_000, 'events to arrive unread');
            assert.equal(DroppableWebSocket.dropAll(), 1, 'one socket carries the watch');
            await eventually(() => DroppableWebSocket.subscribedSince().length === 2, 10_000, 'the client to subscribe again');
          }
        }
      })();
      // Both watches have their SNAPSHOT, so neither misses the children's start: release them.
      await eventually(() => events.length > 0 && steadyEvents.length > 0, 10_000, 'both SNAPSHOTs');
      for (const id of children) await gqlOk(stack.url, PROMOTE, { id });
      await within(Promise.all([watched, steady]), FLOW_TIMEOUT_MS, 'both watches');

      const last = events.at(-1)!;
      assert.equal(last.job.id, root.id);
      assert.equal(last.type, 'COMPLETED');
      assert.deepEqual(last.job.result, { results: [{ itemId: 999, status: 'ok' }] });
      assert.equal(last.flow?.percent, 100);
      assert.ok(cursorAtDrop !== undefined, 'the socket should have been dropped mid-flow');

      const since = DroppableWebSocket.subscribedSince();
      assert.equal(since.length, 2, 'subscribed once, then once more after the drop');
      assert.equal(since[0], undefined);
      const resumedAt = events.findIndex((event) => event.cursor === since[1]);
      assert.ok(resumedAt >= 0, `resumed after a cursor it had received (${since[1]})`);
      assert.ok(
        resumedAt > events.findIndex((event) => event.cursor === cursorAtDrop),
        'resumed after the events received while the loop was busy',
      );
      assert.equal(new Set(events.map((event) => event.cursor)).size, events.length, 'no event repeated');
      assert.deepEqual(perJob(events), perJob(steadyEvents), 'the dropped watch saw what an uninterrupted one saw');
      for (const id of children) {
        const steps = events
          .filter((event) => event.job.id === id && event.type === 'PROGRESS')
          .map((event) => event.job.progress?.current);
        assert.deepEqual(
          steps,
          Array.from({ length: ITEMS }, (_, index) => index + 1),
          `no progress step of ${id} lost or repeated`,
        );
      }
      const percents = events.map((event) => event.flow?.percent ?? -1);
      assert.deepEqual(
        percents,
        [...percents].sort((a, b) => a - b),
        'the aggregate never goes back',
      );
    } finally {
      await dropping.dispose();
    }
  });
});
