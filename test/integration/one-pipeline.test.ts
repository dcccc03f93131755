import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { createClient, type Client, type ExecutionResult, type FormattedExecutionResult } from 'graphql-ws';
import type { GraphQLFormattedError } from 'graphql';
import WebSocket from 'ws';
import { Stack } from '../support/stack';

/** One GraphQL request as the client means it. */
interface Operation {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

/** The ways a request reaches the gateway; each case names those it may take. */
type Transport = 'post' | 'post-graphql-response' | 'post-gzip' | 'post-deflate' | 'get' | 'get-graphql-response' | 'ws';
const HTTP_POST: Transport[] = ['post', 'post-graphql-response', 'post-gzip', 'post-deflate'];
const HTTP_ALL: Transport[] = [...HTTP_POST, 'get', 'get-graphql-response'];
const EVERY: Transport[] = [...HTTP_ALL, 'ws'];
/** Mutations are not sent by GET (405, below); subscriptions only over WebSocket. */
const NOT_GET: Transport[] = [...HTTP_POST, 'ws'];

/** What a client can tell of an answer; `status` and `contentType` over HTTP only. */
interface Answer {
  status?: number;
  contentType?: string;
  data?: unknown;
  errors?: [message: string, code: unknown, field: unknown][];
}

interface Case {
  name: string;
  operation: Operation;
  transports: Transport[];
  /** Expected HTTP status and first error code (undefined: no error). */
  status: number;
  code?: string;
}

const MAX_QUERY_TOKENS = 2000;
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const persisted = '{ __typename }';

const CASES: Case[] = [
  { name: 'a query', operation: { query: '{ __typename }' }, transports: EVERY, status: 200 },
  {
    name: 'a query with variables',
    operation: { query: 'query ($id: ID!) { job(id: $id) { id } }', variables: { id: 'imports:404' } },
    transports: EVERY,
    status: 200,
  },
  { name: 'the registry', operation: { query: '{ jobTypes { name queue } }' }, transports: EVERY, status: 200 },
  { name: 'introspection (dev mode)', operation: { query: '{ __schema { queryType { name } } }' }, transports: EVERY, status: 200 },
  {
    name: 'a named operation of two',
    operation: { query: 'query A { a: __typename } query B { b: __typename }', operationName: 'B' },
    transports: EVERY,
    status: 200,
  },
  {
    name: 'a generic enqueue',
    operation: { query: 'mutation { enqueue(type: "helloWorld", data: { name: "x" }) { type queue state } }' },
    transports: NOT_GET,
    status: 200,
  },
  {
    name: 'a typed enqueue',
    operation: {
      query: 'mutation ($p: String!) { importParts(input: { project: $p, phase: "a", stage: "b" }) { type queue } }',
      variables: { p: 'diff' },
    },
    transports: NOT_GET,
    status: 200,
  },
  { name: 'a syntax error', operation: { query: '{' }, transports: EVERY, status: 400, code: 'GRAPHQL_PARSE_FAILED' },
  {
    name: 'a lexical error',
    operation: { query: '{ 8f31403dfe404bccbb0e835f2629c6a7 }' },
    transports: EVERY,
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'too many tokens',
    operation: { query: `{ ${'__typename '.repeat(MAX_QUERY_TOKENS)}}` },
    transports: NOT_GET,
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a 1 MB document of tokens',
    operation: { query: `{ ${'a '.repeat(500_000)}}` },
    transports: NOT_GET,
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'nested 20,000 deep',
    operation: { query: `{${'a{'.repeat(20_000)}b${'}'.repeat(20_000)}}` },
    transports: NOT_GET,
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'a list nested 1,000 deep',
    operation: { query: `{ job(id: ${'['.repeat(1_000)}"x"${']'.repeat(1_000)}) { id } }` },
    transports: EVERY,
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  { name: 'an unknown field', operation: { query: '{ nope }' }, transports: EVERY, status: 400, code: 'GRAPHQL_VALIDATION_FAILED' },
  {
    name: 'an unknown argument',
    operation: { query: '{ jobTypes(x: 1) { name } }' },
    transports: EVERY,
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a variable of the wrong type in the document',
    operation: { query: 'query ($id: Int) { job(id: $id) { id } }' },
    transports: EVERY,
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'over the depth limit',
    operation: { query: `{ __schema { types { fields { type ${'{ ofType '.repeat(25)}{ name }${' }'.repeat(25)} } } } }` },
    transports: EVERY,
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'over the alias limit',
    operation: { query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: jobTypes { name }`).join(' ')} }` },
    transports: EVERY,
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'over the cost limit',
    operation: {
      query: `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: jobs(queue: "imports", first: 500) { edges { node { id logs } } }`).join(' ')} }`,
    },
    transports: EVERY,
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a missing variable',
    operation: { query: 'query ($id: ID!) { job(id: $id) { id } }' },
    transports: EVERY,
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a variable that does not coerce',
    operation: { query: 'query ($first: Int) { jobs(queue: "imports", first: $first) { totalCount } }', variables: { first: 'ten' } },
    transports: EVERY,
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'a malformed id (resolver error)',
    operation: { query: '{ job(id: "no colon") { id } }' },
    transports: EVERY,
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an unknown queue',
    operation: { query: '{ jobs(queue: "nope") { totalCount } }' },
    transports: EVERY,
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an absent job to cancel',
    operation: { query: 'mutation { cancelJob(id: "imports:404") { id } }' },
    transports: NOT_GET,
    status: 200,
    code: 'NOT_FOUND',
  },
  {
    name: 'an unknown job type',
    operation: { query: 'mutation { enqueue(type: "nope", data: {}) { id } }' },
    transports: NOT_GET,
    status: 200,
    code: 'UNKNOWN_JOB_TYPE',
  },
  {
    name: 'job data that fails validation',
    operation: { query: 'mutation { enqueue(type: "importParts", data: { project: "p", phase: "a", stage: "b", items: "ten" }) { id } }' },
    transports: NOT_GET,
    status: 200,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an operation name the document does not hold',
    operation: { query: 'query A { __typename }', operationName: 'B' },
    transports: HTTP_ALL,
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'two operations and no name',
    operation: { query: 'query A { __typename } query B { __typename }' },
    transports: HTTP_ALL,
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a subscription over HTTP',
    operation: { query: 'subscription { queueEvents(queue: "imports") { type } }' },
    transports: HTTP_POST,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a mutation over GET',
    operation: { query: 'mutation { cancelJob(id: "imports:404") { id } }' },
    transports: ['get', 'get-graphql-response'],
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'an unknown persisted query',
    operation: { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ nope }') } } },
    transports: HTTP_ALL,
    status: 200,
    code: 'PERSISTED_QUERY_NOT_FOUND',
  },
  {
    name: 'a persisted query registered',
    operation: { query: persisted, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(persisted) } } },
    transports: HTTP_ALL,
    status: 200,
  },
  {
    name: 'a persisted query hash that does not match',
    operation: { query: persisted, extensions: { persistedQuery: { version: 1, sha256Hash: sha256('other') } } },
    transports: HTTP_ALL,
    status: 400,
    code: 'BAD_REQUEST',
  },
  { name: 'an empty query', operation: { query: '' }, transports: HTTP_ALL, status: 400, code: 'BAD_REQUEST' },
  { name: 'no query', operation: { variables: {} }, transports: HTTP_ALL, status: 400, code: 'BAD_REQUEST' },
  {
    name: 'variables as a string',
    operation: { query: '{ __typename }', variables: '{}' },
    transports: HTTP_POST,
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a query that is not a string',
    operation: { query: { kind: 'Document' } },
    transports: HTTP_POST,
    status: 400,
    code: 'BAD_REQUEST',
  },
];

function encodeSearch(operation: Operation): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(operation)) search.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  return search.toString();
}

function normalise(
  result: FormattedExecutionResult | { errors?: readonly GraphQLFormattedError[]; data?: unknown },
): Omit<Answer, 'status' | 'contentType'> {
  const answer: Omit<Answer, 'status' | 'contentType'> = {};
  if ('data' in result) answer.data = result.data;
  if (result.errors) answer.errors = result.errors.map((error) => [error.message, error.extensions?.code, error.extensions?.field]);
  return answer;
}

async function overHttp(url: string, transport: Exclude<Transport, 'ws'>, operation: Operation): Promise<Answer> {
  const accept = transport.endsWith('graphql-response') ? 'application/graphql-response+json' : 'application/json';
  let response: Response;
  if (transport.startsWith('get')) {
    response = await fetch(`${url}/graphql?${encodeSearch(operation)}`, { headers: { accept } });
  } else {
    const json = JSON.stringify(operation);
    const headers: Record<string, string> = { accept, 'content-type': 'application/json' };
    let body: string | Buffer = json;
    if (transport === 'post-gzip' || transport === 'post-deflate') {
      headers['content-encoding'] = transport === 'post-gzip' ? 'gzip' : 'deflate';
      body = transport === 'post-gzip' ? gzipSync(json) : (await import('node:zlib')).deflateSync(json);
    }
    response = await fetch(`${url}/graphql`, { method: 'POST', headers, body });
  }
  const contentType = response.headers.get('content-type') ?? '';
  return { status: response.status, contentType, ...normalise((await response.json()) as FormattedExecutionResult) };
}

function overWebSocket(client: Client, operation: Operation): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let answer: Answer | undefined;
    client.subscribe(operation as { query: string }, {
      next: (result: ExecutionResult) => void (answer ??= normalise(result as FormattedExecutionResult)),
      // Errors graphql-ws sends as an `error` message: those of a refused operation.
      error: (error: unknown) =>
        Array.isArray(error)
          ? resolve(normalise({ errors: error as GraphQLFormattedError[] }))
          : reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
      complete: () => (answer ? resolve(answer) : reject(new Error('completed without a result'))),
    });
  });
}

describe('one pipeline: every transport answers a request alike', () => {
  let stack: Stack;
  let ws: Client;

  before(async () => {
    stack = await Stack.start({ workers: 0, env: { MAX_QUERY_TOKENS: String(MAX_QUERY_TOKENS) } });
    ws = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true });
  });
  after(async () => {
    await ws?.dispose();
    await stack?.close();
  });

  it(`has at least 30 request kinds (${CASES.length})`, () => {
    assert.ok(CASES.length >= 30);
  });

  for (const kind of CASES) {
    it(`${kind.name}: ${kind.transports.join(', ')}`, async () => {
      const answers = new Map<Transport, Answer>();
      for (const transport of kind.transports) {
        answers.set(
          transport,
          transport === 'ws' ? await overWebSocket(ws, kind.operation) : await overHttp(stack.url, transport, kind.operation),
        );
      }
      const [first, reference] = [...answers].find(([transport]) => transport !== 'ws') ?? [...answers][0];
      for (const [transport, answer] of answers) {
        if (transport === 'ws') {
          // No status nor content type on a socket; the body means the same.
          const { status: _status, contentType: _type, ...body } = reference;
          assert.deepEqual(answer, body, `ws vs ${first}`);
          continue;
        }
        assert.equal(answer.status, kind.status, `${transport} status`);
        assert.equal(
          answer.contentType,
          transport.endsWith('graphql-response') ? 'application/graphql-response+json; charset=utf-8' : 'application/json; charset=utf-8',
          `${transport} content type`,
        );
        assert.deepEqual({ ...answer, contentType: undefined }, { ...reference, contentType: undefined }, `${transport} vs ${first}`);
      }
      assert.equal(reference.errors?.[0]?.[1], kind.code, 'first error code');
      if (kind.status >= 400 && kind.status !== 405) assert.equal(reference.data, undefined, 'no data on a request error');
    });
  }

  it('answers by Accept: graphql-response+json when preferred, JSON for */* or none, 406 for neither, before executing anything', async () => {
    const post = (accept: string | undefined, query = '{ __typename }'): Promise<Response> =>
      fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(accept && { accept }) },
        body: JSON.stringify({ query }),
      });
    const types = async (accept: string | undefined): Promise<[number, string | null]> => {
      const response = await post(accept);
      await response.arrayBuffer();
      return [response.status, response.headers.get('content-type')];
    };
    assert.deepEqual(await types('application/graphql-response+json, application/json;q=0.9'), [
      200,
      'application/graphql-response+json; charset=utf-8',
    ]);
    assert.deepEqual(await types('application/json'), [200, 'application/json; charset=utf-8']);
    assert.deepEqual(await types('*/*'), [200, 'application/json; charset=utf-8']);
    assert.deepEqual(await types(undefined), [200, 'application/json; charset=utf-8']);
    const count = async (): Promise<number> =>
      (
        (await (await post('application/json', '{ jobs(queue: "default") { totalCount } }')).json()) as {
          data: { jobs: { totalCount: number } };
        }
      ).data.jobs.totalCount;
    const before = await count();
    const refused = await post('text/plain', 'mutation { enqueue(type: "helloWorld", data: { name: "never" }) { id } }');
    assert.equal(refused.status, 406);
    assert.equal(((await refused.json()) as FormattedExecutionResult).errors?.[0]?.extensions?.code, 'BAD_REQUEST');
    assert.equal(await count(), before, 'the refused mutation was not executed');
  });
});
