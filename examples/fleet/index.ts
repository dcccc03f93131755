import type { JobDefinition } from '../../src/jobs/job-definition';
import { cleanupJobs } from './cleanup.jobs';
import { notificationJobs } from './notifications.jobs';
import { positionJobs } from './positions.jobs';
import { reportJobs } from './reports.jobs';

/**
 * The fleet-tracking back-end of the second seed, ported from Celery (README.md here): its job
 * types on its four queues, with its five beat schedules declared beside them. `JOBGATE_EXAMPLES=fleet`
 * registers them on the gateway and the workers (src/jobs/examples.ts loads this file).
 */
export const jobs: readonly JobDefinition[] = [...positionJobs, ...reportJobs, ...cleanupJobs, ...notificationJobs] as JobDefinition[];
