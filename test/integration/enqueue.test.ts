import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk } from '../support/graphql';
import { Stack } from '../support/stack';
import { ENQUEUE, IMPORT_PARTS, type EnqueuedJob } from './operations';

const ENQUEUE_MANY = `mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id state } }`;
const COMPLETED_COUNT = `query ($queue: String!) { jobs(queue: $queue, states: [COMPLETED], first: 0) { totalCount } }`;
const valid = { project: 'P', phase: 'A', stage: '1', items: 1, msPerItem: 0 };

describe('enqueueing', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1, env: { WORKER_CONCURRENCY: '50' } });
  });
  after(() => stack.close());

  it('enqueues 1,000 jobs in one request and all of them run', async () => {
    const jobs = Array.from({ length: 1000 }, (_, index) => ({ type: 'helloWorld', data: { name: `n${index}` } }));
    const { enqueueMany } = await gqlOk<{ enqueueMany: EnqueuedJob[] }>(stack.url, ENQUEUE_MANY, { jobs });
    assert.equal(enqueueMany.length, 1000);
    assert.equal(new Set(enqueueMany.map((job) => job.id)).size, 1000);
    await eventually(
      async () =>
        (await gqlOk<{ jobs: { totalCount: number } }>(stack.url, COMPLETED_COUNT, { queue: 'default' })).jobs.totalCount === 1000,
      30_000,
      '1,000 completed jobs',
    );
  });

  it('adds a batch over two queues in its order, a dedup key repeated later in the batch giving the first job', async () => {
    const later = { delayMs: 3_600_000 };
    const jobs = Array.from({ length: 250 }, (_, index) =>
      index % 2 === 0
        ? { type: 'helloWorld', data: { name: `n${index}` }, options: later }
        : {
            type: 'importParts',
            data: { ...valid, project: `P${index}` },
            options: index === 3 || index === 203 ? { ...later, dedupKey: 'batch-twice' } : later,
          },
    );
    const { enqueueMany } = await gqlOk<{ enqueueMany: EnqueuedJob[] }>(
      stack.url,
      'mutation ($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id data } }',
      { jobs },
    );
    assert.equal(enqueueMany[203].id, enqueueMany[3].id);
    assert.equal(enqueueMany[203].data.project, 'P3', 'the first job of the key, not the later one');
    const added = enqueueMany.filter((_, index) => index !== 203);
    assert.deepEqual(
      added.map((job) => job.data.name ?? job.data.project),
      jobs.filter((_, index) => index !== 203).map(({ data }) => ('name' in data ? data.name : data.project)),
    );
    for (const queue of ['default', 'imports']) {
      const ids = added.filter((job) => job.id.startsWith(`${queue}:`)).map((job) => Number(job.id.slice(queue.length + 1)));
      assert.equal(ids.length, queue === 'default' ? 125 : 124);
      assert.deepEqual(
        [...ids].sort((a, b) => a - b),
        ids,
        `${queue}: ids in the batch's order`,
      );
    }
  });

  it('returns the first job for a second enqueue with the same dedup key', async () => {
    const options = { dedupKey: 'import-P-A-1', delayMs: 60_000 };
    const first = (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input: valid, options })).importParts;
    const second = (await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input: { ...valid, items: 2 }, options }))
      .importParts;
    assert.equal(second.id, first.id);
    assert.equal(second.data.items, 1, 'the first job, not the second request');
  });

  const refused: [string, string, Record<string, unknown>, string, string?][] = [
    ['an unknown job type', ENQUEUE, { type: 'launchRockets', data: {} }, 'UNKNOWN_JOB_TYPE', 'type'],
    ['data failing validation', ENQUEUE, { type: 'importParts', data: { ...valid, items: 'many' } }, 'BAD_USER_INPUT', 'data.items'],
    ['a missing required field', ENQUEUE, { type: 'importParts', data: { phase: 'A', stage: '1' } }, 'BAD_USER_INPUT', 'data.project'],
    ['an unknown field', ENQUEUE, { type: 'importParts', data: { ...valid, color: 'red' } }, 'BAD_USER_INPUT', 'data.color'],
    ['data that is not an object', ENQUEUE, { type: 'importParts', data: [1, 2] }, 'BAD_USER_INPUT', 'data'],
    ['a negative delay', IMPORT_PARTS, { input: valid, options: { delayMs: -1 } }, 'BAD_USER_INPUT', 'options.delayMs'],
    ['zero attempts', IMPORT_PARTS, { input: valid, options: { attempts: 0 } }, 'BAD_USER_INPUT', 'options.attempts'],
    ['101 attempts', IMPORT_PARTS, { input: valid, options: { attempts: 101 } }, 'BAD_USER_INPUT', 'options.attempts'],
    [
      "a priority out of BullMQ's range",
      IMPORT_PARTS,
      { input: valid, options: { priority: 2 ** 21 + 1 } },
      'BAD_USER_INPUT',
      'options.priority',
    ],
    ['a typed input failing validation', IMPORT_PARTS, { input: { ...valid, items: 0 } }, 'BAD_USER_INPUT', 'input.items'],
    [
      'a url outside the allowed origins',
      ENQUEUE,
      { type: 'syncExternal', data: { orderId: 1, url: 'http://10.1.2.3/x' } },
      'BAD_USER_INPUT',
      'data.url',
    ],
    ['a malformed job id', `query { job(id: "no id here") { id } }`, {}, 'BAD_USER_INPUT', 'id'],
    ['a malformed page cursor', `query { jobs(queue: "imports", after: "zzz") { totalCount } }`, {}, 'BAD_USER_INPUT', 'after'],
    ['a wrongly typed variable', IMPORT_PARTS, { input: { ...valid, items: 'x' } }, 'BAD_USER_INPUT'],
    ['a syntax error', '{ job(id: ', {}, 'GRAPHQL_PARSE_FAILED'],
    ['an unknown field in the query', '{ jobz { id } }', {}, 'GRAPHQL_VALIDATION_FAILED'],
  ];
  it('reports every invalid field of the generic enqueue, each with the constraint that failed', async () => {
    const response = await gql(stack.url, ENQUEUE, { type: 'importParts', data: { project: ['x'], phase: 'A', items: 0 } });
    const error = response.errors?.[0];
    assert.equal(error?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(error?.extensions?.field, 'data.project');
    assert.deepEqual((error?.extensions as { violations?: unknown } | undefined)?.violations, [
      { field: 'data.project', message: 'data.project: project must be a string' },
      { field: 'data.stage', message: 'data.stage is required' },
      { field: 'data.items', message: 'data.items: items must not be less than 1' },
    ]);
  });

  it('refuses a __proto__ key in data by its name', async () => {
    const body = `{"query":${JSON.stringify(ENQUEUE)},"variables":{"type":"importParts","data":{"project":"P","phase":"A","stage":"1","__proto__":{"items":5}}}}`;
    const response = (await (
      await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    ).json()) as { errors?: { extensions?: { code?: string; field?: string } }[] };
    assert.equal(response.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.equal(response.errors?.[0]?.extensions?.field, 'data.__proto__');
  });

  for (const [what, query, variables, code, field] of refused) {
    it(`refuses ${what} with ${code}${field ? ` on ${field}` : ''}`, async () => {
      const response = await gql(stack.url, query, variables);
      const error = response.errors?.[0];
      assert.ok(error, `expected an error, got ${JSON.stringify(response)}`);
      assert.equal(error.extensions?.code, code, error.message);
      if (field) assert.equal(error.extensions?.field, field, error.message);
      assert.doesNotMatch(JSON.stringify(response), /stacktrace|at .*\.ts:\d+/);
    });
  }
});
