import { Ctx, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { WorkerEventView, WorkerProcessView } from '../services/worker-registry';
import { WorkerEventType, WorkerProcessType } from '../schema/worker-process.type';
import type { RequestContext } from './context';

@Resolver(() => WorkerProcessType)
export class WorkerProcessResolver {
  @Query(() => [WorkerProcessType], {
    description: 'Every worker process that heartbeats, lost ones included until they are forgotten (viewer or admin).',
  })
  async workerProcesses(@Ctx() { services, caller }: RequestContext): Promise<WorkerProcessView[]> {
    services.workerRegistry.authorize(caller);
    return services.workerRegistry.list();
  }

  @Subscription(() => WorkerEventType, {
    description:
      'ONLINE when a worker process starts, HEARTBEAT at each of its heartbeats (its figures now), OFFLINE when it stops cleanly, LOST when its heartbeats stop (viewer or admin).',
    subscribe: ({ context }) => {
      const { services, caller } = context as RequestContext;
      services.workerRegistry.authorize(caller);
      return services.workerRegistry.watch();
    },
  })
  workerEvents(@Root() event: WorkerEventView): WorkerEventView {
    return event;
  }
}
