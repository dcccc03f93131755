import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { parseJsonBody, readBody } from '../../src/server/http-body';

type FakeRequest = Readable & { headers: Record<string, string>; complete: boolean };

/** A request as readBody sees it: a readable body with headers, complete once all of it arrived. */
function request(headers: Record<string, string>, chunks: Buffer[], ends = true): FakeRequest {
  const body = new Readable({ read() {} }) as FakeRequest;
  body.headers = headers;
  body.complete = false;
  for (const chunk of chunks) body.push(chunk);
  if (ends) {
    body.complete = true;
    body.push(null);
  }
  return body;
}

const read = (body: FakeRequest, limit: number) => readBody(body as unknown as IncomingMessage, limit);
const JSON_TEXT = '{"query":"{ ok }"}';

describe('readBody', () => {
  it('reads a plain body across chunks', async () => {
    const body = await read(request({}, [Buffer.from('{"query":'), Buffer.from('"{ ok }"}')]), 1_000);
    assert.ok(Buffer.isBuffer(body));
    assert.equal(body.toString(), JSON_TEXT);
  });

  it('takes a body of exactly the limit, and refuses one byte more', async () => {
    const exact = await read(request({}, [Buffer.alloc(100, 'a')]), 100);
    assert.equal(Buffer.isBuffer(exact) && exact.length, 100);
    assert.equal(await read(request({}, [Buffer.alloc(60, 'a'), Buffer.alloc(41, 'a')]), 100), 'too-large');
  });

  it('refuses a declared length over the limit without reading the body', async () => {
    const body = request({ 'content-length': '101' }, [Buffer.alloc(10)]);
    assert.equal(await read(body, 100), 'too-large');
    assert.equal(body.readableFlowing, null, 'not read');
  });

  for (const encoding of ['identity', 'gzip']) {
    it(`drains the rest of an upload that turns out too large (${encoding})`, async () => {
      const sent = encoding === 'gzip' ? gzipSync(Buffer.alloc(160)) : Buffer.alloc(160);
      const body = request({ 'content-encoding': encoding }, [sent], false);
      assert.equal(await read(body, 100), 'too-large');
      assert.equal(body.readableFlowing, true, 'the rest is read and dropped, so the answer can go out');
      let ended = false;
      body.on('end', () => (ended = true));
      body.push(Buffer.alloc(1_000));
      body.push(null);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(ended, true);
    });
  }

  const encodings: [string, (input: Buffer) => Buffer][] = [
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    [' GZIP ', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ];
  for (const [encoding, compress] of encodings) {
    it(`decodes content-encoding "${encoding}"`, async () => {
      const body = await read(request({ 'content-encoding': encoding }, [compress(Buffer.from(JSON_TEXT))]), 1_000);
      assert.equal(Buffer.isBuffer(body) && body.toString(), JSON_TEXT);
    });
  }

  it('reads identity as no encoding', async () => {
    const body = await read(request({ 'content-encoding': 'identity' }, [Buffer.from(JSON_TEXT)]), 1_000);
    assert.equal(Buffer.isBuffer(body) && body.toString(), JSON_TEXT);
  });

  it('counts the inflated size against the limit, not the compressed one', async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    assert.ok(bomb.length < 10_000);
    const body = request({ 'content-encoding': 'gzip', 'content-length': String(bomb.length) }, [bomb]);
    assert.equal(await read(body, 100_000), 'too-large');
  });

  it('refuses an encoding it does not speak', async () => {
    for (const encoding of ['compress', 'zstd', 'gzip, br'])
      assert.equal(await read(request({ 'content-encoding': encoding }, [Buffer.from('x')]), 1_000), 'unsupported-encoding', encoding);
  });

  it('tells a broken compressed body as malformed', async () => {
    assert.equal(await read(request({ 'content-encoding': 'gzip' }, [Buffer.from('not gzip at all')]), 1_000), 'malformed');
    const truncated = deflateSync(Buffer.from(JSON_TEXT)).subarray(0, 8);
    assert.equal(
      await read(request({ 'content-encoding': 'deflate' }, [truncated]), 1_000),
      'malformed',
      'a complete request, cut-off stream',
    );
  });

  it('tells a request cut short as aborted', async () => {
    const erroring = request({}, [Buffer.from('{"query":')], false);
    const first = read(erroring, 1_000);
    setImmediate(() => erroring.destroy(new Error('aborted')));
    assert.equal(await first, 'aborted');

    // Closed without an error (the socket went away): incomplete, so aborted rather than read as the whole body.
    const closing = request({}, [Buffer.from('{"query":')], false);
    const second = read(closing, 1_000);
    setImmediate(() => closing.destroy());
    assert.equal(await second, 'aborted');
  });
});

describe('parseJsonBody', () => {
  const cases: [string, unknown][] = [
    ['', {}],
    ['  \n ', {}],
    [JSON_TEXT, { query: '{ ok }' }],
    [' [{"query":"{ ok }"}] ', [{ query: '{ ok }' }]],
    ['"a string"', undefined],
    ['42', undefined],
    ['null', undefined],
    ['{"query":', undefined],
    ['{} trailing', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`parses ${JSON.stringify(text)} as ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseJsonBody(Buffer.from(text)), expected);
    });
  }
});
