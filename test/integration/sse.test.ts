import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { Worker } from 'bullmq';
import { createClient, type Client } from 'graphql-sse';
import IORedis from 'ioredis';
import WebSocket from 'ws';
import { compareStreamIds } from '../../src/events/stream-id';
import { CloseCode } from '../../src/server/close-codes';
import { eventually, gql, record, within, wsClient, type GraphQLResponse } from '../support/graphql';
import { assertResumedWithoutLoss } from '../support/resume';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, HELD, IMPORT_PARTS, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

type WatchedEvent = JobEventPayload['jobEvents'];
const GOOD_ORIGIN = 'http://good.example';
const TOKEN_HEADER = 'x-graphql-event-stream-token';

/** One message of an event stream as a proxy passes it: its fields, unparsed. */
interface RawMessage {
  event: string;
  id?: string;
  data: string;
}

/** An event stream read over a plain `http` request, as a proxy or a hand-written client reads it. */
interface RawStream {
  status: Promise<number>;
  headers: Promise<http.IncomingHttpHeaders>;
  body: string[];
  messages: RawMessage[];
  comments: number;
  /** Resolves when the server ends the response. */
  ended: Promise<void>;
  /** Cuts the connection, as a dropped network would. */
  cut(): void;
  /** Stops reading the response: what the gateway sends piles up in the kernel, then in the gateway. */
  pause(): void;
  resume(): void;
}

/** POSTs (or GETs, without `body`) to the stream endpoint and parses what comes back as it arrives. */
function openRaw(url: string, headers: Record<string, string>, body?: unknown, method = body === undefined ? 'GET' : 'POST'): RawStream {
  const stream: Partial<RawStream> & { body: string[]; messages: RawMessage[]; comments: number } = { body: [], messages: [], comments: 0 };
  let pending = '';
  let incoming: http.IncomingMessage | undefined;
  const request = http.request(url, {
    method,
    headers: { accept: 'text/event-stream', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
  });
  stream.status = new Promise((resolve, reject) => {
    stream.headers = new Promise((resolveHeaders) => {
      stream.ended = new Promise((resolveEnded) => {
        request.on('response', (response) => {
          incoming = response;
          resolve(response.statusCode ?? 0);
          resolveHeaders(response.headers);
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            stream.body.push(chunk);
            pending += chunk;
            for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n')) {
              const block = pending.slice(0, end);
              pending = pending.slice(end + 2);
              const message: RawMessage = { event: '', data: '' };
              for (const line of block.split('\n')) {
                if (line.startsWith(':')) stream.comments += 1;
                else if (line.startsWith('event: ')) message.event = line.slice(7);
                else if (line.startsWith('id: ')) message.id = line.slice(4);
                else if (line.startsWith('data:')) message.data = line.slice(5).trim();
              }
              if (message.event) stream.messages.push(message);
            }
          });
          response.on('end', () => resolveEnded());
          response.on('error', () => resolveEnded());
        });
      });
    });
    request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
  });
  void stream.status.catch(() => undefined);
  request.end(body === undefined ? undefined : JSON.stringify(body));
  stream.cut = () => request.destroy();
  stream.pause = () => incoming?.pause();
  stream.resume = () => incoming?.resume();
  return stream as RawStream;
}

/** The `jobEvents` payloads of a raw stream's `next` messages (distinct connection: `data` is the result). */
function rawEvents(stream: RawStream): WatchedEvent[] {
  return stream.messages
    .filter((message) => message.event === 'next')
    .map((message) => (JSON.parse(message.data) as { data: JobEventPayload }).data.jobEvents);
}

/** A plain HTTP request to the stream endpoint; its status and JSON body. */
async function request(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string; json: () => GraphQLResponse<unknown> }> {
  const response = await fetch(url, { method, headers, body });
  const text = await response.text();
  return { status: response.status, text, json: () => JSON.parse(text) as GraphQLResponse<unknown> };
}

/** A graphql-sse client as an app would make it; `fetchFn` lets a test cut its connections. */
function sseClient(
  url: string,
  credential: string | undefined,
  singleConnection: boolean,
  extra: Partial<Parameters<typeof createClient>[0]> = {},
): Client {
  return createClient({
    url,
    singleConnection,
    headers: credential === undefined ? {} : bearer(credential),
    retryAttempts: 0,
    ...extra,
  });
}

/** Every result of a graphql-sse subscription, until it completes (resolves) or fails (rejects). */
function sseRecord<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  results: { data?: T | null; errors?: GraphQLResponse<T>['errors'] }[] = [],
) {
  let stop = (): void => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => void results.push(value as (typeof results)[number]),
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: resolve,
      },
    );
  });
  done.catch(() => undefined);
  return { results, done, stop: () => stop() };
}

/** A graphql-transport-ws socket past `connection_init`: accepted (acknowledged) or refused (closed). */
interface InitialisedSocket {
  socket: WebSocket;
  accepted: boolean;
  /** Resolves with the close code. */
  closed: Promise<number>;
}

/** Opens a socket and sends `connection_init` with `credential`; resolves at the ack or the close. */
function openSocket(wsUrl: string, credential: string): Promise<InitialisedSocket> {
  return new Promise((resolve) => {
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    const closed = new Promise<number>((done) => socket.on('close', (code) => done(code)));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${credential}` } })));
    socket.once('message', () => resolve({ socket, accepted: true, closed }));
    void closed.then(() => resolve({ socket, accepted: false, closed }));
  });
}

/** Resident memory of a process, MB. */
function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

const eventsOf = (results: { data?: JobEventPayload | null }[]): WatchedEvent[] => results.map((result) => result.data!.jobEvents);

describe('subscriptions over Server-Sent Events (graphql-sse) at /graphql/stream', () => {
  let stack: Stack;
  let streamUrl: string;
  let ana: string;
  let bia: string;
  before(async () => {
    stack = await Stack.start({
      workers: 0,
      env: { JWT_SECRET: TEST_JWT_SECRET, MAX_SUBSCRIPTIONS_PER_SOCKET: '2', MAX_SOCKETS_PER_OWNER: '3', ALLOWED_ORIGINS: GOOD_ORIGIN },
    });
    // The default queue is left to the slow-client case's own worker.
    await stack.startWorker(['--queues', 'imports']);
    streamUrl = `${stack.url}/graphql/stream`;
    [ana, bia] = await Promise.all([token('ana', ['submitter']), token('bia', ['submitter'])]);
  });
  after(() => stack.close());

  const importAs = async (credential: string, items: number, msPerItem: number): Promise<EnqueuedJob> => {
    const input = { project: 'SSE', phase: 'A', stage: '01', items, msPerItem };
    const response = await gql<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD }, bearer(credential));
    assert.ok(response.data?.importParts, JSON.stringify(response.errors));
    return response.data.importParts;
  };
  const promote = async (job: EnqueuedJob): Promise<void> => {
    const response = await gql(stack.url, PROMOTE, { id: job.id }, bearer(ana));
    assert.ok(!response.errors, JSON.stringify(response.errors));
  };

  it('watches a job to COMPLETED with the graphql-sse client in both modes, event for event as over WebSocket', async () => {
    const job = await importAs(ana, 20, 15);
    const ws = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${ana}` } });
    const distinct = sseClient(streamUrl, ana, false);
    const single = sseClient(streamUrl, ana, true);
    const watches = {
      ws: record<JobEventPayload>(ws, JOB_EVENTS, { id: job.id }),
      distinct: sseRecord<JobEventPayload>(distinct, JOB_EVENTS, { id: job.id }),
      single: sseRecord<JobEventPayload>(single, JOB_EVENTS, { id: job.id }),
    };
    await eventually(() => Object.values(watches).every((watch) => watch.results.length > 0), 5000, 'three snapshots');
    await promote(job);
    await within(Promise.all(Object.values(watches).map((watch) => watch.done)), 15_000, 'the three watches');
    await ws.dispose();
    distinct.dispose();
    single.dispose();
    const reference = eventsOf(watches.ws.results);
    for (const mode of ['distinct', 'single'] as const) {
      const events = eventsOf(watches[mode].results);
      assert.equal(events[0].type, 'SNAPSHOT', mode);
      assert.equal(events[0].job.state, 'DELAYED', mode);
      assert.equal(events.at(-1)?.type, 'COMPLETED', mode);
      assert.deepEqual(events.at(-1)?.job.result, { imported: 20 }, mode);
      const progress = events.filter((event) => event.type === 'PROGRESS').map((event) => event.job.progress!.current);
      assert.deepEqual(
        progress,
        Array.from({ length: 20 }, (_, index) => index + 1),
        mode,
      );
      assert.deepEqual(events.slice(1), reference.slice(1), `${mode}: the same events as over WebSocket`);
    }
  });

  it('renders a caller-dependent field per caller (Job.canControl), others once for all', async () => {
    const viewer = await token('val', ['viewer']);
    const job = await importAs(ana, 3, 1);
    const query = `subscription SseCanControl($id: ID!) { jobEvents(id: $id) { type job { id canControl } } }`;
    const clients = { owner: sseClient(streamUrl, ana, false), viewer: sseClient(streamUrl, viewer, true) };
    const watches = {
      owner: sseRecord<{ jobEvents: { type: string; job: { canControl: boolean } } }>(clients.owner, query, { id: job.id }),
      viewer: sseRecord<{ jobEvents: { type: string; job: { canControl: boolean } } }>(clients.viewer, query, { id: job.id }),
    };
    await eventually(() => watches.owner.results.length > 0 && watches.viewer.results.length > 0, 5000, 'both snapshots');
    await promote(job);
    await within(Promise.all([watches.owner.done, watches.viewer.done]), 15_000, 'both watches');
    clients.owner.dispose();
    clients.viewer.dispose();
    for (const [name, expected] of [
      ['owner', true],
      ['viewer', false],
    ] as const) {
      const results = watches[name].results;
      assert.deepEqual(
        results.flatMap((result) => result.errors ?? []),
        [],
        name,
      );
      assert.equal(results.at(-1)?.data?.jobEvents.type, 'COMPLETED', name);
      assert.ok(
        results.every((result) => result.data?.jobEvents.job.canControl === expected),
        `${name}: canControl ${expected}`,
      );
    }
  });

  it('resumes a cut connection from Last-Event-ID (graphql-sse client, distinct mode): no loss, no duplicate', async () => {
    const job = await importAs(ana, 60, 20);
    const reference = sseRecord<JobEventPayload>(sseClient(streamUrl, ana, false), JOB_EVENTS, { id: job.id });
    // The client's fetch, with a handle on the connection to cut it.
    let connection: AbortController | undefined;
    let connections = 0;
    const fetchFn = (input: string, init: RequestInit = {}): Promise<Response> => {
      const controller = new AbortController();
      init.signal?.addEventListener('abort', () => controller.abort());
      connection = controller;
      connections += 1;
      return fetch(input, { ...init, signal: controller.signal });
    };
    const results: { data?: JobEventPayload | null }[] = [];
    const resuming = createClient({
      url: streamUrl,
      fetchFn,
      retryAttempts: 3,
      retry: () => Promise.resolve(),
      // Asked at every connection: after the cut, the last cursor received rides as Last-Event-ID.
      headers: () => {
        const last = results.at(-1)?.data?.jobEvents.cursor;
        return { ...bearer(ana), ...(last === undefined ? {} : { 'last-event-id': last }) };
      },
    });
    const watch = sseRecord<JobEventPayload>(resuming, JOB_EVENTS, { id: job.id }, results);
    await eventually(() => reference.results.length > 0 && results.length > 0, 5000, 'both snapshots');
    await promote(job);
    await eventually(() => results.length >= 8, 5000, 'some progress');
    const cutAt = results.length;
    connection!.abort();
    await within(Promise.all([reference.done, watch.done]), 20_000, 'both watches');
    resuming.dispose();
    const received = eventsOf(results);
    assert.equal(connections, 2, 'one reconnection');
    const whole = eventsOf(reference.results);
    // What arrived before the cut and after it; what was in flight when it was cut came again after it.
    assertResumedWithoutLoss(whole, received.slice(0, cutAt), received.slice(cutAt), 'Last-Event-ID');
    assert.equal(received.at(-1)?.type, 'COMPLETED');
  });

  it('serves the raw event stream to a plain HTTP/1.1 request, ids are cursors, and Last-Event-ID resumes it', async () => {
    const job = await importAs(ana, 30, 15);
    const query = { query: JOB_EVENTS, variables: { id: job.id } };
    const first = openRaw(streamUrl, bearer(ana), query);
    assert.equal(await first.status, 200);
    const headers = await first.headers;
    assert.match(String(headers['content-type']), /^text\/event-stream/);
    assert.equal(headers['cache-control'], 'no-cache');
    await eventually(() => first.messages.length > 0, 5000, 'the snapshot');
    await promote(job);
    await within(first.ended, 15_000, 'the whole stream');
    const events = rawEvents(first);
    const nexts = first.messages.filter((message) => message.event === 'next');
    assert.deepEqual(
      nexts.map((message) => message.id),
      events.map((event) => event.cursor),
      'each event carries its cursor as its id',
    );
    assert.equal(first.messages.at(-1)?.event, 'complete');
    assert.ok(first.comments >= 1, 'the stream opens with a comment, as graphql-sse does');
    assert.equal(events.at(-1)?.type, 'COMPLETED');
    // A reconnection from the middle: Last-Event-ID and no `since` in the document's variables.
    const middle = events[Math.floor(events.length / 2)];
    const resumed = openRaw(streamUrl, { ...bearer(ana), 'last-event-id': middle.cursor }, query);
    await within(resumed.ended, 10_000, 'the resumed stream');
    assert.deepEqual(
      rawEvents(resumed).map((event) => `${event.cursor}/${event.type}`),
      events.filter((event) => compareStreamIds(event.cursor, middle.cursor) > 0).map((event) => `${event.cursor}/${event.type}`),
    );
    // The same over GET (what an EventSource sends), into a document with no `since` at all.
    const search = new URLSearchParams({
      query: 'subscription Tail($id: ID!) { jobEvents(id: $id) { type cursor } }',
      variables: JSON.stringify({ id: job.id }),
    });
    const tail = openRaw(`${streamUrl}?${search}`, { ...bearer(ana), 'last-event-id': events.at(-2)!.cursor });
    await within(tail.ended, 10_000, 'the GET stream');
    assert.deepEqual(
      rawEvents(tail).map((event) => event.type),
      ['COMPLETED'],
    );
  });

  it('gives queueEvents their cursors as ids too, and resumes them from Last-Event-ID', async () => {
    const query = { query: 'subscription SseQueue { queueEvents(queue: "imports") { type cursor job { id } } }' };
    const first = openRaw(streamUrl, bearer(ana), query);
    assert.equal(await first.status, 200);
    await eventually(() => first.comments > 0, 5000, 'the stream to open');
    const job = await importAs(ana, 3, 1);
    await promote(job);
    type QueueEvent = { type: string; cursor: string; job: { id: string } };
    const messagesIn = (stream: RawStream): { id?: string; event: QueueEvent }[] =>
      stream.messages
        .filter((message) => message.event === 'next')
        .map((message) => ({ id: message.id, event: (JSON.parse(message.data) as { data: { queueEvents: QueueEvent } }).data.queueEvents }))
        .filter(({ event }) => event.job.id === job.id);
    const eventsIn = (stream: RawStream): QueueEvent[] => messagesIn(stream).map(({ event }) => event);
    await eventually(() => eventsIn(first).some((event) => event.type === 'COMPLETED'), 10_000, "the job's COMPLETED");
    first.cut();
    const seen = eventsIn(first);
    for (const { id, event } of messagesIn(first)) assert.equal(id, event.cursor, 'the id of each event is its cursor');
    const resumed = openRaw(streamUrl, { ...bearer(ana), 'last-event-id': seen[0].cursor }, query);
    await eventually(() => eventsIn(resumed).some((event) => event.type === 'COMPLETED'), 10_000, 'the replay');
    resumed.cut();
    assert.deepEqual(
      eventsIn(resumed).map((event) => `${event.cursor}/${event.type}`),
      seen.slice(1).map((event) => `${event.cursor}/${event.type}`),
    );
  });

  it('authenticates every request as over HTTP: 401 without or with a bad token; another owner’s job is NOT_FOUND and its stream unknown', async () => {
    const job = await importAs(ana, 2, 1);
    const body = JSON.stringify({ query: JOB_EVENTS, variables: { id: job.id } });
    for (const headers of [{}, bearer('not-a-token'), bearer(await token('eve', ['submitter'], -10))]) {
      const distinct = await request(
        streamUrl,
        'POST',
        { accept: 'text/event-stream', 'content-type': 'application/json', ...headers },
        body,
      );
      assert.equal(distinct.status, 401);
      assert.equal(distinct.json().errors?.[0].extensions?.code, 'UNAUTHENTICATED');
      const reserve = await request(streamUrl, 'PUT', headers);
      assert.equal(reserve.status, 401);
    }
    // The graphql-sse client reports the refusal (it would retry it as a network error without retryAttempts: 0).
    const anonymous = sseRecord<JobEventPayload>(sseClient(streamUrl, undefined, false), JOB_EVENTS, { id: job.id });
    await assert.rejects(within(anonymous.done, 5000, 'the refusal'), /401/);
    for (const singleConnection of [false, true]) {
      const client = sseClient(streamUrl, bia, singleConnection);
      const denied = sseRecord<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
      await within(denied.done, 5000, 'the refused watch');
      client.dispose();
      assert.equal(denied.results[0].errors?.[0].extensions?.code, 'NOT_FOUND');
    }
    // A stream token works for its owner only: another owner's answers like an unknown one.
    const reserved = await request(streamUrl, 'PUT', bearer(ana));
    assert.equal(reserved.status, 201);
    const theirs = await request(
      streamUrl,
      'POST',
      { ...bearer(bia), [TOKEN_HEADER]: reserved.text, 'content-type': 'application/json' },
      body,
    );
    assert.equal(theirs.status, 404);
    const unknown = await request(streamUrl, 'DELETE', { ...bearer(ana), [TOKEN_HEADER]: 'no-such-token' });
    assert.equal(unknown.status, 404);
  });

  it('ends a stream when its token expires', async () => {
    const job = await importAs(ana, 2, 1);
    const shortLived = await token('ana', ['submitter'], 2);
    const stream = openRaw(streamUrl, bearer(shortLived), { query: JOB_EVENTS, variables: { id: job.id } });
    await eventually(() => stream.messages.length > 0, 5000, 'the snapshot');
    await within(stream.ended, 6000, 'the end at expiry');
    assert.ok(!stream.messages.some((message) => message.event === 'complete'), 'ended, not completed: the client reconnects');
  });

  it('limits subscriptions per stream and streams per owner as WebSockets are limited', async () => {
    const lim = await token('lim', ['submitter']);
    const job = await importAs(lim, 2, 1);
    // MAX_SUBSCRIPTIONS_PER_SOCKET=2 on one single-connection stream.
    const single = sseClient(streamUrl, lim, true);
    const watches = [0, 1].map(() => sseRecord<JobEventPayload>(single, JOB_EVENTS, { id: job.id }));
    await eventually(() => watches.every((watch) => watch.results.length > 0), 5000, 'two snapshots');
    const third = sseRecord<JobEventPayload>(single, JOB_EVENTS, { id: job.id });
    await within(third.done, 5000, 'the refusal');
    assert.equal(third.results[0].errors?.[0].extensions?.code, 'RATE_LIMITED');
    assert.match(third.results[0].errors?.[0].message ?? '', /At most 2 subscriptions per event stream/);
    // A subscription that ends frees its place on the stream.
    watches[0].stop();
    const admitted = await eventually(
      async () => {
        const attempt = sseRecord<JobEventPayload>(single, JOB_EVENTS, { id: job.id });
        await eventually(() => attempt.results.length > 0, 5000, 'an answer');
        if (attempt.results[0].data) return attempt;
        await attempt.done;
        return undefined;
      },
      5000,
      'a place freed on the stream',
    );
    assert.equal(admitted.results[0].data?.jobEvents.type, 'SNAPSHOT');
    watches.push(admitted);
    // MAX_SOCKETS_PER_OWNER=3: the single stream and two distinct connections, then 429.
    const query = { query: JOB_EVENTS, variables: { id: job.id } };
    const open = [openRaw(streamUrl, bearer(lim), query), openRaw(streamUrl, bearer(lim), query)];
    assert.deepEqual(await Promise.all(open.map((stream) => stream.status)), [200, 200]);
    const refused = await request(
      streamUrl,
      'POST',
      { ...bearer(lim), accept: 'text/event-stream', 'content-type': 'application/json' },
      JSON.stringify(query),
    );
    assert.equal(refused.status, 429);
    assert.equal(refused.json().errors?.[0].extensions?.code, 'RATE_LIMITED');
    assert.equal((await request(streamUrl, 'PUT', bearer(lim))).status, 429);
    // Another owner is not held back; and a stream closed frees its place.
    const other = openRaw(streamUrl, bearer(ana), query);
    assert.equal(await other.status, 200);
    other.cut();
    open[0].cut();
    await eventually(async () => (await request(streamUrl, 'PUT', bearer(lim))).status === 201, 5000, 'a place freed by the cut stream');
    open[1].cut();
    watches.forEach((watch) => watch.stop());
    single.dispose();
  });

  it('holds an owner’s WebSockets and event streams to one budget: at the limit over one transport, refused over the other', async () => {
    const both = await token('both', ['submitter']);
    const job = await importAs(both, 2, 1);
    const query = { query: JOB_EVENTS, variables: { id: job.id } };
    const postStream = () =>
      request(
        streamUrl,
        'POST',
        { ...bearer(both), accept: 'text/event-stream', 'content-type': 'application/json' },
        JSON.stringify(query),
      );
    // A stream once the gateway has seen a socket close (it learns of it a moment after the client).
    const openStream = () =>
      eventually(
        async () => {
          const stream = openRaw(streamUrl, bearer(both), query);
          return (await stream.status) === 200 ? stream : undefined;
        },
        5000,
        'a place for a stream',
      );
    // MAX_SOCKETS_PER_OWNER=3 sockets: no stream, no reservation.
    const sockets: InitialisedSocket[] = [];
    for (let i = 0; i < 3; i += 1) sockets.push(await openSocket(stack.wsUrl, both));
    assert.deepEqual(
      sockets.map((socket) => socket.accepted),
      [true, true, true],
    );
    const refused = await postStream();
    assert.equal(refused.status, 429);
    assert.equal(refused.json().errors?.[0].extensions?.code, 'RATE_LIMITED');
    assert.equal((await request(streamUrl, 'PUT', bearer(both))).status, 429);
    // A socket closed frees a place, which a stream takes: two sockets and a stream, then no socket.
    sockets[0].socket.close();
    await sockets[0].closed;
    const streams = [await openStream()];
    const fourth = await openSocket(stack.wsUrl, both);
    assert.equal(fourth.accepted, false);
    assert.equal(await within(fourth.closed, 5000, 'the refusal'), CloseCode.TooManySockets);
    // The reverse: MAX_SOCKETS_PER_OWNER=3 streams, then a socket is closed with 4429.
    for (const { socket, closed } of sockets.slice(1)) {
      socket.close();
      await closed;
    }
    streams.push(await openStream(), await openStream());
    const refusedSocket = await openSocket(stack.wsUrl, both);
    assert.equal(refusedSocket.accepted, false);
    assert.equal(await within(refusedSocket.closed, 5000, 'the refusal'), CloseCode.TooManySockets);
    // A stream cut frees a place, which a socket takes.
    streams[0].cut();
    const admitted = await eventually(
      async () => {
        const attempt = await openSocket(stack.wsUrl, both);
        return attempt.accepted ? attempt : undefined;
      },
      5000,
      'a place freed by the cut stream',
    );
    admitted.socket.close();
    await admitted.closed;
    streams.slice(1).forEach((stream) => stream.cut());
  });

  it('refuses bad requests with clear statuses and codes, never a 5xx', async () => {
    const json = { ...bearer(ana), accept: 'text/event-stream', 'content-type': 'application/json' };
    assert.equal((await request(streamUrl, 'POST', json, '{"query": ')).status, 400);
    assert.equal((await request(streamUrl, 'POST', json, '[{"query": "{ __typename }"}]')).status, 400);
    assert.equal((await request(streamUrl, 'POST', { ...json, 'content-type': 'text/plain' }, '{}')).status, 415);
    assert.equal((await request(streamUrl, 'POST', json, JSON.stringify({ query: 'x'.repeat(2 * 1024 * 1024) }))).status, 413);
    assert.equal((await request(streamUrl, 'POST', json, '{}')).status, 400);
    assert.equal((await request(streamUrl, 'PATCH', bearer(ana))).status < 500, true);
    const parse = openRaw(streamUrl, bearer(ana), { query: 'subscription { jobEvents(id: ' });
    await within(parse.ended, 5000, 'the parse failure');
    assert.equal(await parse.status, 200);
    assert.match(parse.messages[0].data, /"code":"GRAPHQL_PARSE_FAILED"/);
    assert.equal(parse.messages.at(-1)?.event, 'complete');
    const cursor = openRaw(
      streamUrl,
      { ...bearer(ana), 'last-event-id': 'yesterday' },
      { query: JOB_EVENTS, variables: { id: 'imports:1' } },
    );
    await within(cursor.ended, 5000, 'the bad cursor');
    assert.match(cursor.messages[0].data, /"code":"BAD_USER_INPUT"/);
    assert.match(cursor.messages[0].data, /"field":"since"/);
    assert.equal((await fetch(`${stack.url}/healthz`)).status, 200);
  });

  it('applies the origin policy: a page of another site is refused with 403, a listed one passes', async () => {
    const refused = await request(streamUrl, 'PUT', { ...bearer(ana), origin: 'http://evil.example' });
    assert.equal(refused.status, 403);
    assert.equal(refused.json().errors?.[0].extensions?.code, 'FORBIDDEN');
    const allowed = await request(streamUrl, 'PUT', { ...bearer(ana), origin: GOOD_ORIGIN });
    assert.equal(allowed.status, 201);
  });

  it('bounds what a client that stops reading costs: its PROGRESS events are coalesced, its state changes kept', async () => {
    const PROGRESS_EVENTS = 600;
    const BIG_MESSAGE = 'm'.repeat(16 * 1024);
    // An owner of its own: the stream limit (3) is not shared with the other cases' streams.
    const slo = await token('slo', ['submitter']);
    const created = await gql<{ enqueue: EnqueuedJob }>(
      stack.url,
      ENQUEUE,
      { type: 'helloWorld', data: { name: 'slow' }, options: HELD },
      bearer(slo),
    );
    const job = created.data!.enqueue;
    const query = { query: JOB_EVENTS, variables: { id: job.id } };
    const slow = openRaw(streamUrl, bearer(slo), query);
    const control = openRaw(streamUrl, bearer(slo), query);
    await eventually(() => slow.messages.length > 0 && control.messages.length > 0, 5000, 'both snapshots');
    slow.pause();
    const connection = new IORedis(stack.redisUrl, { maxRetriesPerRequest: null });
    // 600 PROGRESS events of 16 KiB (10 MB): more than the kernel buffers for one loopback connection, paced so
    // that a client that reads never falls SLOW_CLIENT_BYTES behind.
    const worker = new Worker(
      'default',
      async (bullJob) => {
        for (let current = 1; current <= PROGRESS_EVENTS; current++) {
          await bullJob.updateProgress({ current, total: PROGRESS_EVENTS, message: BIG_MESSAGE });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        return { emitted: PROGRESS_EVENTS };
      },
      { connection, prefix: stack.prefix },
    );
    const pid = stack.gateway.child.pid!;
    const rssBefore = rssMb(pid);
    let rssMax = rssBefore;
    try {
      const promoted = await gql(stack.url, PROMOTE, { id: job.id }, bearer(slo));
      assert.ok(!promoted.errors, JSON.stringify(promoted.errors));
      await within(control.ended, 30_000, 'the control stream');
      rssMax = Math.max(rssMax, rssMb(pid));
      slow.resume();
      await within(slow.ended, 30_000, 'the paused stream');
    } finally {
      await worker.close();
      connection.disconnect();
    }
    const all = rawEvents(control);
    const events = rawEvents(slow);
    assert.equal(all.filter((event) => event.type === 'PROGRESS').length, PROGRESS_EVENTS, 'the reading client got every event');
    const progress = events.filter((event) => event.type === 'PROGRESS');
    process.stdout.write(
      `# paused SSE client got ${progress.length} of ${PROGRESS_EVENTS} PROGRESS; gateway RSS +${(rssMax - rssBefore).toFixed(0)} MB\n`,
    );
    assert.ok(progress.length < PROGRESS_EVENTS, 'PROGRESS coalesced once the stream backed up');
    assert.equal(progress.at(-1)?.job.progress?.current, PROGRESS_EVENTS, 'the last progress gets through');
    assert.deepEqual(
      events.filter((event) => event.type !== 'PROGRESS').map((event) => event.type),
      all.filter((event) => event.type !== 'PROGRESS').map((event) => event.type),
      'every state change and log',
    );
    for (let index = 1; index < events.length; index++) assert.ok(compareStreamIds(events[index - 1].cursor, events[index].cursor) < 0);
    assert.ok(rssMax - rssBefore < 100, `gateway RSS grew by ${(rssMax - rssBefore).toFixed(0)} MB`);
  });

  it('logged no error while answering all of the above', () => {
    const errors = stack.gateway.output.filter((line) => /"level":(50|60)/.test(line));
    assert.deepEqual(errors, []);
  });
});
