import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { createJobgateClient, type JobEvent, type JobEventType } from '@jobgate/client';
import { compareStreamIds } from '../../src/events/stream-id';
import { startStack, type Stack } from '../browser/stack';
import { eventually } from '../support/graphql';

const ITEMS = 40;
const DROP_AT_ITEM = 12;
/** Events the slow consumer leaves unread (received on the socket) before the drop. */
const UNREAD_EVENTS = 3;

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

  /** The subscribe messages sent so far. */
  static subscribes(): { type: string; payload?: { variables?: { since?: string } } }[] {
    return DroppableWebSocket.sent
      .map((data) => JSON.parse(data) as { type: string; payload?: { variables?: { since?: string } } })
      .filter((message) => message.type === 'subscribe');
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

let stack: Stack;

before(async () => {
  stack = await startStack({ requireWeb: false });
});

after(async () => {
  await stack?.stop();
});

test('watch() streams typed events to COMPLETED across a dropped socket, resuming after its last cursor', async () => {
  const client = createJobgateClient({ url: `${stack.origin}/graphql`, webSocketImpl: DroppableWebSocket, maxRetryWaitMs: 500 });
  try {
    const job = await client.enqueue('importParts', { project: 'client', phase: 'p', stage: 's', items: ITEMS, msPerItem: 50 });
    assert.equal(job.type, 'importParts');

    const events: JobEvent[] = [];
    let cursorAtDrop: string | undefined;
    for await (const event of client.watch(job.id)) {
      events.push(event);
      if (cursorAtDrop === undefined && event.type === 'PROGRESS' && (event.job.progress?.current ?? 0) >= DROP_AT_ITEM) {
        cursorAtDrop = event.cursor;
        // A slow consumer: events keep arriving unread, the socket is cut, and the client
        // reconnects before they are read. The resume must start after the last event
        // received, not the last one read, or those would come twice.
        const received = DroppableWebSocket.nextReceived;
        await eventually(() => DroppableWebSocket.nextReceived >= received + UNREAD_EVENTS, 10_000, 'events to arrive unread');
        assert.equal(DroppableWebSocket.dropAll(), 1, 'one socket carries the watch');
        await eventually(() => DroppableWebSocket.subscribes().length === 2, 10_000, 'the client to reconnect and subscribe again');
      }
    }

    const last = events.at(-1);
    assert.equal(last?.type satisfies JobEventType | undefined, 'COMPLETED');
    assert.deepEqual(last?.job.result, { imported: ITEMS });
    assert.ok(cursorAtDrop !== undefined, 'the socket should have been dropped mid-job');

    const subscribes = DroppableWebSocket.subscribes();
    assert.equal(subscribes.length, 2, 'subscribed once, then once more after the drop');
    assert.equal(subscribes[0].payload?.variables?.since, undefined);
    const since = subscribes[1].payload?.variables?.since ?? '';
    assert.ok(
      events.some((event) => event.cursor === since),
      `resumed after a cursor it had received (${since})`,
    );
    assert.ok(
      compareStreamIds(since, cursorAtDrop) > 0,
      `resumed after the events received while the loop was busy, not at ${cursorAtDrop}`,
    );
    assert.equal(new Set(events.map((event) => `${event.cursor}/${event.type}`)).size, events.length, 'no event repeated');

    assert.equal(events.filter((event) => event.type === 'SNAPSHOT').length, 1);
    const steps = events.filter((event) => event.type === 'PROGRESS').map((event) => event.job.progress?.current ?? -1);
    const first = steps[0];
    assert.deepEqual(
      steps,
      Array.from({ length: ITEMS - first + 1 }, (_, index) => first + index),
      'no progress step lost or repeated',
    );
  } finally {
    await client.dispose();
  }
});

test('a gateway error reaches the caller with its code and field', async () => {
  const client = createJobgateClient({ url: `${stack.origin}/graphql` });
  await assert.rejects(
    client.enqueue('importParts', { project: '', phase: 'p', stage: 's' }),
    (error: Error & { code?: string; field?: string }) => {
      assert.equal(error.code, 'BAD_USER_INPUT');
      assert.match(error.field ?? '', /project/);
      return true;
    },
  );
  await assert.rejects(client.enqueueAny('noSuchType', {}), { code: 'UNKNOWN_JOB_TYPE' });
  await client.dispose();
});
