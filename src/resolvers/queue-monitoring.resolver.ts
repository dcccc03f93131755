import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root, Subscription } from 'type-graphql';
import { canRead } from '../auth/caller';
import type { JobView } from '../jobs/job-view';
import type { QueueOverview } from '../services/queue-monitor.service';
import type { QueueStatsView } from '../services/queue-stats-hub';
import type { WorkerView } from '../services/worker-clients';
import { CallerDependent } from '../schema/caller-dependent';
import { JobState } from '../schema/enums';
import { JobType } from '../schema/job.type';
import { QueueStatsType, QueueType, QueueWorkerType } from '../schema/queue.type';
import type { RequestContext } from './context';

/** Minutes of throughput `Queue` shows. */
export const THROUGHPUT_MINUTES = 60;

/** A queue's overview as the `Queue` object type. */
export const toQueueType = ({ queue, ...overview }: QueueOverview): QueueType => ({ name: queue, ...overview });

@Resolver(() => QueueType)
export class QueueMonitoringResolver {
  @Query(() => [QueueType], { description: 'Every queue: counts by state, paused, rate limit, workers, throughput (viewer or admin).' })
  async queues(@Ctx() { services, caller }: RequestContext): Promise<QueueType[]> {
    services.monitor.authorize(caller);
    return (await services.monitor.overview(services.monitor.names, THROUGHPUT_MINUTES)).map(toQueueType);
  }

  @Query(() => QueueType, { description: 'One queue, like an entry of `queues` (viewer or admin).' })
  async queue(@Arg('name', () => String) name: string, @Ctx() { services, caller }: RequestContext): Promise<QueueType> {
    services.monitor.authorize(caller);
    services.monitor.check(name, 'name');
    const [overview] = await services.monitor.overview([name], THROUGHPUT_MINUTES);
    return toQueueType(overview);
  }

  @Query(() => [QueueWorkerType], { description: 'The workers connected to a queue now (viewer or admin).' })
  async workers(@Arg('queue', () => String) queue: string, @Ctx() { services, caller }: RequestContext): Promise<WorkerView[]> {
    services.monitor.authorize(caller);
    services.monitor.check(queue);
    return services.monitor.workers(queue);
  }

  @FieldResolver(() => [JobType], {
    description: "What the queue's workers run now, newest first (BullMQ does not record which worker holds which job).",
  })
  @CallerDependent() // only the jobs the caller may read
  async activeJobs(
    @Root() queue: QueueType,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() { services, loaders, caller }: RequestContext,
  ): Promise<JobView[]> {
    const page = await services.jobList.list(queue.name, [JobState.ACTIVE], first, undefined);
    const views = page.views.filter((view) => canRead(caller, view.owner));
    for (const view of views) loaders.job.prime(view, view);
    return views;
  }

  @Subscription(() => QueueStatsType, {
    description: "The queue's counts now, then whenever they change (at most every 250 ms), shared by every subscriber (viewer or admin).",
    subscribe: ({ args, context }) => {
      const { queue } = args as { queue: string };
      const { services, caller } = context as RequestContext;
      services.monitor.authorize(caller);
      services.monitor.check(queue);
      return services.queueStats.watch(queue);
    },
  })
  queueStats(@Root() stats: QueueStatsView, @Arg('queue', () => String) _queue: string): QueueStatsView {
    return stats;
  }
}
