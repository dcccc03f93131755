import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

describe('resuming past the event stream retention', () => {
  let stack: Stack;
  before(async () => {
    stack = await Stack.start({ workers: 1, env: { EVENT_STREAM_MAXLEN: '100' } });
  });
  after(() => stack.close());

  it('answers with a gap SNAPSHOT of the job instead of the trimmed events', async () => {
    const input = { project: 'P', phase: 'C', stage: '03', items: 600, msPerItem: 0 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    const first = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id });
    await eventually(() => first.results.length > 0, 5000, 'the snapshot');
    first.stop();
    await gqlOk(stack.url, PROMOTE, { id: job.id });
    const since = first.results[0].data!.jobEvents.cursor;
    await eventually(
      async () => (await gqlOk<{ job: { state: string } }>(stack.url, JOB, { id: job.id })).job.state === 'COMPLETED',
      20_000,
      'completion',
    );
    const resumed = record<JobEventPayload>(client, JOB_EVENTS, { id: job.id, since });
    await within(resumed.done, 5000, 'the resumed watch');
    await client.dispose();
    assert.equal(resumed.results.length, 1);
    const [snapshot] = resumed.results.map((result) => result.data!.jobEvents);
    assert.equal(snapshot.type, 'SNAPSHOT');
    assert.equal(snapshot.gap, true);
    assert.equal(snapshot.job.state, 'COMPLETED');
  });
});
