import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { TurnWrites } from '../../src/server/turn-writes';

/** A transport that records each system-call-sized write: one entry per `_write` or `_writev`. */
class Transport extends Duplex {
  readonly writes: string[][] = [];
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writes.push([chunk.toString()]);
    callback();
  }
  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.writes.push(chunks.map(({ chunk }) => chunk.toString()));
    callback();
  }
}

/** A WebSocket as TurnWrites sees it: only a key for its transport. */
const webSocket = (): WebSocket => ({}) as WebSocket;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnWrites', () => {
  it("sends a socket's messages of one turn in one write, in order", async () => {
    const writes = new TurnWrites();
    const socket = webSocket();
    const transport = new Transport();
    writes.attach(socket, transport);
    for (const message of ['one', 'two', 'three']) writes.held(socket).write(Buffer.from(message));
    assert.deepEqual(transport.writes, [], 'nothing leaves before the turn ends');
    await nextTurn();
    assert.deepEqual(transport.writes, [['one', 'two', 'three']]);
  });

  it('flushes every socket written to in the turn, each in one write', async () => {
    const writes = new TurnWrites();
    const [first, second] = [webSocket(), webSocket()];
    const [a, b] = [new Transport(), new Transport()];
    writes.attach(first, a);
    writes.attach(second, b);
    writes.held(first).write(Buffer.from('a1'));
    writes.held(second).write(Buffer.from('b1'));
    writes.held(first).write(Buffer.from('a2'));
    // A write of `ws`' own (graphql-ws' `complete`, say) in the same turn keeps its place.
    b.write('b2');
    await nextTurn();
    assert.deepEqual(a.writes, [['a1', 'a2']]);
    assert.deepEqual(b.writes, [['b1', 'b2']]);
  });

  it('holds again in a later turn, and leaves a transport uncorked after the turn', async () => {
    const writes = new TurnWrites();
    const socket = webSocket();
    const transport = new Transport();
    writes.attach(socket, transport);
    writes.held(socket).write(Buffer.from('1'));
    await nextTurn();
    assert.equal(transport.writableCorked, 0);
    transport.write('direct');
    assert.deepEqual(transport.writes, [['1'], ['direct']], 'unheld writes go at once');
    writes.held(socket).write(Buffer.from('2'));
    writes.held(socket).write(Buffer.from('3'));
    assert.equal(transport.writableCorked, 1, 'corked once however many writes');
    await nextTurn();
    assert.deepEqual(transport.writes, [['1'], ['direct'], ['2', '3']]);
  });

  it('goes on flushing in the next turn once its slice is spent, in order, later writes joining a held socket', async () => {
    // A slice of 0 ms: every turn flushes one socket, then yields.
    const writes = new TurnWrites(0);
    const sockets = [webSocket(), webSocket(), webSocket()];
    const transports = sockets.map((socket) => {
      const transport = new Transport();
      writes.attach(socket, transport);
      return transport;
    });
    sockets.forEach((socket, i) => writes.held(socket).write(Buffer.from(`m${i}`)));
    await nextTurn();
    assert.deepEqual(
      transports.map((t) => t.writes),
      [[['m0']], [], []],
      'the first socket written to goes first; the others wait for later turns',
    );
    writes.held(sockets[2]).write(Buffer.from('m2b'));
    writes.held(sockets[0]).write(Buffer.from('m0b'));
    await nextTurn();
    await nextTurn();
    await nextTurn();
    assert.deepEqual(
      transports.map((t) => t.writes),
      [[['m0'], ['m0b']], [['m1']], [['m2', 'm2b']]],
    );
    assert.ok(transports.every((t) => t.writableCorked === 0));
  });

  it('refuses a socket whose transport it was not told of', () => {
    assert.throws(() => new TurnWrites().held(webSocket()), TypeError);
  });
});
