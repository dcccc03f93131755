import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execute, parse } from 'graphql';
import { JobEvent, JobEventType } from '../../src/events/job-event';
import { JobRegistry } from '../../src/jobs/registry';
import { JobState, type JobView } from '../../src/jobs/job-view';
import { buildJobgateSchema } from '../../src/resolvers/build-schema';

const view: JobView = {
  id: 'imports:1',
  queue: 'imports',
  jobId: '1',
  type: 'importParts',
  state: JobState.ACTIVE,
  data: {},
  progress: null,
  result: null,
  failedReason: null,
  attemptsMade: 0,
  attempt: 1,
  maxAttempts: 1,
  createdAt: new Date(1_000),
  startedAt: new Date(2_000),
  finishedAt: null,
  owner: 'jwt:ana',
  requestId: undefined,
};

// A running job's PROGRESS event carries its job: rendering it for its subscribers must not wait a turn.
describe('a subscription event whose job is known', () => {
  it('renders at once through the real schema, root field arguments and all', async () => {
    const schema = await buildJobgateSchema(new JobRegistry());
    const event = new JobEvent(JobEventType.PROGRESS, '5-0', new Date(5_000), 'imports', '1', async () => view).withJob(view);
    for (const query of [
      'subscription ($id: ID!, $since: String) { jobEvents(id: $id, since: $since) { type cursor at job { id state } } }',
      'subscription ($id: ID!) { flowEvents(id: $id) { type job { id } } }',
      'subscription { queueEvents(queue: "imports") { type job { id } } }',
    ]) {
      const result = execute({ schema, document: parse(query), rootValue: event, variableValues: { id: 'imports:1' }, contextValue: {} });
      assert.ok(!(result instanceof Promise), `${query} rendered at once`);
      assert.equal(result.errors, undefined);
    }
  });
});
