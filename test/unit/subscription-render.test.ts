import 'reflect-metadata';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { execute, parse } from 'graphql';
import { JobEvent, JobEventType } from '../../src/events/job-event';
import { JobRegistry } from '../../src/jobs/registry';
import { buildJobgateSchema } from '../../src/resolvers/build-schema';
import { runningJobView } from '../support/job-view';

const view = runningJobView('imports', '1');

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
