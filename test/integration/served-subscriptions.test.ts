import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { CloseCode } from '../../src/server/close-codes';
import { eventually, gqlOk } from '../support/graphql';
import { parsePrometheus, valueOf } from '../support/prometheus';
import { Stack } from '../support/stack';
import { ENQUEUE, HELD, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

interface ServerMessage {
  id?: string;
  type: string;
  payload?: { data?: JobEventPayload | null } | unknown[];
}

/** A graphql-transport-ws client over `ws`, keeping every message it gets. */
class RawClient {
  readonly messages: ServerMessage[] = [];
  readonly closed: Promise<[number, Buffer]>;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.messages.push(JSON.parse(data.toString()) as ServerMessage));
    this.closed = once(socket, 'close') as Promise<[number, Buffer]>;
  }

  static async connect(url: string): Promise<RawClient> {
    const client = new RawClient(new WebSocket(url, 'graphql-transport-ws'));
    await once(client.socket, 'open');
    client.send({ type: 'connection_init', payload: {} });
    await eventually(() => client.messages.some((message) => message.type === 'connection_ack'), 5000, 'connection_ack');
    return client;
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  subscribe(id: string, jobId: string): void {
    this.send({ id, type: 'subscribe', payload: { query: JOB_EVENTS, variables: { id: jobId } } });
  }

  /** The event types subscription `id` was sent, in order; `complete` and `error` messages as such. */
  of(id: string): string[] {
    return this.messages
      .filter((message) => message.id === id)
      .map((message) =>
        message.type === 'next' && !Array.isArray(message.payload) ? (message.payload?.data?.jobEvents.type ?? 'next') : message.type,
      );
  }

  close(): void {
    this.socket.close();
  }
}

const activeSubscriptions = async (stack: Stack): Promise<number> =>
  valueOf(parsePrometheus(await (await fetch(`${stack.url}/metrics`)).text()).samples, 'jobgate_subscriptions_active');

/**
 * Once a subscription has started, the gateway serves it rather than graphql-ws (ServedSubscriptions):
 * the protocol must not change for the client.
 */
describe('WebSocket subscriptions once started', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(async () => {
    await stack.close();
  });

  const heldJob = async (): Promise<string> =>
    (await gqlOk<{ enqueue: EnqueuedJob }>(stack.url, ENQUEUE, { type: 'helloWorld', data: {}, options: HELD })).enqueue.id;

  it("ends on the client's complete, sends it nothing more, and frees its id", async () => {
    const job = await heldJob();
    const client = await RawClient.connect(stack.wsUrl);
    try {
      client.subscribe('a', job);
      await eventually(() => client.of('a').includes('SNAPSHOT'), 5000, 'the SNAPSHOT');
      await eventually(async () => (await activeSubscriptions(stack)) === 1, 5000, 'the subscription counted');
      client.send({ id: 'a', type: 'complete' });
      await eventually(async () => (await activeSubscriptions(stack)) === 0, 5000, 'the subscription ended');
      client.subscribe('b', job);
      await eventually(() => client.of('b').includes('SNAPSHOT'), 5000, "b's SNAPSHOT");
      await gqlOk(stack.url, PROMOTE, { id: job });
      await eventually(() => client.of('b').includes('complete'), 10_000, 'b to see the job run and end');
      assert.deepEqual(client.of('a'), ['SNAPSHOT'], 'nothing after its complete');
      client.subscribe('a', job);
      await eventually(() => client.of('a').length === 3, 5000, 'a again: its SNAPSHOT and complete');
      assert.deepEqual(client.of('a'), ['SNAPSHOT', 'SNAPSHOT', 'complete']);
    } finally {
      client.close();
    }
  });

  it('closes the socket with 4409 when a subscribe reuses the id of a running one', async () => {
    const job = await heldJob();
    const client = await RawClient.connect(stack.wsUrl);
    client.subscribe('same', job);
    await eventually(() => client.of('same').includes('SNAPSHOT'), 5000, 'the SNAPSHOT');
    client.subscribe('same', job);
    const [code, reason] = await client.closed;
    assert.equal(code, CloseCode.SubscriberAlreadyExists);
    assert.equal(String(reason), 'Subscriber for same already exists');
  });

  it('leaves a malformed message naming a running subscription to graphql-ws (4400)', async () => {
    const job = await heldJob();
    const client = await RawClient.connect(stack.wsUrl);
    client.subscribe('x', job);
    await eventually(() => client.of('x').includes('SNAPSHOT'), 5000, 'the SNAPSHOT');
    client.send({ id: 'x', type: 'subscribe', payload: { query: 42 } });
    const [code] = await client.closed;
    assert.equal(code, CloseCode.BadRequest);
  });

  it('ends every subscription of a socket when the socket closes', async () => {
    const jobs = await Promise.all([heldJob(), heldJob(), heldJob()]);
    const client = await RawClient.connect(stack.wsUrl);
    jobs.forEach((job, index) => client.subscribe(`s${index}`, job));
    await eventually(() => jobs.every((_, index) => client.of(`s${index}`).includes('SNAPSHOT')), 5000, 'three SNAPSHOTs');
    await eventually(async () => (await activeSubscriptions(stack)) === 3, 5000, 'three subscriptions counted');
    client.close();
    await client.closed;
    await eventually(async () => (await activeSubscriptions(stack)) === 0, 5000, 'every subscription ended');
  });
});
