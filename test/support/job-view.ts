import { JobState, type JobView } from '../../src/jobs/job-view';

/** A running job as the gateway reads it, for tests that need a view and no Redis. */
export function runningJobView(queue: string, jobId: string): JobView {
  return {
    id: `${queue}:${jobId}`,
    queue,
    jobId,
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
    startedAt: null,
    finishedAt: null,
    owner: 'jwt:ana',
    requestId: undefined,
  };
}
