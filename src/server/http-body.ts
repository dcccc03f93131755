import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/** Why a body was not read: over the limit (declared, sent or inflated), an unknown or broken encoding, or the client went away. */
export type BodyProblem = 'too-large' | 'unsupported-encoding' | 'malformed' | 'aborted';

/** The decoder of a `content-encoding`, null for none, undefined for one this gateway does not speak. */
function decoderFor(encoding: string | undefined): Transform | null | undefined {
  switch (encoding?.trim().toLowerCase()) {
    case undefined:
    case '':
    case 'identity':
      return null;
    case 'gzip':
    case 'x-gzip':
      return createGunzip();
    case 'deflate':
      return createInflate();
    case 'br':
      return createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * The request body, decoded, or why not. The limit counts decoded bytes, so a small compressed
 * body cannot inflate past it. On `too-large` the rest of the upload is drained, not read, and
 * the socket stays open for the answer.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | BodyProblem> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.resolve('too-large');
  const decoder = decoderFor(request.headers['content-encoding']);
  if (decoder === undefined) return Promise.resolve('unsupported-encoding');
  // A promise keeps its first outcome: whichever of these comes first settles the read.
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const source = decoder ? request.pipe(decoder) : request;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      source.removeAllListeners('data');
      if (decoder) {
        request.unpipe(decoder);
        decoder.destroy();
      }
      request.resume();
      resolve('too-large');
    });
    source.on('end', () => {
      if (size <= limit) resolve(Buffer.concat(chunks, size));
    });
    decoder?.on('error', () => resolve('malformed'));
    // A request cut short errors ("aborted") and closes incomplete.
    request.on('error', () => resolve('aborted'));
    request.on('close', () => {
      if (!request.complete) resolve('aborted');
    });
  });
}

/** A JSON object or array as body-parser's strict mode takes it (an empty body is `{}`), or undefined when it is not one. */
export function parseJsonBody(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  if (text[0] !== '{' && text[0] !== '[') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
