import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { CloseCode } from '../../src/server/close-codes';
import { eventually, gql, record, subscriptionsStarted, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, HELD, JOB, JOB_EVENTS, type EnqueuedJob, type JobEventPayload } from './operations';

const API_KEY = 'machine-key-0123456789abcdef';
/** Past the expiry of a token that lives 2 s. */
const TOKEN_EXPIRY_WAIT_MS = 2100;

/** Opens a raw graphql-transport-ws socket and resolves with its close code. */
function closeCodeOf(url: string, init: Record<string, unknown> | null, timeoutMs = 5000): Promise<number> {
  return within(
    new Promise((resolve) => {
      const socket = new WebSocket(url, 'graphql-transport-ws');
      socket.on('open', () => init && socket.send(JSON.stringify({ type: 'connection_init', payload: init })));
      socket.on('close', (code) => resolve(code));
    }),
    timeoutMs,
    'the socket to close',
  );
}

/** POSTs a GraphQL request through `agent`; says whether it went over a socket an earlier request had used. */
function postVia(
  agent: http.Agent,
  url: string,
  query: string,
  variables: Record<string, unknown>,
  credential: string,
): Promise<{ status: number; body: GraphqlBody; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/graphql`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', ...bearer(credential) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(chunks).toString()) as GraphqlBody,
            reused: request.reusedSocket,
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ query, variables }));
  });
}

interface GraphqlBody {
  data?: { job?: { id: string } | null; enqueue?: EnqueuedJob } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

describe('who may do what', () => {
  let stack: Stack;
  let ana: string;
  let bia: string;
  let viewer: string;
  let admin: string;
  before(async () => {
    stack = await Stack.start({
      workers: 1,
      env: {
        JWT_SECRET: TEST_JWT_SECRET,
        API_KEYS: `${API_KEY}:erp-bot:submitter`,
        MAX_SUBSCRIPTIONS_PER_SOCKET: '3',
        ENQUEUES_PER_MINUTE: '40',
      },
    });
    [ana, bia, viewer, admin] = await Promise.all([
      token('ana', ['submitter']),
      token('bia', ['submitter']),
      token('val', ['viewer']),
      token('root', ['admin']),
    ]);
  });
  after(() => stack.close());

  const enqueueAs = async (credential: string): Promise<EnqueuedJob> => {
    const response = await gql<{ enqueue: EnqueuedJob }>(
      stack.url,
      ENQUEUE,
      { type: 'helloWorld', data: {}, options: HELD },
      bearer(credential),
    );
    assert.ok(response.data?.enqueue, JSON.stringify(response.errors));
    return response.data.enqueue;
  };

  it('refuses a request without or with bad credentials: 401 UNAUTHENTICATED', async () => {
    for (const headers of [{}, bearer('not-a-token'), { authorization: 'Basic abc' }, bearer(await token('eve', ['admin'], -10))]) {
      const response = await fetch(`${stack.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ jobTypes { name } }' }),
      });
      assert.equal(response.status, 401);
      const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
    }
  });

  it("answers another owner's job exactly like an absent one; a viewer sees it; an API key works", async () => {
    const job = await enqueueAs(ana);
    const byBia = await gql<{ job: unknown }>(stack.url, JOB, { id: job.id }, bearer(bia));
    const absent = await gql<{ job: unknown }>(stack.url, JOB, { id: 'default:999999' }, bearer(bia));
    assert.deepEqual(byBia, absent);
    const cancelByBia = await gql(stack.url, `mutation ($id: ID!) { cancelJob(id: $id) { id } }`, { id: job.id }, bearer(bia));
    const cancelAbsent = await gql(stack.url, `mutation ($id: ID!) { cancelJob(id: $id) { id } }`, { id: 'default:999999' }, bearer(bia));
    assert.equal(cancelByBia.errors?.[0].extensions?.code, 'NOT_FOUND');
    assert.equal(cancelByBia.errors?.[0].message.replace(job.id, 'ID'), cancelAbsent.errors?.[0].message.replace('default:999999', 'ID'));
    const byViewer = await gql<{ job: { id: string } }>(stack.url, JOB, { id: job.id }, bearer(viewer));
    assert.equal(byViewer.data?.job.id, job.id);
    const viewerCancels = await gql(stack.url, `mutation ($id: ID!) { cancelJob(id: $id) { id } }`, { id: job.id }, bearer(viewer));
    assert.equal(viewerCancels.errors?.[0].extensions?.code, 'FORBIDDEN');
    const viewerEnqueues = await gql(stack.url, ENQUEUE, { type: 'helloWorld', data: {} }, bearer(viewer));
    assert.equal(viewerEnqueues.errors?.[0].extensions?.code, 'FORBIDDEN');
    const byKey = await enqueueAs(API_KEY);
    const ownJob = await gql<{ job: { id: string } }>(stack.url, JOB, { id: byKey.id }, bearer(API_KEY));
    assert.equal(ownJob.data?.job.id, byKey.id);
  });

  it('judges each request of a kept-alive connection by its own credentials, until they expire', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const soon = await token('ana', ['submitter'], 2);
    const enqueued = await postVia(agent, stack.url, ENQUEUE, { type: 'helloWorld', data: {}, options: HELD }, soon);
    const id = enqueued.body.data?.enqueue?.id;
    assert.ok(id, JSON.stringify(enqueued.body));
    const asked = async (credential: string) => postVia(agent, stack.url, JOB, { id }, credential);
    const byBia = await asked(bia);
    const byNobody = await asked('not-a-token');
    const byAna = await asked(soon);
    // Time-based on purpose: the token's 2 s lifetime must run out (JWT `exp` has whole seconds).
    await new Promise((resolve) => setTimeout(resolve, TOKEN_EXPIRY_WAIT_MS));
    const expired = await asked(soon);
    agent.destroy();
    assert.deepEqual(
      [byBia, byNobody, byAna, expired].map(({ reused }) => reused),
      [true, true, true, true],
      'one connection throughout',
    );
    assert.equal(byBia.body.data?.job, null);
    assert.equal(byNobody.status, 401);
    assert.equal(byAna.body.data?.job?.id, id);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.errors?.[0].message, 'Token expired');
  });

  it('lets a job type restrict who enqueues it (cleanupFiles: admins only)', async () => {
    const bySubmitter = await gql(stack.url, ENQUEUE, { type: 'cleanupFiles', data: {}, options: HELD }, bearer(ana));
    assert.equal(bySubmitter.errors?.[0].extensions?.code, 'FORBIDDEN');
    const byAdmin = await gql<{ enqueue: EnqueuedJob }>(
      stack.url,
      ENQUEUE,
      { type: 'cleanupFiles', data: {}, options: HELD },
      bearer(admin),
    );
    assert.ok(byAdmin.data?.enqueue.id, JSON.stringify(byAdmin.errors));
  });

  it('keeps queue actions and schedules for admins', async () => {
    const bySubmitter = await gql(stack.url, `mutation { pauseQueue(queue: "default") }`, {}, bearer(ana));
    assert.equal(bySubmitter.errors?.[0].extensions?.code, 'FORBIDDEN');
    const byAdmin = await gql(stack.url, `mutation { resumeQueue(queue: "default") }`, {}, bearer(admin));
    assert.equal(byAdmin.errors, undefined);
  });

  it('authenticates WebSockets from connection_init: 4401 without or with a bad token, 4408 without init', async () => {
    assert.equal(await closeCodeOf(stack.wsUrl, {}), CloseCode.Unauthorized);
    assert.equal(await closeCodeOf(stack.wsUrl, { authorization: 'Bearer nope' }), CloseCode.Unauthorized);
    assert.equal(await closeCodeOf(stack.wsUrl, null, 6000), CloseCode.ConnectionInitialisationTimeout);
  });

  it("lets watchers see only what they may: another owner's job is NOT_FOUND; queueEvents carries only own jobs", async () => {
    const mine = await enqueueAs(ana);
    const theirs = await enqueueAs(bia);
    const client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${bia}` } });
    const denied = record<JobEventPayload>(client, JOB_EVENTS, { id: mine.id });
    await within(denied.done, 5000, 'the refused watch');
    assert.equal(denied.results[0].errors?.[0].extensions?.code, 'NOT_FOUND');
    const queue = record<{ queueEvents: { type: string; job: { id: string } } }>(
      client,
      `subscription AuthQueueWatch { queueEvents(queue: "default") { type job { id } } }`,
    );
    await subscriptionsStarted(stack.url, 'AuthQueueWatch');
    const promote = (job: EnqueuedJob) =>
      gql(stack.url, `mutation ($id: ID!) { promoteJob(id: $id) { id } }`, { id: job.id }, bearer(admin));
    for (const job of [mine, theirs]) await promote(job);
    const stateOf = async (job: EnqueuedJob) =>
      (await gql<{ job: { state: string } | null }>(stack.url, JOB, { id: job.id }, bearer(admin))).data?.job?.state;
    await eventually(async () => (await stateOf(mine)) === 'COMPLETED' && (await stateOf(theirs)) === 'COMPLETED', 10_000, 'both jobs');
    // No quiet period to prove ana's events never come: a marker job of bia's, run after both
    // finished. The stream is delivered in order, so any event of ana's job would come before its COMPLETED.
    const marker = await enqueueAs(bia);
    await promote(marker);
    const completed = (job: EnqueuedJob) =>
      queue.results.some((result) => result.data?.queueEvents.type === 'COMPLETED' && result.data.queueEvents.job.id === job.id);
    await eventually(() => completed(theirs) && completed(marker), 10_000, "bia's COMPLETED events");
    queue.stop();
    await client.dispose();
    const ids = new Set(queue.results.map((result) => result.data!.queueEvents.job.id));
    assert.deepEqual([...ids], [theirs.id, marker.id]);
  });

  it('ends a subscription when its token expires, and limits subscriptions per socket', async () => {
    const shortLived = await token('ana', ['submitter'], 2);
    const job = await enqueueAs(ana);
    const client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${shortLived}` } });
    const watch = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    await assert.rejects(within(watch.done, 6000, 'the expiry'), new RegExp(String(CloseCode.Unauthorized)));
    await client.dispose();
    const busy = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${ana}` } });
    const watches = Array.from({ length: 3 }, () => record<JobEventPayload>(busy, JOB_EVENTS, { id: job.id }));
    await eventually(() => watches.every((watch) => watch.results.length > 0), 5000, 'three snapshots');
    const fourth = record<JobEventPayload>(busy, JOB_EVENTS, { id: job.id });
    await assert.rejects(within(fourth.done, 5000, 'the refusal'), /RATE_LIMITED/);
    watches.forEach((watch) => watch.stop());
    await busy.dispose();
  });

  it('rate-limits enqueues per owner across the minute (RATE_LIMITED)', async () => {
    const owner = await token('flood', ['submitter']);
    const answers = await Promise.all(
      Array.from({ length: 45 }, () => gql(stack.url, ENQUEUE, { type: 'helloWorld', data: {} }, bearer(owner))),
    );
    const limited = answers.filter((answer) => answer.errors?.[0].extensions?.code === 'RATE_LIMITED');
    assert.equal(limited.length, 5);
  });
});

describe('dev mode', () => {
  it('refuses to listen beyond loopback without ALLOW_INSECURE_DEV', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, HOST: '0.0.0.0', PORT: '0', JWT_SECRET: '', JWKS_URL: '', API_KEYS: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await within(new Promise((resolve) => child.once('exit', resolve)), 15_000, 'the refusal');
    assert.equal(code, 1);
    assert.match(stderr, /Refusing to listen on 0\.0\.0\.0/);
  });
});
