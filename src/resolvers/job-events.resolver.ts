import { Arg, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import { canRead, readsAll } from '../auth/caller';
import { unknownQueue } from '../errors';
import type { JobEvent } from '../events/job-event';
import { parseGlobalId } from '../jobs/job-id';
import type { JobView } from '../jobs/job-view';
import { JobEventObject } from '../schema/job-event.type';
import { JobType } from '../schema/job.type';
import type { RequestContext } from './context';

interface JobEventsArgs {
  id: string;
  since?: string | null;
}

interface FlowEventsArgs {
  id: string;
  since?: string | null;
}

interface QueueEventsArgs {
  queue: string;
  since?: string | null;
}

@Resolver(() => JobEventObject)
export class JobEventsResolver {
  @Subscription(() => JobEventObject, {
    description: 'SNAPSHOT first (or the events after `since`), then every event of the job; completes after a final one.',
    subscribe: ({ args, context }) => {
      const { id, since } = args as JobEventsArgs;
      const { services, caller, pacing } = context as RequestContext;
      return services.hub.watchJob(parseGlobalId(id), since ?? undefined, (view) => canRead(caller, view.owner), pacing);
    },
  })
  jobEvents(
    @Root() event: JobEvent,
    @Arg('id', () => ID) _id: string,
    @Arg('since', () => String, { nullable: true, description: 'A cursor from an earlier event: resume after it.' }) _since: string | null,
  ): JobEvent {
    return event;
  }

  @Subscription(() => JobEventObject, {
    description:
      "SNAPSHOT of the flow's root first (or the events after `since`), then every event of every job of the tree rooted at `id`, each with `flow`, the tree's aggregate; completes after the root's final event, which comes last. Cursors are opaque: give one back as `since` to resume.",
    subscribe: ({ args, context }) => {
      const { id, since } = args as FlowEventsArgs;
      const { services, caller, pacing } = context as RequestContext;
      return services.hub.watchFlow(
        parseGlobalId(id),
        since ?? undefined,
        (view) => canRead(caller, view.owner),
        services.flowReader,
        pacing,
      );
    },
  })
  flowEvents(
    @Root() event: JobEvent,
    @Arg('id', () => ID, { description: "The flow's root job." }) _id: string,
    @Arg('since', () => String, { nullable: true, description: 'A cursor from an earlier `flowEvents` event: resume after it.' })
    _since: string | null,
  ): JobEvent {
    return event;
  }

  @Subscription(() => JobEventObject, {
    description:
      'Every job event of a queue (for dashboards); with `since`, replayed from there first. Callers who are neither viewer nor admin get only their own jobs.',
    subscribe: ({ args, context }) => {
      const { queue, since } = args as QueueEventsArgs;
      const { services, pacing, caller } = context as RequestContext;
      if (!services.store.queues.has(queue)) throw unknownQueue(queue, services.store.queues.names);
      return services.hub.watchQueue(queue, since ?? undefined, readsAll(caller) ? undefined : (view) => view.owner === caller.id, pacing);
    },
  })
  queueEvents(
    @Root() event: JobEvent,
    @Arg('queue', () => String) _queue: string,
    @Arg('since', () => String, { nullable: true }) _since: string | null,
  ): JobEvent {
    return event;
  }

  @FieldResolver(() => JobType, { description: 'The job as of this event.' })
  job(@Root() event: JobEvent): JobView | Promise<JobView> {
    return event.jobNow();
  }
}
