/**
 * graphql-ws `next` messages as WebSocket frames written in parts, for pushed subscriptions
 * (./pushed-subscriptions.ts): what is shared between the subscribers of a payload is made once.
 */

/** First byte of a final, unfragmented text frame (RFC 6455 §5.2): graphql-ws speaks in text. */
const FINAL_TEXT_FRAME = 0x81;
const NEXT_MESSAGE_END = 0x7d; // "}"

/** What a payload's `next` frames share: the payload with the message's closing brace, and the frame headers made for it. */
interface NextFrameParts {
  tail: Buffer;
  /** WebSocket headers by message length: subscribers whose operation ids have the same length (UUIDs all do) share one. */
  headers: Map<number, Buffer>;
}

/** Per rendered payload (the renderer's own bytes, shared by every subscriber of an event's selection). */
const framings = new WeakMap<Buffer, NextFrameParts>();

/** The WebSocket header of a final, unmasked text frame of `length` bytes: the length in the second byte up to 125, else in 16 or 64 bits after it. */
function frameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([FINAL_TEXT_FRAME, length]);
  if (length < 0x10000) return Buffer.from([FINAL_TEXT_FRAME, 126, length >> 8, length & 0xff]);
  const header = Buffer.allocUnsafe(10);
  header[0] = FINAL_TEXT_FRAME;
  header[1] = 127;
  header.writeUInt32BE(Math.floor(length / 0x100000000), 2);
  header.writeUInt32BE(length % 0x100000000, 6);
  return header;
}

/** The start of operation `id`'s `next` messages, up to their payload. */
export function nextOpening(id: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
}

/**
 * The graphql-ws `next` message carrying `payload` whose start is `opening` (its operation's,
 * {@link nextOpening}), as one whole WebSocket frame in three parts (a server's frames are not
 * masked), written one after the other: the frame header, the opening, and the tail (the payload
 * and the closing brace). The tail is made once per payload and the header once per payload and
 * message length, both shared by every subscriber; the opening is made once per subscription.
 * Delivering an event to thousands of sockets copies nothing per socket: the payload is neither
 * encoded again nor copied, and all that is made per socket is the returned pair, which dies
 * within the turn (young garbage costs a scavenge nothing; survivors do).
 */
export function nextFrame(opening: Buffer, payload: Buffer): { header: Buffer; tail: Buffer } {
  let parts = framings.get(payload);
  if (!parts) {
    const tail = Buffer.allocUnsafe(payload.length + 1);
    payload.copy(tail);
    tail[payload.length] = NEXT_MESSAGE_END;
    framings.set(payload, (parts = { tail, headers: new Map() }));
  }
  const { tail, headers } = parts;
  const length = opening.length + tail.length;
  let header = headers.get(length);
  if (header === undefined) headers.set(length, (header = frameHeader(length)));
  return { header, tail };
}
