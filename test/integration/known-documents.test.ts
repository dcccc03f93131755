import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Stack } from '../support/stack';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const persisted = (text: string, version = 1): Record<string, unknown> => ({ persistedQuery: { version, sha256Hash: sha256(text) } });

interface Answer {
  status: number;
  body: { data?: Record<string, unknown>; errors?: { message: string; extensions?: { code?: string } }[] };
}

/**
 * An HTTP request whose query text is a cached document's is answered from the document cache:
 * answers must not change, whatever else the request carries; a cached document may be named
 * by its hash alone (automatic persisted queries).
 */
describe('POST /graphql of a known document', () => {
  let stack: Stack;
  const post = async (body: unknown): Promise<Answer> => {
    const response = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };

  before(async () => {
    stack = await Stack.start({ workers: 0 });
  });
  after(async () => {
    await stack?.close();
  });

  it('answers the same the first time and every later time, with variables, operation names and extensions', async () => {
    const query = 'query Probe($size: Int) { a: __typename jobs(queue: "default", first: $size) { totalCount } }';
    const request = { query, operationName: 'Probe', variables: { size: 1 }, extensions: { client: 'test' } };
    const first = await post(request);
    assert.deepEqual(first, { status: 200, body: { data: { a: 'Query', jobs: { totalCount: 0 } } } });
    const again = await Promise.all([post(request), post(request), post({ query, variables: { size: 2 } })]);
    assert.deepEqual(again, [first, first, first]);
    const badVariable = await post({ query, variables: { size: 'x' } });
    assert.equal(badVariable.status, 400);
    assert.equal(badVariable.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    // Batches are off: a batch of known documents is refused as any batch is.
    const batch = await post([{ query: '{ __typename }' }, request]);
    assert.deepEqual(batch, {
      status: 400,
      body: { errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }] },
    });
  });

  it('lets a client name by its hash a document once answered, as an automatic persisted query', async () => {
    const query = '{ known: __typename }';
    assert.equal((await post({ extensions: persisted(query) })).body.errors?.[0]?.extensions?.code, 'PERSISTED_QUERY_NOT_FOUND');
    assert.deepEqual((await post({ query })).body, { data: { known: 'Query' } });
    assert.deepEqual((await post({ extensions: persisted(query) })).body, { data: { known: 'Query' } });
  });

  it('leaves a client’s own persisted query alone: a wrong hash or version is refused, a right one registered', async () => {
    const query = '{ own: __typename }';
    await post({ query });
    const wrongHash = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('other') } } });
    assert.equal(wrongHash.status, 400);
    assert.match(wrongHash.body.errors?.[0]?.message ?? '', /provided sha does not match query/);
    const wrongVersion = await post({ query, extensions: persisted(query, 2) });
    assert.equal(wrongVersion.status, 400);
    assert.match(wrongVersion.body.errors?.[0]?.message ?? '', /Unsupported persisted query version/);
    assert.deepEqual((await post({ query, extensions: persisted(query) })).body, { data: { own: 'Query' } });
    const stringExtensions = await post({ query, extensions: '{}' });
    assert.equal(stringExtensions.status, 400);
    assert.equal(stringExtensions.body.errors?.[0]?.extensions?.code, 'BAD_REQUEST');
  });
});
