import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../src/auth/authenticator';
import { EventStream, HIGH_WATER_BYTES } from '../../src/server/sse-stream';

const owner = { id: 'owner-1' } as Principal;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** One event stream carried by a response of a real HTTP server, as SseTransport carries it, and its socket's writes counted. */
interface Carried {
  stream: EventStream;
  /** Calls of the socket's `write` since the stream was attached. */
  socketWrites: () => number;
}

let server: Server;
let port: number;
let carried: (carried: Carried) => void;

before(async () => {
  server = createServer((_request: IncomingMessage, response: ServerResponse) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    const socket = response.socket as Socket;
    let writes = 0;
    const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
    socket.write = ((...args: unknown[]) => {
      writes += 1;
      return write(...args);
    }) as Socket['write'];
    const stream = new EventStream(owner, undefined);
    stream.attach(response);
    carried({ stream, socketWrites: () => writes });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
});

after(() => {
  server.closeAllConnections();
  server.close();
});

/** Opens a stream over HTTP/1.1; `body()` is what the client has read of it (chunked encoding decoded), `ended` when it ends. */
async function open(): Promise<Carried & { body: () => string; received: (text: string) => Promise<void>; ended: Promise<void> }> {
  const opened = new Promise<Carried>((resolve) => (carried = resolve));
  const request = get({ host: '127.0.0.1', port, path: '/', agent: false });
  const [response] = (await once(request, 'response')) as [IncomingMessage];
  let body = '';
  const waiters: (() => void)[] = [];
  response.setEncoding('utf8');
  response.on('data', (text: string) => {
    body += text;
    for (const wake of waiters.splice(0)) wake();
  });
  const ended = once(response, 'end').then(() => undefined);
  const received = async (text: string): Promise<void> => {
    while (!body.includes(text)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { ...(await opened), body: () => body, received, ended };
}

describe('EventStream', () => {
  it('sends the messages of one turn as one chunk in one write, in order', async () => {
    const { stream, socketWrites, body, received } = await open();
    for (const message of ['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']) stream.write(message);
    assert.equal(socketWrites(), 0, 'nothing leaves before the turn ends');
    await nextTurn();
    assert.equal(socketWrites(), 1);
    await received('data: 3\n\n');
    assert.equal(body(), 'data: 1\n\ndata: 2\n\ndata: 3\n\n');
    stream.end();
  });

  it('sizes a chunk in bytes, so that a message beyond ASCII arrives whole, and a later turn in a chunk of its own', async () => {
    const { stream, socketWrites, body, received } = await open();
    stream.write(Buffer.from('data: {"name":"café €"}\n\n'));
    await nextTurn();
    stream.write('data: ✓\n\n');
    await nextTurn();
    assert.equal(socketWrites(), 2);
    await received('data: ✓\n\n');
    assert.equal(body(), 'data: {"name":"café €"}\n\ndata: ✓\n\n');
    stream.end();
  });

  it('ends the response after the messages it holds', async () => {
    const { stream, body, ended } = await open();
    stream.write('data: last\n\n');
    stream.write('');
    stream.end();
    await ended;
    assert.equal(body(), 'data: last\n\n');
  });

  it('counts held messages as buffered, so that subscriptions wait for a client that falls behind', async () => {
    const { stream } = await open();
    stream.write(Buffer.alloc(HIGH_WATER_BYTES, 'x'));
    assert.equal(stream.bufferedAmount >= HIGH_WATER_BYTES, true);
    assert.equal(stream.ready, false);
    stream.end();
  });

  it('goes on with a subscription that waited for what was held, once it is sent', async () => {
    const { stream, received } = await open();
    const held = `data: ${'x'.repeat(HIGH_WATER_BYTES)}\n\n`;
    stream.write(held);
    // A subscription that finds the stream backed up waits, then writes its next message when woken.
    stream.whenReady({ resume: () => stream.write('data: after\n\n') });
    await received(`${held}data: after\n\n`);
    stream.end();
  });

  it('writes through the response when it is not chunked (an HTTP/1.0 client)', async () => {
    const opened = new Promise<Carried>((resolve) => (carried = resolve));
    const client = connect(port, '127.0.0.1');
    client.write('GET / HTTP/1.0\r\n\r\n');
    let raw = '';
    client.setEncoding('utf8');
    client.on('data', (text: string) => (raw += text));
    const closed = once(client, 'close');
    const { stream } = await opened;
    stream.write('data: 1\n\n');
    stream.write('data: 2\n\n');
    await nextTurn();
    stream.end();
    await closed;
    assert.equal(raw.slice(raw.indexOf('\r\n\r\n') + 4), 'data: 1\n\ndata: 2\n\n');
  });
});
