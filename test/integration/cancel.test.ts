import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, gql, gqlOk, record, within, wsClient } from '../support/graphql';
import { Stack } from '../support/stack';
import { HELD, IMPORT_PARTS, JOB, JOB_EVENTS, PROMOTE, type EnqueuedJob, type JobEventPayload } from './operations';

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
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, {
      input,
      options: { delayMs: 60_000 },
    });
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

  it('runs a job cancelled mid-run again from no progress: its ACTIVE event says attempt 1 and progress 0', async () => {
    type RunEvent = {
      type: string;
      cursor: string;
      job: { state: string; attempt: number; attemptsMade: number; progress: { percent: number | null; current: number | null } | null };
    };
    const RUN_EVENTS = `subscription ($id: ID!, $since: String) { jobEvents(id: $id, since: $since) { type cursor job { state attempt attemptsMade progress { percent current } } } }`;
    const input = { project: 'P', phase: 'B', stage: '2', items: 200, msPerItem: 50 };
    const { importParts: job } = await gqlOk<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input, options: HELD });
    const client = wsClient(stack.wsUrl);
    try {
      const first = record<{ jobEvents: RunEvent }>(client, RUN_EVENTS, { id: job.id });
      await eventually(() => first.results.length > 0, 5000, 'the snapshot');
      await gqlOk(stack.url, PROMOTE, { id: job.id });
      const progressOf = (recording: typeof first) =>
        recording.results.map((result) => result.data!.jobEvents).filter((event) => event.type === 'PROGRESS');
      await eventually(
        () => progressOf(first).some((event) => (event.job.progress?.current ?? 0) >= 5),
        10_000,
        'five items of the first run',
      );
      const running = first.results.find((result) => result.data?.jobEvents.type === 'ACTIVE')!.data!.jobEvents;
      assert.deepEqual({ attempt: running.job.attempt, attemptsMade: running.job.attemptsMade }, { attempt: 1, attemptsMade: 0 });
      await gqlOk(stack.url, CANCEL, { id: job.id });
      await within(first.done, 5000, 'the CANCELLED event');
      const cancelled = first.results.at(-1)!.data!.jobEvents;
      assert.equal(cancelled.type, 'CANCELLED');
      assert.ok((cancelled.job.progress?.current ?? 0) >= 5);
      assert.deepEqual({ attempt: cancelled.job.attempt, attemptsMade: cancelled.job.attemptsMade }, { attempt: 1, attemptsMade: 1 });

      // From the CANCELLED event on (resumed once the job runs again: a watch of a finished job would end at once), the run
      // started by retryJob, until it has made some progress.
      await gqlOk(stack.url, RETRY, { id: job.id });
      const second = record<{ jobEvents: RunEvent }>(client, RUN_EVENTS, { id: job.id, since: cancelled.cursor });
      await eventually(
        () => progressOf(second).some((event) => (event.job.progress?.current ?? 0) >= 3),
        10_000,
        'three items of the second run',
      );
      await gqlOk(stack.url, CANCEL, { id: job.id });
      await within(second.done, 5000, 'the second CANCELLED event');
      const events = second.results.map((result) => result.data!.jobEvents);
      const types = events.map((event) => event.type);
      const activeAt = types.indexOf('ACTIVE');
      assert.ok(activeAt >= 0, types.join(','));
      const active = events[activeAt].job;
      assert.deepEqual(
        { attempt: active.attempt, attemptsMade: active.attemptsMade },
        { attempt: 1, attemptsMade: 0 },
        'retryJob starts the attempts again',
      );
      assert.deepEqual(
        active.progress,
        { percent: 0, current: null },
        "the ACTIVE event carries the progress of a run that has reported none, not the cancelled run's",
      );
      // Then progress only grows: the worker's reset to 0 (so that job(id) shows it too), then 1, 2, 3…
      const currents = events
        .slice(activeAt + 1)
        .filter((event) => event.type === 'PROGRESS')
        .map((event) => event.job.progress?.current ?? 0);
      assert.deepEqual(currents.slice(0, 4), [0, 1, 2, 3], currents.join(','));
    } finally {
      await client.dispose();
    }
  });
});
