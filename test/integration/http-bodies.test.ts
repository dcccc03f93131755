import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { Stack } from '../support/stack';

const MAX_BODY_BYTES = 4096;
const TYPENAME = JSON.stringify({ query: '{ __typename }' });

interface Answer {
  status: number;
  body: { data?: { __typename?: string }; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('POST /graphql bodies and request errors', () => {
  let stack: Stack;
  const post = async (
    body: string | Buffer,
    headers: Record<string, string> = { 'content-type': 'application/json' },
    path = '/graphql',
  ): Promise<Answer> => {
    const response = await fetch(`${stack.url}${path}`, { method: 'POST', headers, body });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };

  before(async () => {
    stack = await Stack.start({ workers: 0, env: { MAX_BODY_BYTES: String(MAX_BODY_BYTES) } });
  });
  after(async () => {
    await stack?.close();
  });

  it('answers a plain JSON body, with or without a UTF-8 charset, and on /graphql/?query', async () => {
    for (const [headers, path] of [
      [{ 'content-type': 'application/json' }, '/graphql'],
      [{ 'content-type': 'application/json; charset=utf-8' }, '/graphql'],
      [{ 'content-type': 'Application/JSON; charset="UTF-8"' }, '/graphql/?trace=1'],
    ] as const) {
      const answer = await post(TYPENAME, headers, path);
      assert.deepEqual(answer, { status: 200, body: { data: { __typename: 'Query' } } }, `${JSON.stringify(headers)} ${path}`);
    }
  });

  it('refuses a body over MAX_BODY_BYTES with 413, declared or streamed, and keeps answering', async () => {
    const big = JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(MAX_BODY_BYTES) });
    const declared = await post(big);
    assert.equal(declared.status, 413);
    assert.deepEqual(
      declared.body.errors?.map((e) => [e.message, e.extensions?.code]),
      [['Request body too large', 'BAD_USER_INPUT']],
    );
    const streamed = await fetch(`${stack.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new Blob([big]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal((await post(TYPENAME)).status, 200);
  });

  it('refuses broken JSON and a JSON value that is not an object or array with 400 Malformed request body', async () => {
    for (const body of ['{"query":', '"{ __typename }"', '42', 'null']) {
      const answer = await post(body);
      assert.equal(answer.status, 400, body);
      assert.deepEqual(
        answer.body.errors?.map((e) => [e.message, e.extensions?.code]),
        [['Malformed request body', 'BAD_USER_INPUT']],
        body,
      );
    }
  });

  it('refuses an empty body and a batch with BAD_REQUEST', async () => {
    for (const body of ['', JSON.stringify([{ query: '{ __typename }' }])]) {
      const answer = await post(body);
      assert.equal(answer.status, 400, body);
      assert.equal(answer.body.errors?.[0]?.extensions?.code, 'BAD_REQUEST', body);
    }
  });

  it('takes a gzip body, and refuses a charset other than UTF-8 with 415', async () => {
    const gzipped = await post(gzipSync(TYPENAME), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    assert.deepEqual(gzipped, { status: 200, body: { data: { __typename: 'Query' } } });
    const latin1 = await post(TYPENAME, { 'content-type': 'application/json; charset=latin1' });
    assert.equal(latin1.status, 415);
  });

  it('answers request errors with 400 and the code of their kind; an unknown persisted query with 200', async () => {
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['syntax', { query: '{' }, 400, 'GRAPHQL_PARSE_FAILED'],
      ['unknown field', { query: '{ nope }' }, 400, 'GRAPHQL_VALIDATION_FAILED'],
      ['bad variable', { query: 'query ($id: ID!) { job(id: $id) { id } }', variables: { id: { not: 'an id' } } }, 400, 'BAD_USER_INPUT'],
      ['subscription', { query: 'subscription { jobEvents(id: "default:1") { type } }' }, 400, 'BAD_REQUEST'],
      ['unknown operation name', { query: 'query A { __typename }', operationName: 'B' }, 400, 'OPERATION_RESOLUTION_FAILURE'],
      ['unknown persisted query', { extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }, 200, 'PERSISTED_QUERY_NOT_FOUND'],
    ];
    for (const [label, body, status, code] of cases) {
      const answer = await post(JSON.stringify(body));
      assert.equal(answer.status, status, label);
      assert.equal(answer.body.errors?.[0]?.extensions?.code, code, label);
    }
    const named = await post(JSON.stringify({ query: 'query A { a: __typename } query B { b: __typename }', operationName: 'B' }));
    assert.deepEqual(named, { status: 200, body: { data: { b: 'Query' } } });
  });

  it('counts requests of both paths in jobgate_http_requests_total by status', async () => {
    await post('{"query":');
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    const count = (status: number): number =>
      Number(
        new RegExp(`jobgate_http_requests_total\\{method="POST",route="/graphql",status_code="${status}"\\} (\\d+)`).exec(metrics)?.[1] ??
          0,
      );
    assert.equal(count(200), 6, 'the 200s on /graphql (a trailing slash is another route)');
    assert.equal(count(413), 2);
    assert.equal(count(400), 12);
  });

  // After the count above, which these requests would change.
  it('refuses malformed parameters, other methods and a GET with a body type, with the header the status needs', async () => {
    const refusal = async (response: Response): Promise<[number, string | undefined, string | undefined]> => {
      const body = (await response.json()) as Answer['body'];
      return [response.status, body.errors?.[0]?.extensions?.code, body.errors?.[0]?.message];
    };
    const postJson = (body: unknown): Promise<Response> =>
      fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.deepEqual(await refusal(await postJson({ query: '{ __typename }', variables: '{}' })), [
      400,
      'BAD_REQUEST',
      '`variables` in a POST body should be provided as an object, not a recursively JSON-encoded string.',
    ]);
    assert.deepEqual(await refusal(await postJson({ query: 42 })), [400, 'BAD_REQUEST', 'GraphQL queries must be strings.']);
    assert.deepEqual(await refusal(await postJson({ query: '{ __typename }', operationName: 1 })), [
      400,
      'BAD_REQUEST',
      '`operationName` in a POST body must be a string if provided.',
    ]);
    assert.deepEqual(await refusal(await fetch(`${stack.url}/graphql?query=%7B__typename%7D&query=%7B__typename%7D`)), [
      400,
      'BAD_REQUEST',
      "The 'query' search parameter may only be specified once.",
    ]);
    const typed = await fetch(`${stack.url}/graphql?query=%7B__typename%7D`, { headers: { 'content-type': 'text/plain' } });
    assert.equal(typed.status, 415);
    const put = await fetch(`${stack.url}/graphql`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: TYPENAME });
    assert.equal(put.headers.get('allow'), 'GET, POST');
    assert.deepEqual((await refusal(put)).slice(0, 2), [405, 'BAD_REQUEST']);
    const mutation = await fetch(`${stack.url}/graphql?query=${encodeURIComponent('mutation { cancelJob(id: "default:1") { id } }')}`);
    assert.equal(mutation.headers.get('allow'), 'POST');
    assert.deepEqual((await refusal(mutation)).slice(0, 2), [405, 'BAD_REQUEST']);
    const unknown = await postJson({ extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } });
    assert.equal(unknown.headers.get('cache-control'), 'private, no-cache, must-revalidate');
    assert.deepEqual((await refusal(unknown)).slice(0, 2), [200, 'PERSISTED_QUERY_NOT_FOUND']);
  });
});
