import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { JobRegistry } from '../../src/jobs/registry';
import { buildJobgateSchema } from '../../src/resolvers/build-schema';
import type { EnqueueRequest } from '../../src/services/enqueue.service';
import type { FlowRequest } from '../../src/services/flow.service';
import { runningJobView } from '../support/job-view';

const view = runningJobView('default', '1');

/** Runs `query` against a stub enqueue service; says what the service got and whether it got it before `execute` returned. */
async function enqueueThrough(schema: GraphQLSchema, query: string, variableValues?: Record<string, unknown>) {
  const calls: unknown[] = [];
  const enqueue = {
    enqueue: async (request: EnqueueRequest) => (calls.push(request), view),
    enqueueMany: async (requests: EnqueueRequest[]) => (calls.push(requests), requests.map(() => view)),
  };
  const flows = { add: async (request: FlowRequest) => (calls.push(request), view) };
  const contextValue = { services: { enqueue, flows }, caller: { id: 'ana', roles: [] }, requestId: 'r1' };
  const running = execute({ schema, document: parse(query), contextValue, variableValues });
  const reachedAtOnce = calls.length === 1;
  const result = await running;
  assert.equal(result.errors, undefined);
  return { request: calls[0], reachedAtOnce };
}

describe('enqueue mutations', () => {
  it('reach the enqueue service at once, with their options as given', async () => {
    const schema = await buildJobgateSchema(new JobRegistry());
    const { request, reachedAtOnce } = await enqueueThrough(
      schema,
      `mutation { enqueue(type: "helloWorld", data: { name: "x" },
         options: { runAt: "2030-01-02T03:04:05.000Z", attempts: 3, backoff: { type: FIXED, delayMs: 10 } }) { id } }`,
    );
    assert.equal(reachedAtOnce, true, 'no turn waited per argument');
    assert.deepEqual(JSON.parse(JSON.stringify(request)), {
      type: 'helloWorld',
      data: { name: 'x' },
      options: { runAt: '2030-01-02T03:04:05.000Z', attempts: 3, backoff: { type: 'FIXED', delayMs: 10 } },
    });
    assert.ok((request as { options: { runAt: unknown } }).options.runAt instanceof Date, 'DateTime options arrive as dates');
  });

  it('hand enqueueMany its jobs as given, from variables', async () => {
    const schema = await buildJobgateSchema(new JobRegistry());
    const jobs = [
      { type: 'helloWorld', data: { name: 'a' } },
      { type: 'helloWorld', data: { name: 'b' }, options: { priority: 2 } },
    ];
    const { request, reachedAtOnce } = await enqueueThrough(
      schema,
      'mutation Many($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }',
      { jobs },
    );
    assert.equal(reachedAtOnce, true, 'no turn waited per argument');
    assert.deepEqual(JSON.parse(JSON.stringify(request)), jobs);
  });

  it('hand enqueueFlow its tree as given, at once', async () => {
    const schema = await buildJobgateSchema(new JobRegistry());
    const flow = {
      type: 'helloWorld',
      data: { name: 'root' },
      children: [
        { type: 'helloWorld', data: { name: 'a' }, options: { runAt: '2030-01-02T03:04:05.000Z' } },
        { type: 'helloWorld', data: { name: 'b' }, children: [{ type: 'helloWorld', data: { name: 'c' } }] },
      ],
    };
    const { request, reachedAtOnce } = await enqueueThrough(
      schema,
      'mutation Tree($flow: FlowInput!) { enqueueFlow(flow: $flow) { id } }',
      {
        flow,
      },
    );
    assert.equal(reachedAtOnce, true, 'the tree was not copied into input class instances first');
    assert.deepEqual(JSON.parse(JSON.stringify(request)), flow);
    const [first] = (request as { children: { options: { runAt: unknown } }[] }).children;
    assert.ok(first.options.runAt instanceof Date, 'DateTime options arrive as dates');
  });
});
