import type { NonEmptyArray } from 'type-graphql';
import type { JobRegistry } from '../jobs/registry';
import { EnqueueResolver } from './enqueue.resolver';
import { FlowResolver } from './flow.resolver';
import { JobControlResolver } from './job-control.resolver';
import { JobEventsResolver } from './job-events.resolver';
import { JobTypeResolver } from './job-type.resolver';
import { QueueControlResolver } from './queue-control.resolver';
import { QueueMonitoringResolver } from './queue-monitoring.resolver';
import { ScheduleResolver } from './schedule.resolver';
import { JobResolver } from './job.resolver';
import { MeResolver } from './me.resolver';
import { RecentJobsResolver } from './recent-jobs.resolver';
import { typedEnqueueResolver } from './typed-enqueue.resolver';
import { WorkerProcessResolver } from './worker-process.resolver';

/** Every resolver class of the schema, including one typed enqueue mutation per job type. */
export function resolvers(registry: JobRegistry): NonEmptyArray<new () => object> {
  return [
    JobResolver,
    RecentJobsResolver,
    MeResolver,
    JobTypeResolver,
    EnqueueResolver,
    FlowResolver,
    JobControlResolver,
    JobEventsResolver,
    QueueControlResolver,
    QueueMonitoringResolver,
    ScheduleResolver,
    WorkerProcessResolver,
    ...registry.definitions.map(typedEnqueueResolver),
  ];
}
