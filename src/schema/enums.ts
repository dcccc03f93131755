import { registerEnumType } from 'type-graphql';
import { JobEventType } from '../events/job-event';
import { JobState } from '../jobs/job-view';

/** How the delay between attempts grows. */
export enum BackoffType {
  FIXED = 'FIXED',
  EXPONENTIAL = 'EXPONENTIAL',
}

registerEnumType(JobState, { name: 'JobState', description: 'Where a job is in its life.' });
registerEnumType(JobEventType, {
  name: 'JobEventType',
  description: 'What happened to a job. SNAPSHOT is sent first (the state when the watch starts).',
});
registerEnumType(BackoffType, { name: 'BackoffType', description: 'How the delay between attempts grows.' });

export { JobEventType, JobState };
