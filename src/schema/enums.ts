import { registerEnumType } from 'type-graphql';
import { JobEventType } from '../events/job-event';
import { ChildFailurePolicy } from '../jobs/flow-child';
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

registerEnumType(ChildFailurePolicy, {
  name: 'ChildFailurePolicy',
  description: 'What a child that fails for good does to its parent (set on the child).',
  valuesConfig: {
    FAIL_PARENT: { description: 'The parent never runs and ends FAILED (the default).' },
    IGNORE: { description: 'The parent runs once its other children are done, as if this child had not been there.' },
    CONTINUE: { description: "The parent runs once its other children are done, and its processor can read this child's failure." },
  },
});

export { ChildFailurePolicy, JobEventType, JobState };
