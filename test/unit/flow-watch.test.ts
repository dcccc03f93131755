import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeFlowCursor, encodeFlowCursor } from '../../src/events/flow-cursor';
import { JobgateError } from '../../src/errors';
import type { FlowNode } from '../../src/jobs/flow-reader';
import { FlowTally } from '../../src/jobs/flow-tally';
import { JobState, type JobView } from '../../src/jobs/job-view';

const root = { queue: 'reports', jobId: '1' };
const node = (jobId: string, link: FlowNode['link'] = 'pending'): FlowNode => ({
  address: { queue: 'imports', jobId },
  parent: root,
  depth: 1,
  link,
});
const view = (jobId: string, state: JobState, percent: number | null = null): JobView =>
  ({
    id: `imports:${jobId}`,
    state,
    progress: percent === null ? null : { percent, current: null, total: null, message: null, data: null },
  }) as JobView;

describe('flow cursors', () => {
  it('round-trip every queue position, whatever the order they were set in', () => {
    const positions = new Map([
      ['reports', '1700000000000-3'],
      ['imports', '1700000000001-0'],
    ]);
    const cursor = encodeFlowCursor(positions);
    assert.deepEqual(decodeFlowCursor(cursor), positions);
    assert.equal(cursor, encodeFlowCursor(new Map([...positions].reverse())));
  });

  it('refuse what is not one, as BAD_USER_INPUT on `since`', () => {
    const bad = (payload: unknown): string => `flow.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
    for (const since of [
      '1700000000000-0',
      'flow.',
      'flow.!!!',
      bad({}),
      bad([]),
      bad([['imports']]),
      bad([['imports', 'yesterday']]),
      bad([
        ['imports', '1-0'],
        ['imports', '2-0'],
      ]),
      `flow.${'A'.repeat(5000)}`,
    ]) {
      assert.throws(
        () => decodeFlowCursor(since),
        (error: unknown) =>
          error instanceof JobgateError && error.extensions.code === 'BAD_USER_INPUT' && error.extensions.field === 'since',
        since.slice(0, 40),
      );
    }
  });
});

describe('FlowTally', () => {
  it('counts descendants by state, a finished one counting 100 in the mean', () => {
    const tally = new FlowTally(
      [node('2'), node('3'), node('4'), node('5', 'completed')],
      [view('2', JobState.ACTIVE, 50), view('3', JobState.WAITING_CHILDREN), view('4', JobState.FAILED), undefined],
    );
    assert.deepEqual(tally.view(), { total: 4, waiting: 1, active: 1, completed: 1, failed: 1, cancelled: 0, percent: 62.5 });
  });

  it('moves with each event of a descendant, ignores other jobs and unknown states', () => {
    const tally = new FlowTally([node('2'), node('3')], [view('2', JobState.WAITING), view('3', JobState.WAITING)]);
    tally.update(view('2', JobState.ACTIVE, 40));
    assert.deepEqual(tally.view(), { total: 2, waiting: 1, active: 1, completed: 0, failed: 0, cancelled: 0, percent: 20 });
    tally.update(view('9', JobState.COMPLETED));
    tally.update(view('3', JobState.UNKNOWN));
    tally.update(view('2', JobState.COMPLETED, 40));
    tally.update(view('3', JobState.CANCELLED));
    assert.deepEqual(tally.view(), { total: 2, waiting: 0, active: 0, completed: 1, failed: 0, cancelled: 1, percent: 100 });
  });

  it('counts a job not started as 0, whatever progress its hash keeps', () => {
    const tally = new FlowTally([node('2')], [view('2', JobState.WAITING, 100)]);
    assert.equal(tally.view().percent, 0);
    tally.update(view('2', JobState.DELAYED, 60));
    assert.equal(tally.view().percent, 0);
  });

  it('moves a job only forward on an event it may already show, and says when the whole tree finished', () => {
    const tally = new FlowTally([node('2'), node('3')], [view('2', JobState.COMPLETED), view('3', JobState.ACTIVE, 50)]);
    tally.update(view('2', JobState.ACTIVE, 10), true);
    tally.update(view('3', JobState.ACTIVE, 30), true);
    tally.update(view('3', JobState.WAITING), true);
    assert.deepEqual(tally.view(), { total: 2, waiting: 0, active: 1, completed: 1, failed: 0, cancelled: 0, percent: 75 });
    assert.equal(tally.finished, false);
    tally.update(view('3', JobState.ACTIVE, 80), true);
    assert.equal(tally.view().percent, 90);
    tally.update(view('3', JobState.FAILED), true);
    assert.equal(tally.finished, true);
    // A later event (a retry) moves it back: the tally tells what is true.
    tally.update(view('3', JobState.WAITING));
    assert.deepEqual(tally.view(), { total: 2, waiting: 1, active: 0, completed: 1, failed: 0, cancelled: 0, percent: 50 });
  });

  it('counts a job gone from Redis by how its parent held it', () => {
    const tally = new FlowTally([node('2', 'pending'), node('3', 'failed'), node('4', 'ignored')], [undefined, undefined, undefined]);
    assert.deepEqual(tally.view(), { total: 3, waiting: 0, active: 0, completed: 0, failed: 2, cancelled: 1, percent: 100 });
  });
});
