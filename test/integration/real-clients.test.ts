import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApolloClient, CombinedGraphQLErrors, HttpLink, InMemoryCache, ServerError, gql, split } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { Client as UrqlClient, CombinedError, cacheExchange, fetchExchange, subscriptionExchange } from '@urql/core';
import { Kind, OperationTypeNode, type DocumentNode } from 'graphql';
import { ClientError, GraphQLClient } from 'graphql-request';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { onEnd, pipe, subscribe } from 'wonka';
import WebSocket from 'ws';
import { within } from '../support/graphql';
import { Stack } from '../support/stack';

/**
 * The GraphQL clients front-end teams use (Apollo Client 4, urql 6, graphql-request 7 with
 * graphql-ws), each with its default settings, against a real gateway, worker and Redis:
 * enqueue, watch to COMPLETED, read the result, and read error codes through the client's own
 * error API. A server answer a client cannot read as GraphQL (status, content type) fails here.
 */

const ITEMS = 5;

/**
 * Enqueues an importParts job held back (delayed) so the watch starts before it runs: promoted
 * once the SNAPSHOT has arrived, no event of the run can happen before the subscription.
 */
const enqueueText = (project: string): string =>
  `mutation { importParts(input: { project: "${project}", phase: "p", stage: "s", items: ${ITEMS}, msPerItem: 20 }, options: { delayMs: 600000 }) { id state } }`;
const PROMOTE = 'mutation ($id: ID!) { promoteJob(id: $id) { id state } }';
const JOB_EVENTS = 'subscription ($id: ID!) { jobEvents(id: $id) { type cursor job { id state progress { percent } } } }';
const JOB = 'query ($id: ID!) { job(id: $id) { id state result } }';

/** Request errors every client must report with their code. */
const UNKNOWN_FIELD = { query: '{ nope }', variables: {}, code: 'GRAPHQL_VALIDATION_FAILED' };
const BAD_VARIABLE = {
  query: 'query ($first: Int) { jobs(queue: "imports", first: $first) { totalCount } }',
  variables: { first: 'ten' },
  code: 'BAD_USER_INPUT',
};
const PARSE_ERROR_CODE = 'GRAPHQL_PARSE_FAILED';

/**
 * A document the server cannot parse, for clients that only send what they parsed themselves
 * (Apollo Client and urql parse a string client-side, so `{` would throw before any request):
 * a hand-built AST whose only field is named `{`. Both print it as `{\n  {\n}`, which the
 * server's parser refuses (Expected Name, found "{").
 */
const UNPARSEABLE: DocumentNode = {
  kind: Kind.DOCUMENT,
  definitions: [
    {
      kind: Kind.OPERATION_DEFINITION,
      operation: OperationTypeNode.QUERY,
      selectionSet: { kind: Kind.SELECTION_SET, selections: [{ kind: Kind.FIELD, name: { kind: Kind.NAME, value: '{' } }] },
    },
  ],
};

interface EnqueuedJob {
  id: string;
  state: string;
}

interface JobEvent {
  type: string;
  cursor: string;
  job: { id: string; state: string; progress: { percent: number } | null };
}

interface JobEventsData {
  jobEvents: JobEvent;
}

interface JobData {
  job: { id: string; state: string; result: unknown } | null;
}

/** The events of one watch: `snapshot` resolves on the first, `done` with all of them when the server completes the subscription. */
class EventLog {
  readonly events: JobEvent[] = [];
  readonly snapshot: Promise<JobEvent>;
  readonly done: Promise<JobEvent[]>;
  private settleSnapshot!: { resolve(event: JobEvent): void; reject(error: unknown): void };
  private settleDone!: { resolve(events: JobEvent[]): void; reject(error: unknown): void };

  constructor() {
    this.snapshot = new Promise((resolve, reject) => (this.settleSnapshot = { resolve, reject }));
    this.done = new Promise((resolve, reject) => (this.settleDone = { resolve, reject }));
    // Awaited later; a failure before then must not count as unhandled.
    this.snapshot.catch(() => undefined);
    this.done.catch(() => undefined);
  }

  next = (event: JobEvent): void => {
    this.events.push(event);
    if (this.events.length === 1) this.settleSnapshot.resolve(event);
  };

  fail = (error: unknown): void => {
    const failure = error instanceof Error ? error : new Error(`subscription failed: ${JSON.stringify(error)}`);
    this.settleSnapshot.reject(failure);
    this.settleDone.reject(failure);
  };

  complete = (): void => {
    this.settleSnapshot.reject(new Error('the subscription completed without any event'));
    this.settleDone.resolve(this.events);
  };
}

/** A watch of a job that was held, then promoted: SNAPSHOT (DELAYED), then its run, ending in COMPLETED. */
function assertWatchedToCompletion(events: JobEvent[], id: string): void {
  const types = events.map((event) => event.type);
  assert.equal(types[0], 'SNAPSHOT', `events: ${types.join(', ')}`);
  assert.equal(events[0].job.state, 'DELAYED');
  assert.equal(types.at(-1), 'COMPLETED', `events: ${types.join(', ')}`);
  assert.ok(types.includes('PROGRESS'), `no PROGRESS event among ${types.join(', ')}`);
  assert.equal(events.at(-1)?.job.state, 'COMPLETED');
  assert.equal(events.at(-1)?.job.progress?.percent, 100);
  for (const event of events) assert.equal(event.job.id, id);
}

/** What an unexpected client error was, for a failing assertion's message. */
function describeError(error: unknown): string {
  if (ServerError.is(error)) return `ServerError ${error.statusCode} ${error.response.headers.get('content-type')}: ${error.bodyText}`;
  if (error instanceof CombinedError) return `CombinedError (network: ${error.networkError?.message}) ${error.message}`;
  if (error instanceof Error) return `${error.constructor.name}: ${error.message}`;
  return JSON.stringify(error);
}

let stack: Stack;
before(async () => {
  stack = await Stack.start({ workers: 1 });
});
after(async () => {
  await stack?.close();
});

describe('Apollo Client 4 (HttpLink + GraphQLWsLink, default settings)', () => {
  it('enqueues, watches to COMPLETED over graphql-ws, reads the result, and reports error codes as CombinedGraphQLErrors', async () => {
    const wsClient = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket });
    const httpLink = new HttpLink({ uri: `${stack.url}/graphql`, fetch });
    const wsLink = new GraphQLWsLink(wsClient);
    const client = new ApolloClient({
      cache: new InMemoryCache(),
      link: split(({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION, wsLink, httpLink),
    });
    try {
      const enqueued = await client.mutate<{ importParts: EnqueuedJob }>({ mutation: gql(enqueueText('apollo')) });
      const job = enqueued.data?.importParts;
      assert.ok(job, 'importParts returned a job');
      assert.match(job.id, /^imports:/);
      assert.equal(job.state, 'DELAYED');

      const log = new EventLog();
      const subscription = client.subscribe<JobEventsData>({ query: gql(JOB_EVENTS), variables: { id: job.id } }).subscribe({
        next: (result) =>
          result.error
            ? log.fail(result.error)
            : result.data
              ? log.next(result.data.jobEvents)
              : log.fail(new Error('a result without data')),
        error: log.fail,
        complete: log.complete,
      });
      await within(log.snapshot, 10_000, 'the SNAPSHOT');
      await client.mutate({ mutation: gql(PROMOTE), variables: { id: job.id } });
      const events = await within(log.done, 30_000, 'the watch to COMPLETED');
      subscription.unsubscribe();
      assertWatchedToCompletion(events, job.id);

      const read = await client.query<JobData>({ query: gql(JOB), variables: { id: job.id }, fetchPolicy: 'network-only' });
      assert.equal(read.error, undefined);
      assert.equal(read.data?.job?.state, 'COMPLETED');
      assert.deepEqual(read.data?.job?.result, { imported: ITEMS });

      const cases: { name: string; query: DocumentNode; variables: Record<string, unknown>; code: string }[] = [
        { name: 'unknown field', query: gql(UNKNOWN_FIELD.query), variables: UNKNOWN_FIELD.variables, code: UNKNOWN_FIELD.code },
        { name: 'bad variable', query: gql(BAD_VARIABLE.query), variables: BAD_VARIABLE.variables, code: BAD_VARIABLE.code },
        { name: 'parse error', query: UNPARSEABLE, variables: {}, code: PARSE_ERROR_CODE },
      ];
      for (const { name, query, variables, code } of cases) {
        await assert.rejects(client.query({ query, variables, fetchPolicy: 'network-only' }), (error: unknown) => {
          // A 4xx answered as application/json to Apollo's Accept would surface as a ServerError instead.
          assert.ok(CombinedGraphQLErrors.is(error), `${name}: expected CombinedGraphQLErrors, got ${describeError(error)}`);
          assert.equal(error.errors[0]?.extensions?.code, code, `${name}: ${JSON.stringify(error.errors)}`);
          return true;
        });
      }
    } finally {
      client.stop();
      await wsClient.dispose();
    }
  });
});

describe('urql 6 (cacheExchange, fetchExchange, subscriptionExchange over graphql-ws, default settings)', () => {
  it('enqueues, watches to COMPLETED, reads the result with a GET, and reports error codes in result.error', async () => {
    const requests: { method: string; url: string; status: number; contentType: string | null }[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      requests.push({
        method: init?.method ?? 'GET',
        url: String(input),
        status: response.status,
        contentType: response.headers.get('content-type'),
      });
      return response;
    };
    const wsClient = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket });
    const client = new UrqlClient({
      url: `${stack.url}/graphql`,
      fetch: recordingFetch,
      exchanges: [
        cacheExchange,
        fetchExchange,
        subscriptionExchange({
          forwardSubscription(request) {
            const input = { ...request, query: request.query ?? '' };
            return {
              subscribe(sink) {
                const unsubscribe = wsClient.subscribe(input, sink);
                return { unsubscribe };
              },
            };
          },
        }),
      ],
    });
    try {
      const enqueued = await client.mutation<{ importParts: EnqueuedJob }>(enqueueText('urql'), {}).toPromise();
      assert.equal(enqueued.error, undefined, describeError(enqueued.error));
      const job = enqueued.data?.importParts;
      assert.ok(job, 'importParts returned a job');
      assert.equal(job.state, 'DELAYED');
      assert.equal(requests.at(-1)?.method, 'POST', 'a mutation is POSTed');

      const log = new EventLog();
      const subscription = pipe(
        client.subscription<JobEventsData>(JOB_EVENTS, { id: job.id }),
        onEnd(log.complete),
        subscribe((result) =>
          result.error
            ? log.fail(result.error)
            : result.data
              ? log.next(result.data.jobEvents)
              : log.fail(new Error('a result without data')),
        ),
      );
      await within(log.snapshot, 10_000, 'the SNAPSHOT');
      const promoted = await client.mutation(PROMOTE, { id: job.id }).toPromise();
      assert.equal(promoted.error, undefined, describeError(promoted.error));
      const events = await within(log.done, 30_000, 'the watch to COMPLETED');
      subscription.unsubscribe();
      assertWatchedToCompletion(events, job.id);

      const read = await client.query<JobData>(JOB, { id: job.id }).toPromise();
      assert.equal(read.error, undefined, describeError(read.error));
      assert.equal(read.data?.job?.state, 'COMPLETED');
      assert.deepEqual(read.data?.job?.result, { imported: ITEMS });
      const readRequest = requests.at(-1);
      assert.equal(readRequest?.method, 'GET', 'urql sends a query within the URL limit as a GET');
      assert.equal(new URL(readRequest?.url ?? '').searchParams.get('variables'), JSON.stringify({ id: job.id }));

      const cases: { name: string; query: string | DocumentNode; variables: Record<string, unknown>; code: string }[] = [
        { name: 'unknown field', query: UNKNOWN_FIELD.query, variables: UNKNOWN_FIELD.variables, code: UNKNOWN_FIELD.code },
        { name: 'bad variable', query: BAD_VARIABLE.query, variables: BAD_VARIABLE.variables, code: BAD_VARIABLE.code },
        { name: 'parse error', query: UNPARSEABLE, variables: {}, code: PARSE_ERROR_CODE },
      ];
      for (const { name, query, variables, code } of cases) {
        const result = await client.query(query, variables).toPromise();
        const sent = requests.at(-1);
        assert.equal(sent?.method, 'GET', `${name}: sent as a GET`);
        assert.ok(result.error instanceof CombinedError, `${name}: expected a CombinedError, got ${JSON.stringify(result)}`);
        assert.equal(
          result.error.networkError,
          undefined,
          `${name}: ${describeError(result.error)} (status ${sent?.status}, ${sent?.contentType})`,
        );
        assert.equal(result.error.graphQLErrors[0]?.extensions.code, code, `${name}: ${result.error.message}`);
      }
    } finally {
      await wsClient.dispose();
    }
  });
});

describe('graphql-request 7 (GraphQLClient, default settings) with a graphql-ws client for the watch', () => {
  it('enqueues, watches to COMPLETED, reads the result, and throws ClientError with the codes', async () => {
    const client = new GraphQLClient(`${stack.url}/graphql`);
    const wsClient: WsClient = createClient({ url: stack.wsUrl, webSocketImpl: WebSocket });
    try {
      const { importParts: job } = await client.request<{ importParts: EnqueuedJob }>(enqueueText('graphql-request'));
      assert.match(job.id, /^imports:/);
      assert.equal(job.state, 'DELAYED');

      const log = new EventLog();
      const unsubscribe = wsClient.subscribe<JobEventsData>(
        { query: JOB_EVENTS, variables: { id: job.id } },
        {
          next: (result) =>
            result.errors
              ? log.fail(new Error(JSON.stringify(result.errors)))
              : result.data
                ? log.next(result.data.jobEvents)
                : log.fail(new Error('a result without data')),
          error: log.fail,
          complete: log.complete,
        },
      );
      await within(log.snapshot, 10_000, 'the SNAPSHOT');
      await client.request(PROMOTE, { id: job.id });
      const events = await within(log.done, 30_000, 'the watch to COMPLETED');
      unsubscribe();
      assertWatchedToCompletion(events, job.id);

      const read = await client.request<JobData>(JOB, { id: job.id });
      assert.equal(read.job?.state, 'COMPLETED');
      assert.deepEqual(read.job?.result, { imported: ITEMS });

      const cases = [
        { name: 'unknown field', ...UNKNOWN_FIELD },
        { name: 'bad variable', ...BAD_VARIABLE },
        { name: 'parse error', query: '{', variables: {}, code: PARSE_ERROR_CODE },
      ];
      for (const { name, query, variables, code } of cases) {
        await assert.rejects(client.request(query, variables), (error: unknown) => {
          assert.ok(error instanceof ClientError, `${name}: expected a ClientError, got ${describeError(error)}`);
          const { status, headers, body } = error.response;
          assert.equal(
            error.response.errors?.[0]?.extensions?.code,
            code,
            `${name}: status ${status}, ${headers.get('content-type')}: ${body}`,
          );
          return true;
        });
      }
    } finally {
      await wsClient.dispose();
    }
  });
});
