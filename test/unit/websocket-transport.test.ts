import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Server as GraphqlWsServer } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { SocketExtra } from '../../src/server/websocket-transport';
import { startTransport, type TestTransport } from '../support/websocket-transport';

setFlagsFromString('--allow-natives-syntax');
/** V8's own answer to whether an object keeps its properties in fast mode rather than in a hash table. */
const hasFastProperties = runInNewContext('(object) => %HasFastProperties(object)') as (object: object) => boolean;

/** What graphql-ws would be handed: each socket's messages, and the `ws` socket behind each. */
class RecordingProtocol implements GraphqlWsServer<SocketExtra> {
  readonly messages: unknown[] = [];
  readonly sockets: WebSocket[] = [];
  private waiting: { count: number; resolve: () => void } | undefined;

  opened(socket: Parameters<GraphqlWsServer<SocketExtra>['opened']>[0], extra: SocketExtra): () => Promise<void> {
    this.sockets.push(extra.socket);
    socket.onMessage(async (message) => {
      this.messages.push(message);
      if (this.waiting && this.messages.length >= this.waiting.count) this.waiting.resolve();
    });
    return async () => undefined;
  }

  /** Resolves once `count` messages have been handed over in all. */
  received(count: number): Promise<void> {
    if (this.messages.length >= count) return Promise.resolve();
    return new Promise((resolve) => (this.waiting = { count, resolve }));
  }
}

describe('WebSocketTransport', () => {
  let transport: TestTransport;
  let url: string;
  const protocol = new RecordingProtocol();

  before(async () => {
    transport = await startTransport(protocol);
    url = transport.url;
  });

  after(() => transport.close());

  it('hands graphql-ws each message parsed (it keeps no text), and text that is not JSON as it came', async () => {
    const client = new WebSocket(url, 'graphql-transport-ws');
    await once(client, 'open');
    const subscribe = { id: '1', type: 'subscribe', payload: { query: 'subscription { tick }' } };
    client.send(JSON.stringify(subscribe));
    client.send('{not json');
    await protocol.received(2);
    assert.deepEqual(protocol.messages, [subscribe, '{not json']);
    client.close();
    await once(client, 'close');
  });

  it("keeps each socket's listeners in fast properties", async () => {
    const client = new WebSocket(url, 'graphql-transport-ws');
    await once(client, 'open');
    const socket = protocol.sockets.at(-1);
    assert.ok(socket);
    assert.deepEqual(socket.eventNames().sort(), ['close', 'error', 'message']);
    assert.equal(hasFastProperties((socket as unknown as { _events: object })._events), true);
    client.close();
    await once(client, 'close');
  });
});
