import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FlowNode } from '../../src/jobs/flow-reader';
import { addressOfJobKey } from '../../src/jobs/job-id';
import { JobState, type JobView } from '../../src/jobs/job-view';
import { FlowTally } from '../../src/jobs/flow-tally';

const aggregate = (tree: FlowNode[], views: (JobView | undefined)[]): ReturnType<FlowTally['view']> => new FlowTally(tree, views).view();

const ROOT = { queue: 'reports', jobId: 'f.000000' };

const node = (jobId: string, link: FlowNode['link'] = 'pending'): FlowNode => ({
  address: { queue: 'imports', jobId },
  parent: ROOT,
  depth: 1,
  link,
});

const view = (state: JobState, percent: number | null = null): JobView =>
  ({ state, progress: percent === null ? null : { percent, current: null, total: null, message: null, data: null } }) as JobView;

describe('flow progress', () => {
  it('counts descendants by state; percent is the mean, a finished one counting 100', () => {
    const tree = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => node(id));
    const views = [
      view(JobState.WAITING),
      view(JobState.WAITING_CHILDREN),
      view(JobState.ACTIVE, 50),
      view(JobState.COMPLETED, 100),
      view(JobState.FAILED, 10),
      view(JobState.CANCELLED, 20),
    ];
    assert.deepEqual(aggregate(tree, views), { total: 6, waiting: 2, active: 1, completed: 1, failed: 1, cancelled: 1, percent: 58.33 });
  });

  it('counts a job gone from Redis by how its parent held it', () => {
    const tree = [node('a', 'completed'), node('b', 'failed'), node('c', 'ignored'), node('d', 'pending')];
    assert.deepEqual(aggregate(tree, [undefined, undefined, undefined, undefined]), {
      total: 4,
      waiting: 0,
      active: 0,
      completed: 1,
      failed: 2,
      cancelled: 1,
      percent: 100,
    });
  });

  it('gives the same percent for the same progress however many updates led there', () => {
    // Progress as `progressOf` rounds it (6 items: 16.67, 33.33, …). A running float sum of such
    // values drifts, and at 83.33 + 50 + 0 + 33.33 the mean (41.665) sits on a rounding boundary:
    // the same event again (a LOG carries the job as it was) took it from 41.67 to 41.66.
    const steps = [0, 16.67, 33.33, 50, 66.67, 83.33];
    const updates = [
      [0, 1],
      [0, 2],
      [1, 1],
      [1, 2],
      [1, 3],
      [3, 1],
      [0, 3],
      [0, 4],
      [3, 2],
      [0, 5],
      [3, 2],
    ];
    const tree = ['a', 'b', 'c', 'd'].map((id) => node(id));
    const tally = new FlowTally(
      tree,
      tree.map(() => view(JobState.ACTIVE, 0)),
    );
    const at = [0, 0, 0, 0];
    const percents = updates.map(([job, step]) => {
      at[job] = step;
      tally.update({ ...view(JobState.ACTIVE, steps[step]), id: `imports:${'abcd'[job]}` });
      return tally.view().percent;
    });
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      `the mean never goes back: ${percents.join(' ')}`,
    );
    assert.equal(
      percents.at(-1),
      aggregate(
        tree,
        at.map((step) => view(JobState.ACTIVE, steps[step])),
      ).percent,
    );
  });

  it('is all zero for a job without children', () => {
    assert.deepEqual(aggregate([], []), { total: 0, waiting: 0, active: 0, completed: 0, failed: 0, cancelled: 0, percent: 0 });
  });

  it('reads the address of a BullMQ job key, prefix and cluster hash tag included', () => {
    assert.deepEqual(addressOfJobKey('jobgate:imports:3f2a-1.000002'), { queue: 'imports', jobId: '3f2a-1.000002' });
    assert.deepEqual(addressOfJobKey('t1:jobgate:{imports}:imports:7'), { queue: 'imports', jobId: '7' });
    assert.equal(addressOfJobKey('nothing'), undefined);
  });
});
