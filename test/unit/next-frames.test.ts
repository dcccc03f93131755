import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { nextFrame, nextOpening } from '../../src/server/next-frames';

/** `ws`' frame parser, which its types leave out: what a client does with the bytes it reads. */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

describe('a pushed next message is one WebSocket frame', () => {
  /** Writes each frame's parts to a client's frame reader; resolves with the messages it decodes. */
  function decode(frames: { header: Buffer; opening: Buffer; tail: Buffer }[]): Promise<unknown[]> {
    const receiver = new Receiver({ isServer: false });
    const messages: unknown[] = [];
    const all = new Promise<unknown[]>((resolve) =>
      receiver.on('message', (data: Buffer, binary: boolean) => {
        assert.equal(binary, false, 'a text frame');
        if (messages.push(JSON.parse(data.toString())) === frames.length) resolve(messages);
      }),
    );
    for (const { header, opening, tail } of frames) {
      receiver.write(header);
      receiver.write(opening);
      receiver.write(tail);
    }
    return all;
  }

  // Each payload length encoding: in the second byte, in 16 bits, in 64 bits.
  for (const size of [10, 1_000, 70_000]) {
    it(`that a WebSocket reader decodes to the graphql-ws message (${size}-byte payload)`, async () => {
      const payload = Buffer.from(JSON.stringify({ data: { text: 'é'.repeat(size / 2) } }));
      const opening = nextOpening('sub-ü');
      const [message] = await decode([{ opening, ...nextFrame(opening, payload) }]);
      assert.deepEqual(message, { id: 'sub-ü', type: 'next', payload: JSON.parse(payload.toString()) });
    });
  }

  it("frames an operation's payloads of any length from its one opening", async () => {
    const id = 'c7a4e2f0-9a1b-4c3d-8e5f-6a7b8c9d0e1f';
    const opening = nextOpening(id);
    const sizes = [10, 10, 1_000, 1_000, 70_000, 10];
    const payloads = sizes.map((size, index) => Buffer.from(JSON.stringify({ data: { n: index, text: 'é'.repeat(size / 2) } })));
    assert.deepEqual(
      await decode(payloads.map((payload) => ({ opening, ...nextFrame(opening, payload) }))),
      payloads.map((payload) => ({ id, type: 'next', payload: JSON.parse(payload.toString()) })),
    );
  });

  it("shares a payload's bytes and headers between subscribers, and frames any number of operation ids", async () => {
    const payload = Buffer.from('{"data":{"n":1}}');
    const ids = Array.from({ length: 40 }, (_, index) => `op-${index}`);
    const frames = ids.map((id) => {
      const opening = nextOpening(id);
      return { opening, ...nextFrame(opening, payload) };
    });
    assert.ok(
      frames.every(({ tail }) => tail === frames[0].tail),
      'one tail per payload',
    );
    assert.equal(frames[1].header, frames[2].header, 'one header per payload and message length');
    assert.notEqual(frames[10].header, frames[1].header, 'ids of another length, another header');
    assert.ok(frames.slice(11).every(({ header }) => header === frames[10].header));
    assert.deepEqual(
      await decode(frames),
      ids.map((id) => ({ id, type: 'next', payload: { data: { n: 1 } } })),
    );
  });
});
