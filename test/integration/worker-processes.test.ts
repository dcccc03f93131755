import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, record, subscriptionsStarted, within, wsClient, type Recording } from '../support/graphql';
import { PrivateCluster } from '../support/redis-cluster';
import { PrivateRedis } from '../support/redis-server';
import { Stack, type ProcessHandle } from '../support/stack';
import { bearer, TEST_JWT_SECRET, token } from '../support/tokens';
import { ENQUEUE, IMPORT_PARTS, type EnqueuedJob } from './operations';

/** Short, so that LOST (3 missed heartbeats) comes within 2 s, yet long enough that a loaded machine's pauses are not losses. */
const HEARTBEAT_MS = 500;

const WORKER_FIELDS =
  'id host pid queues concurrency startedAt uptimeSeconds lastHeartbeatAt status activeJobs { id queue } processed failed cpuPercent rssBytes';
const WORKER_PROCESSES = `{ workerProcesses { ${WORKER_FIELDS} } }`;
const WORKER_EVENTS = `subscription WorkerProcessesWatch { workerEvents { kind at worker { ${WORKER_FIELDS} } } }`;
const CANCEL = `mutation ($id: ID!) { cancelJob(id: $id) { id } }`;

interface WorkerProcess {
  id: string;
  host: string;
  pid: number;
  queues: string[];
  concurrency: number;
  startedAt: string;
  uptimeSeconds: number;
  lastHeartbeatAt: string;
  status: 'ONLINE' | 'LOST';
  activeJobs: { id: string; queue: string }[];
  processed: number;
  failed: number;
  cpuPercent: number;
  rssBytes: number;
}
interface WorkerEventsPayload {
  workerEvents: { kind: 'ONLINE' | 'HEARTBEAT' | 'OFFLINE' | 'LOST'; at: string; worker: WorkerProcess };
}
interface Readiness {
  status: string;
  redis: { connected: boolean };
  workers: number;
  queues: Record<string, { workers: number; waiting: number }>;
  celery?: { connected: boolean; workers: number };
}

const idOf = (handle: ProcessHandle): string => `${hostname()}:${handle.child.pid}`;

async function health(url: string, path: '/readyz' | '/health'): Promise<{ status: number; body: Readiness }> {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: (await response.json()) as Readiness };
}

describe('worker processes', () => {
  let stack: Stack;
  let viewer: string;
  let admin: string;
  let submitter: string;
  let watch: Recording<WorkerEventsPayload>;
  let client: ReturnType<typeof wsClient>;

  const ask = async <T>(auth: string, query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const response = await gql<T>(stack.url, query, variables, bearer(auth));
    if (response.errors || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
    return response.data;
  };
  const workerProcesses = async (): Promise<WorkerProcess[]> =>
    (await ask<{ workerProcesses: WorkerProcess[] }>(viewer, WORKER_PROCESSES)).workerProcesses;
  const workerOf = async (handle: ProcessHandle): Promise<WorkerProcess | undefined> =>
    (await workerProcesses()).find((worker) => worker.id === idOf(handle));
  const event = (kind: string, handle: ProcessHandle, what: string) =>
    eventually(
      () =>
        watch.results.find(({ data }) => data?.workerEvents.kind === kind && data.workerEvents.worker.id === idOf(handle))?.data
          ?.workerEvents,
      15_000,
      what,
    );
  const hello = async (): Promise<EnqueuedJob> =>
    (await ask<{ enqueue: EnqueuedJob }>(admin, ENQUEUE, { type: 'helloWorld', data: { name: 'w' } })).enqueue;

  before(async () => {
    stack = await Stack.start({ workers: 0, env: { JWT_SECRET: TEST_JWT_SECRET, WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS) } });
    [viewer, admin, submitter] = await Promise.all([token('val', ['viewer']), token('root', ['admin']), token('ana', ['submitter'])]);
    client = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${viewer}` } });
    watch = record<WorkerEventsPayload>(client, WORKER_EVENTS);
    await subscriptionsStarted(stack.url, 'WorkerProcessesWatch');
  });
  after(async () => {
    await client?.dispose();
    await stack?.close();
  });

  it('readyz: degraded while a queue has waiting jobs and no worker, healthy once a worker runs; /health carries celery', async () => {
    await hello();
    const degraded = await health(stack.url, '/readyz');
    assert.equal(degraded.status, 200);
    assert.equal(degraded.body.status, 'degraded');
    assert.deepEqual(degraded.body.redis, { connected: true });
    assert.equal(degraded.body.workers, 0);
    assert.deepEqual(degraded.body.queues.default, { workers: 0, waiting: 1 });
    assert.deepEqual(degraded.body.queues.imports, { workers: 0, waiting: 0 });
    const seed = await health(stack.url, '/health');
    assert.equal(seed.status, 200);
    assert.equal(seed.body.status, 'degraded');
    assert.deepEqual(seed.body.celery, { connected: true, workers: 0 });

    await stack.startWorker();
    const healthy = await eventually(
      async () => {
        const ready = await health(stack.url, '/readyz');
        return ready.body.status === 'healthy' && ready.body.queues.default.waiting === 0 && ready;
      },
      15_000,
      '/readyz to be healthy',
    );
    assert.equal(healthy.status, 200);
    assert.equal(healthy.body.workers, 1);
    assert.equal(healthy.body.queues.default.workers, 1);
    assert.deepEqual((await health(stack.url, '/health')).body.celery, { connected: true, workers: 1 });
  });

  it('workerProcesses: a started worker with its pid, host, queues, concurrency, active job and counts; ONLINE then OFFLINE', async () => {
    // Stop the first worker so that the new one runs every job of its queues.
    await stack.signal(stack.workers[0], 'SIGTERM');
    const started = Date.now();
    const worker = await stack.startWorker(['--queues', 'imports,default', '--concurrency', '3']);
    const online = await event('ONLINE', worker, 'ONLINE of the new worker');
    assert.equal(online.worker.status, 'ONLINE');
    const beat = await event('HEARTBEAT', worker, 'a HEARTBEAT of the new worker');
    assert.ok(Date.parse(beat.worker.lastHeartbeatAt) > Date.parse(online.worker.lastHeartbeatAt), 'a later heartbeat than ONLINE saw');

    const listed = await eventually(() => workerOf(worker), 5000, 'the worker listed');
    assert.equal(listed.host, hostname());
    assert.equal(listed.pid, worker.child.pid);
    assert.deepEqual([...listed.queues].sort(), ['default', 'imports']);
    assert.equal(listed.concurrency, 3);
    assert.equal(listed.status, 'ONLINE');
    assert.ok(Date.parse(listed.startedAt) <= Date.parse(listed.lastHeartbeatAt));
    assert.ok(Date.parse(listed.lastHeartbeatAt) >= started - 1000, 'a recent heartbeat');
    assert.ok(listed.uptimeSeconds >= 0);
    assert.ok(listed.rssBytes > 10_000_000, `rss ${listed.rssBytes}`);
    assert.ok(listed.cpuPercent >= 0);
    assert.deepEqual(listed.activeJobs, []);

    const { importParts: slow } = await ask<{ importParts: EnqueuedJob }>(admin, IMPORT_PARTS, {
      input: { project: 'P', phase: 'W', stage: '1', items: 400, msPerItem: 50 },
    });
    const running = await eventually(
      async () => {
        const current = await workerOf(worker);
        return current?.activeJobs.some((job) => job.id === slow.id) && current;
      },
      15_000,
      `${slow.id} among the active jobs`,
    );
    assert.deepEqual(running.activeJobs, [{ id: slow.id, queue: 'imports' }]);
    await ask(admin, CANCEL, { id: slow.id });
    const afterCancel = await eventually(
      async () => {
        const current = await workerOf(worker);
        return current?.activeJobs.length === 0 && current.failed >= 1 && current;
      },
      15_000,
      'the cancelled job to leave the active jobs',
    );

    await Promise.all([hello(), hello()]);
    await eventually(
      async () => {
        const current = await workerOf(worker);
        return current && current.processed >= afterCancel.processed + 2;
      },
      15_000,
      'processed to count the two completed jobs',
    );

    const stopping = watch.results.length;
    assert.equal(await stack.signal(worker, 'SIGTERM'), 0);
    const offline = await event('OFFLINE', worker, 'OFFLINE of the stopped worker');
    assert.equal(offline.worker.pid, worker.child.pid);
    assert.equal(await workerOf(worker), undefined, 'a stopped worker leaves the registry');
    assert.equal(
      watch.results.slice(stopping).some(({ data }) => data?.workerEvents.kind === 'LOST' && data.workerEvents.worker.id === idOf(worker)),
      false,
      'a clean stop is not a loss',
    );
  });

  it('workerEvents: LOST after SIGKILL, and workerProcesses shows the worker LOST', async () => {
    const worker = await stack.startWorker(['--queues', 'maintenance']);
    await event('ONLINE', worker, 'ONLINE of the worker to kill');
    await stack.signal(worker, 'SIGKILL');
    const lost = await event('LOST', worker, 'LOST of the killed worker');
    assert.equal(lost.worker.status, 'LOST');
    const listed = await workerOf(worker);
    assert.equal(listed?.status, 'LOST');
    assert.ok(Date.now() - Date.parse(listed.lastHeartbeatAt) > 3 * HEARTBEAT_MS);
    assert.equal(
      watch.results.some(({ data }) => data?.workerEvents.kind === 'OFFLINE' && data.workerEvents.worker.id === idOf(worker)),
      false,
    );
  });

  it('a submitter gets FORBIDDEN from workerProcesses and workerEvents', async () => {
    const refused = await gql(stack.url, WORKER_PROCESSES, {}, bearer(submitter));
    assert.equal(refused.errors?.[0].extensions?.code, 'FORBIDDEN');
    assert.equal(refused.data, null);
    const submitterClient = wsClient(stack.wsUrl, { connectionParams: { authorization: `Bearer ${submitter}` } });
    try {
      const refusedWatch = record<WorkerEventsPayload>(submitterClient, WORKER_EVENTS);
      await within(refusedWatch.done, 5000, 'the refusal');
      assert.equal(refusedWatch.results[0]?.errors?.[0].extensions?.code, 'FORBIDDEN');
    } finally {
      await submitterClient.dispose();
    }
  });

  it('workerEvents ends cleanly when the client leaves', async () => {
    const active = async (): Promise<number> => {
      const text = await (await fetch(`${stack.url}/metrics`)).text();
      return Number(/^jobgate_subscriptions_active (\d+)/m.exec(text)?.[1] ?? Number.NaN);
    };
    assert.equal(await active(), 1);
    watch.stop();
    await eventually(async () => (await active()) === 0, 5000, 'the subscription to end');
  });
});

describe('readiness with Redis down', () => {
  let redis: PrivateRedis;
  let stack: Stack;
  before(async () => {
    redis = await PrivateRedis.start();
    stack = await Stack.start({ workers: 0, redisUrl: redis.url });
  });
  after(async () => {
    await stack?.close();
    await redis?.destroy();
  });

  it('answers unhealthy (503) at once on /readyz and /health, and 200 once Redis is back', async () => {
    assert.equal((await health(stack.url, '/readyz')).body.status, 'healthy', 'no job waits: healthy without workers');
    await redis.stop();
    const started = Date.now();
    const ready = await health(stack.url, '/readyz');
    assert.ok(Date.now() - started < 2500, `answered in ${Date.now() - started} ms`);
    assert.equal(ready.status, 503);
    assert.deepEqual(ready.body, { status: 'unhealthy', redis: { connected: false }, workers: 0, queues: {} });
    const seed = await health(stack.url, '/health');
    assert.equal(seed.status, 503);
    assert.deepEqual(seed.body.celery, { connected: false, workers: 0 });

    await redis.resume();
    await eventually(async () => (await health(stack.url, '/readyz')).status === 200, 15_000, '/readyz to answer 200 again');
  });
});

describe('worker processes on a Redis Cluster', () => {
  let cluster: PrivateCluster;
  let stack: Stack;
  before(async () => {
    cluster = await PrivateCluster.start();
    stack = await Stack.start({
      workers: 1,
      env: { REDIS_URL: `redis+cluster://${cluster.seeds}`, WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS) },
    });
  });
  after(async () => {
    await stack?.close();
    await cluster?.destroy();
  });

  it('lists the worker and counts it per queue in /readyz', async () => {
    const [worker] = stack.workers;
    const { data } = await gql<{ workerProcesses: WorkerProcess[] }>(stack.url, WORKER_PROCESSES);
    assert.deepEqual(
      data?.workerProcesses.map(({ id, status }) => ({ id, status })),
      [{ id: idOf(worker), status: 'ONLINE' }],
    );
    const ready = await health(stack.url, '/readyz');
    assert.equal(ready.body.status, 'healthy');
    assert.equal(ready.body.workers, 1);
    assert.deepEqual(ready.body.queues.imports, { workers: 1, waiting: 0 });
  });
});
