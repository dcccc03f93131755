import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'bullmq';
import type { Config } from '../../src/config';
import type { RedisClient } from '../../src/redis/connections';
import type { CancelledJobs } from '../../src/services/cancelled-jobs';
import { JobStore } from '../../src/services/job-store';
import type { QueueSet } from '../../src/services/queue-set';
import type { JobAddress } from '../../src/jobs/job-id';
import { JobState } from '../../src/jobs/job-view';

const ACTIVE = { id: '7', name: 'report', data: {}, opts: {}, progress: 0, attemptsMade: 0, timestamp: 1_000, processedOn: 2_000 };
const COMPLETED = { ...ACTIVE, attemptsMade: 1, finishedOn: 3_000, returnvalue: { rows: 2 } };

/**
 * A store whose reads of the job's fields and of its state answer from scripted sequences: what
 * Redis answers when a worker finishes the job between the two reads.
 */
function storeReading(fields: (typeof ACTIVE)[], states: string[]): JobStore {
  const queues = { has: () => true, get: () => ({ getJobState: async () => states.shift() ?? 'unknown' }) } as unknown as QueueSet;
  const store = new JobStore({} as Config, {} as RedisClient, queues, {} as CancelledJobs);
  store.fetch = async (_address: JobAddress) => fields.shift() as unknown as Job;
  return store;
}

describe('JobStore.load', () => {
  it('reads again when a job finished between the read of its fields and of its state', async () => {
    const view = await storeReading([ACTIVE, COMPLETED], ['completed', 'completed']).load({ queue: 'reports', jobId: '7' });
    assert.equal(view?.state, JobState.COMPLETED);
    assert.deepEqual(view?.result, { rows: 2 }, 'a COMPLETED job shows its result');
  });

  it('reads once when fields and state agree', async () => {
    const store = storeReading([COMPLETED, ACTIVE], ['completed', 'active']);
    assert.deepEqual((await store.load({ queue: 'reports', jobId: '7' }))?.result, { rows: 2 });
  });
});
