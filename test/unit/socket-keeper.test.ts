import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { WebSocket } from 'ws';
import { CloseCode, CloseReason } from '../../src/server/close-codes';
import { SocketKeeper } from '../../src/server/socket-keeper';

/** A socket that records what the keeper did to it. */
class Socket extends EventEmitter {
  pings = 0;
  terminated = 0;
  closes: [number, string][] = [];
  ping(): void {
    this.pings += 1;
  }
  /** Ends the socket at once: it emits `close`, on which the gateway removes it from the keeper. */
  terminate(): void {
    this.terminated += 1;
    this.emit('close');
  }
  /** Starts the closing handshake; the socket stays kept until it completes. */
  close(code: number, reason: string): void {
    this.closes.push([code, reason]);
  }
  pong(): void {
    this.emit('pong');
  }
}

const KEEP_ALIVE = 10_000;
const INIT_TIMEOUT = 3_000;
const PER_TURN = 4;

describe('SocketKeeper', () => {
  let keeper: SocketKeeper;
  const tick = (ms: number): void => mock.timers.tick(ms);
  /** A socket the keeper keeps, already initialised (credentials valid until `expiresAt`) unless told otherwise. */
  function kept(initialised = true, expiresAt?: number): Socket {
    const socket = new Socket();
    keeper.add(socket as unknown as WebSocket);
    socket.on('close', () => keeper.remove(socket as unknown as WebSocket));
    if (initialised) keeper.initialised(socket as unknown as WebSocket, expiresAt);
    return socket;
  }

  beforeEach(() => {
    mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
    keeper = new SocketKeeper({ keepAliveMs: KEEP_ALIVE, initTimeoutMs: INIT_TIMEOUT, tickMs: 1_000, socketsPerTurn: PER_TURN });
  });
  afterEach(() => {
    keeper.close();
    mock.timers.reset();
  });

  it('pings every keep-alive interval while the socket answers', () => {
    const socket = kept();
    tick(KEEP_ALIVE - 1_000);
    assert.equal(socket.pings, 0);
    tick(1_000);
    assert.equal(socket.pings, 1);
    socket.pong();
    tick(KEEP_ALIVE);
    assert.equal(socket.pings, 2);
    socket.pong();
    tick(KEEP_ALIVE);
    assert.equal(socket.pings, 3);
    assert.equal(socket.terminated, 0);
    assert.deepEqual(socket.closes, []);
  });

  it('drops a socket that did not answer the previous ping', () => {
    const socket = kept();
    tick(KEEP_ALIVE);
    assert.equal(socket.pings, 1);
    tick(KEEP_ALIVE - 1_000);
    assert.equal(socket.terminated, 0, 'it has until the next ping');
    tick(1_000);
    assert.equal(socket.terminated, 1);
    assert.equal(socket.pings, 1, 'not pinged again');
  });

  it('does not let one socket answer for another', () => {
    const [quiet, chatty] = [kept(), kept()];
    tick(KEEP_ALIVE);
    chatty.pong();
    tick(KEEP_ALIVE);
    assert.equal(quiet.terminated, 1);
    assert.equal(chatty.terminated, 0);
    assert.equal(chatty.pings, 2);
  });

  it('closes a socket that sent no accepted connection_init in time, once', () => {
    const late = kept(false);
    const prompt = kept(false);
    tick(INIT_TIMEOUT - 1_000);
    keeper.initialised(prompt as unknown as WebSocket, undefined);
    assert.deepEqual(late.closes, []);
    tick(1_000);
    assert.deepEqual(late.closes, [[CloseCode.ConnectionInitialisationTimeout, CloseReason.ConnectionInitialisationTimeout]]);
    assert.equal(CloseCode.ConnectionInitialisationTimeout, 4408);
    assert.deepEqual(prompt.closes, []);
    tick(INIT_TIMEOUT);
    assert.equal(late.closes.length, 1);
  });

  it('closes a socket whose credentials expired, with Unauthorized', () => {
    const socket = kept(true, Date.now() + 4_500);
    const forever = kept(true, undefined);
    tick(4_000);
    assert.deepEqual(socket.closes, []);
    tick(1_000);
    assert.deepEqual(socket.closes, [[CloseCode.Unauthorized, CloseReason.TokenExpired]]);
    assert.equal(CloseCode.Unauthorized, 4401);
    tick(60_000);
    assert.equal(socket.closes.length, 1);
    assert.deepEqual(forever.closes, []);
  });

  it('pings sockets that fall due together a few per turn, each once, and drops the silent ones alike', async () => {
    const sockets = Array.from({ length: 10 }, () => kept());
    const pinged = (): number => sockets.filter((socket) => socket.pings === 1).length;
    const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    tick(KEEP_ALIVE);
    assert.equal(pinged(), PER_TURN, 'the first turn pings no more than its share');
    await nextTurn();
    assert.equal(pinged(), 2 * PER_TURN);
    await nextTurn();
    assert.equal(pinged(), 10);
    await nextTurn();
    assert.ok(sockets.every((socket) => socket.pings === 1));
    for (const socket of sockets.slice(0, 5)) socket.pong();
    tick(KEEP_ALIVE);
    await nextTurn();
    await nextTurn();
    assert.deepEqual(
      sockets.map((socket) => [socket.pings, socket.terminated]),
      [...Array.from({ length: 5 }, () => [2, 0]), ...Array.from({ length: 5 }, () => [1, 1])],
    );
  });

  it('forgets a removed socket', () => {
    const socket = kept();
    keeper.remove(socket as unknown as WebSocket);
    tick(3 * KEEP_ALIVE);
    assert.equal(socket.pings, 0);
    assert.equal(socket.terminated, 0);
  });
});
