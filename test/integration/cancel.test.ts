import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { IMPORT_PARTS, JOB, JOB_EVENTS, type EnqueuedJob, type JobEventPayload } from './operations';

const CANCEL = `mutation ($id: ID!) { cancelJob(id: $id) { id state } }`;
const RETRY = `mutation ($id: ID!) { retryJob(id: $id) { id state } }`;

describe('cancelling jobs', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1 });
  });
  after(() => stack.close());

  it('cancels a waiting job: CANCELLED event, it never runs, job() still answers CANCELLED', async () => {
    const input = { project: 'P', phase: 'A', stage: '1', items: 3, msPerItem: 0 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: { delayMs: 60_000 } });
    const client = wsClient(stack.wsUrl);
    const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    await eventually(() => recording.results.length > 0, 5000, 'the snapshot');
    const { cancelJob } = await gqlOk<{ cancelJob: { state: string } }>(stack.url, CANCEL, { id: job.id });
    assert.equal(cancelJob.state, 'CANCELLED');
    await within(recording.done, 5000, 'the end of the watch');
    await client.dispose();
    const types = recording.results.map((result) => result.data!.jobEvents.type);
    assert.deepEqual(types, ['SNAPSHOT', 'CANCELLED']);
    const { job: after } = await gqlOk<{ job: { state: string; attemptsMade: number } }>(stack.url, JOB, { id: job.id });
    assert.equal(after.state, 'CANCELLED');
    assert.equal(after.attemptsMade, 0);
    const again = await gql(stack.url, CANCEL, { id: job.id });
    assert.equal(again.errors?.[0].extensions?.code, 'BAD_USER_INPUT');
  });

  it('aborts an active job in its worker process within a second, without retry; retryJob runs it again', async () => {
    const input = { project: 'P', phase: 'A', stage: '1', items: 200, msPerItem: 50 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input });
    const client = wsClient(stack.wsUrl);
    const recording = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    await eventually(() => recording.results.some((result) => result.data?.jobEvents.type === 'PROGRESS'), 10_000, 'progress');
    const cancelledAt = Date.now();
    await gqlOk(stack.url, CANCEL, { id: job.id });
    await within(recording.done, 1000, 'the CANCELLED event');
    assert.ok(Date.now() - cancelledAt < 1000);
    await client.dispose();
    const last = recording.results.at(-1)!.data!.jobEvents;
    assert.equal(last.type, 'CANCELLED');
    assert.equal(last.job.state, 'CANCELLED');
    assert.equal(last.job.attemptsMade, 1, 'no further attempt');
    assert.ok(last.job.progress!.current! < 200);
    const { retryJob } = await gqlOk<{ retryJob: { id: string; state: string } }>(stack.url, RETRY, { id: job.id });
    assert.equal(retryJob.id, job.id);
    assert.notEqual(retryJob.state, 'CANCELLED');
  });
});
