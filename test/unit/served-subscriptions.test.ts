import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { buildSchema } from 'graphql';
import { makeServer, type Server as GraphqlWsServer, type WebSocket as GraphqlWsSocket } from 'graphql-ws';
import { WebSocket } from 'ws';
import { CloseCode } from '../../src/server/close-codes';
import { ServedSubscriptions, type ServedSubscription, type SubscriptionOwner } from '../../src/server/served-subscriptions';
import type { ProtocolOptions } from '../../src/server/websocket-protocol';
import type { SocketExtra } from '../../src/server/websocket-transport';
import { eventually } from '../support/graphql';
import { startTransport, type TestTransport } from '../support/websocket-transport';

// Checked when `npm test` type-checks the tests: graphql-ws would never call an `onComplete` for a
// served subscription, so the gateway's protocol options must not take one.
// @ts-expect-error onComplete is left out of ProtocolOptions
export const withOnComplete: ProtocolOptions = { onComplete: () => undefined };

/** A subscription that delivers nothing by itself: the test ends or fails it. */
class TestSubscription implements ServedSubscription, AsyncIterableIterator<never> {
  owner: SubscriptionOwner | undefined;
  returns = 0;

  constructor(readonly id: string) {}

  serve(owner: SubscriptionOwner): void {
    this.owner = owner;
  }

  async return(): Promise<IteratorResult<never, undefined>> {
    this.returns += 1;
    this.owner?.ended(this);
    return { done: true, value: undefined };
  }

  /** As graphql-ws' iteration, it would wait for ever: a subscription graphql-ws kept would keep its handler pending. */
  next(): Promise<IteratorResult<never, undefined>> {
    return new Promise(() => undefined);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

interface Message {
  id?: string;
  type: string;
  payload?: unknown;
}

async function connect(url: string): Promise<{ socket: WebSocket; messages: Message[] }> {
  const socket = new WebSocket(url, 'graphql-transport-ws');
  const messages: Message[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(String(data)) as Message));
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await eventually(() => messages.some((message) => message.type === 'connection_ack'), 2000, 'connection_ack');
  return { socket, messages };
}

const subscribe = (socket: WebSocket, id: string): void =>
  socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { tick }' } }));

describe('ServedSubscriptions', () => {
  let transport: TestTransport;
  let url: string;
  /** Every subscription started, by id. */
  const started = new Map<string, TestSubscription>();
  /** graphql-ws' message handlers still running, and how many messages it has been handed. */
  const handling = new Set<Promise<void>>();
  let received = 0;
  /** Holds the start of subscriptions while set. */
  let hold: Promise<void> | undefined;

  before(async () => {
    const protocol = makeServer<undefined, SocketExtra>({
      schema: buildSchema('type Query { ok: Boolean } type Subscription { tick: Int }'),
      context: async (_ctx, id) => {
        await hold;
        return { id };
      },
      subscribe: (args) => {
        const subscription = new TestSubscription((args.contextValue as { id: string }).id);
        started.set(subscription.id, subscription);
        return subscription;
      },
      onOperation: (ctx, _id, _payload, _args, result) => {
        if (!(result instanceof TestSubscription)) return undefined;
        const { extra } = ctx;
        const errorPayload = (errors: readonly Error[]): unknown[] => errors.map((error) => ({ message: error.message }));
        return (extra.served ??= new ServedSubscriptions(extra.socket, errorPayload)).adopt(ctx, result);
      },
    });
    // graphql-ws as the transport binds it, its message handlers tracked.
    const tracked: GraphqlWsServer<SocketExtra> = {
      opened: (socket, extra) =>
        protocol.opened(
          {
            get protocol() {
              return socket.protocol;
            },
            send: (data) => socket.send(data),
            close: (code, reason) => socket.close(code, reason),
            onMessage: (handle) =>
              socket.onMessage((data) => {
                received += 1;
                const handled = handle(data);
                handling.add(handled);
                const done = (): boolean => handling.delete(handled);
                handled.then(done, done);
                return handled;
              }),
          } satisfies GraphqlWsSocket,
          extra,
        ),
    };
    transport = await startTransport(tracked);
    url = transport.url;
  });

  after(() => transport.close());

  it("takes a started subscription from graphql-ws: its subscribe's handler settles, and the client's complete returns it", async () => {
    const { socket, messages } = await connect(url);
    subscribe(socket, 'a');
    await eventually(() => started.get('a')?.owner !== undefined, 2000, 'a served');
    await eventually(() => handling.size === 0, 2000, "graphql-ws' handler of the subscribe to settle");
    const a = started.get('a')!;
    socket.send(JSON.stringify({ id: 'a', type: 'complete' }));
    await eventually(() => a.returns === 1, 2000, 'a returned');
    subscribe(socket, 'a');
    await eventually(() => started.get('a') !== a, 2000, 'the id used again');
    socket.close();
    await once(socket, 'close');
    assert.deepEqual(
      messages.filter((message) => message.id === 'a'),
      [],
      'a complete from the client is not answered',
    );
  });

  it('tells the client when a served subscription ends or fails', async () => {
    const { socket, messages } = await connect(url);
    subscribe(socket, 'ends');
    subscribe(socket, 'fails');
    await eventually(() => started.get('fails')?.owner !== undefined && started.get('ends')?.owner !== undefined, 2000, 'both served');
    started.get('ends')!.owner!.ended(started.get('ends')!);
    started.get('fails')!.owner!.ended(started.get('fails')!, new Error('boom'));
    await eventually(() => messages.length >= 3, 2000, 'their last messages');
    assert.deepEqual(messages.slice(1), [
      { id: 'ends', type: 'complete' },
      { id: 'fails', type: 'error', payload: [{ message: 'boom' }] },
    ]);
    socket.close();
    await once(socket, 'close');
  });

  it('closes the socket with 4409 on a subscribe reusing a served id, and returns every served subscription on close', async () => {
    const { socket } = await connect(url);
    for (const id of ['d1', 'd2', 'd3']) subscribe(socket, id);
    await eventually(() => ['d1', 'd2', 'd3'].every((id) => started.get(id)?.owner !== undefined), 2000, 'three served');
    subscribe(socket, 'd2');
    const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
    assert.equal(code, CloseCode.SubscriberAlreadyExists);
    assert.equal(String(reason), 'Subscriber for d2 already exists');
    await eventually(() => ['d1', 'd2', 'd3'].every((id) => started.get(id)?.returns === 1), 2000, 'all three returned');
  });

  it('leaves to graphql-ws a subscription the client completed while it started: returned, never served', async () => {
    let release = (): void => undefined;
    hold = new Promise((resolve) => (release = resolve));
    const before = received;
    const { socket } = await connect(url);
    subscribe(socket, 'early');
    socket.send(JSON.stringify({ id: 'early', type: 'complete' }));
    await eventually(() => received === before + 3 && handling.size === 1, 2000, 'the complete handled, the subscribe still starting');
    hold = undefined;
    release();
    await eventually(() => started.get('early')?.returns === 1, 2000, 'early returned by graphql-ws');
    assert.equal(started.get('early')?.owner, undefined);
    socket.close();
    await once(socket, 'close');
  });
});
