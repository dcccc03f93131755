import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import { canRead, readsAll } from '../auth/caller';
import { unknownQueue } from '../errors';
import { JobState } from '../schema/enums';
import { JobConnection } from '../schema/job-connection.type';
import { JobType } from '../schema/job.type';
import type { RequestContext } from './context';

@Resolver(() => JobType)
export class RecentJobsResolver {
  @Query(() => JobConnection, {
    description: `Jobs the caller may see (every job for viewer/admin, its own for a submitter), newest first by creation time,
across every queue or one; optionally only some states and one type. Keyset-paginated: jobs enqueued after the
first page never shift later pages. A page may hold fewer than \`first\` jobs while \`hasNextPage\` is true (a filter
matched few of the jobs read): go on from \`endCursor\`, which may then lie past the last edge. \`totalCount\` counts
the caller's jobs in the queues listed whatever \`states\` and \`type\` (jobs removed since a listing last passed them
may still count).`,
  })
  async recentJobs(
    @Arg('queue', () => String, { nullable: true }) queue: string | null | undefined,
    @Arg('states', () => [JobState], { nullable: true }) states: JobState[] | null | undefined,
    @Arg('type', () => String, { nullable: true }) type: string | null | undefined,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() { services, loaders, caller }: RequestContext,
  ): Promise<JobConnection> {
    // An argument left out is undefined, one given as null is null: both mean none.
    if (queue != null && !services.store.queues.has(queue)) throw unknownQueue(queue, services.store.queues.names);
    // A caller who sees only its own jobs reads its own index: other owners' jobs are neither read nor counted.
    const page = await services.recentJobs.page({
      queue: queue ?? undefined,
      states: states ?? undefined,
      type: type ?? undefined,
      first,
      after: after ?? undefined,
      owner: readsAll(caller) ? undefined : caller.id,
    });
    const edges = page.edges.flatMap(({ view, cursor }) => {
      if (!canRead(caller, view.owner)) return [];
      loaders.job.prime(view, view);
      return [{ cursor, node: view as JobType }];
    });
    return { edges, totalCount: page.totalCount, pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor } };
  }
}
