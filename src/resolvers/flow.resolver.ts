import { Arg, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { badInput } from '../errors';
import type { FlowProgressView } from '../jobs/flow-reader';
import type { JobView } from '../jobs/job-view';
import { decodeOffset, encodeOffset, MAX_PAGE_SIZE } from '../services/job-list.service';
import type { FlowRequest } from '../services/flow.service';
import { FlowProgressType } from '../schema/flow-progress.type';
import { JobConnection } from '../schema/job-connection.type';
import { FlowInput } from '../schema/job-options.input';
import { JobType } from '../schema/job.type';
import { ReadCost } from '../schema/read-cost';
import type { RequestContext } from './context';

/**
 * What `Job.flow` costs in the cost limit beyond its selection, in jobs of a page: reading a tree
 * reads each of its jobs. `jobs(first: 500) { edges { node { flow { total } } } }` (500 trees) is
 * then refused by the default MAX_QUERY_COST, while `children(first: 100)` with each child's
 * `flow` (a tree drawn two levels deep) passes.
 */
const FLOW_READ_COST_IN_PAGE_ITEMS = 5;

/**
 * The parent read for a view of a job, per view object. A view is a snapshot (one per event, or
 * per request), and `flowEvents` hands the same view of an event to every watch of the flow, each
 * rendering it with its own aggregate: the parent is then read once per event, not once per watch.
 */
const parentReads = new WeakMap<JobView, Promise<JobView | undefined>>();

function enqueueTree(flow: FlowRequest, { services, caller, requestId, trace }: RequestContext): Promise<JobView> {
  return services.flows.add(flow, { caller, requestId, trace });
}

/**
 * `enqueueFlow` on GraphQL's own arguments, bound by build-schema in place of type-graphql's
 * wrapper, which would copy every node of the tree (a thousand children) into an instance of
 * its input class first: the flow service reads the tree as plain values and checks every node
 * itself (JobPreparer), as the enqueue mutations do (`enqueueFieldResolvers`).
 */
export const flowFieldResolvers = {
  enqueueFlow: (_root: unknown, args: { flow: FlowRequest }, context: RequestContext): Promise<JobView> => enqueueTree(args.flow, context),
};

/** Flows: `enqueueFlow`, and where a job sits in one (`parent`, `children`, `flow`). */
@Resolver(() => JobType)
export class FlowResolver {
  @Mutation(() => JobType, {
    description:
      'Enqueues a tree of jobs of any types and queues, atomically: each job runs once its children completed and can read their results. Returns the root.',
  })
  enqueueFlow(@Arg('flow', () => FlowInput) flow: FlowInput, @Ctx() context: RequestContext): Promise<JobView> {
    return enqueueTree(flow as FlowRequest, context);
  }

  /**
   * Not caller-dependent, so that `flowEvents` renders `parent` once per event for every watcher:
   * whoever sees a job may see the jobs of its flow that have the same owner (every job of a flow
   * Jobgate adds has), and no caller sees the others here.
   */
  @FieldResolver(() => JobType, {
    nullable: true,
    description: "The job's parent in a flow; null if it has none, or if it has another owner than the job.",
  })
  async parent(@Root() job: JobView, @Ctx() { loaders }: RequestContext): Promise<JobView | null> {
    if (!job.parent) return null;
    let read = parentReads.get(job);
    if (!read) parentReads.set(job, (read = loaders.job.load(job.parent)));
    const parent = await read;
    return parent && parent.owner === job.owner ? parent : null;
  }

  @FieldResolver(() => JobConnection, {
    description: "The job's direct children in a flow, in the order they were given (those with the job's owner).",
  })
  async children(
    @Root() job: JobView,
    @Arg('first', () => Int, { nullable: true, defaultValue: 100 }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { services, loaders }: RequestContext,
  ): Promise<JobConnection> {
    const count = first ?? 100;
    if (!Number.isInteger(count) || count < 0 || count > MAX_PAGE_SIZE)
      throw badInput('first', `first must be an integer from 0 to ${MAX_PAGE_SIZE}`);
    const start = after ? decodeOffset(after) + 1 : 0;
    const nodes = await services.flowReader.children(job);
    const views = await loaders.job.loadMany(nodes.map((node) => node.address));
    const visible = views.filter((view): view is JobView => !!view && !(view instanceof Error) && view.owner === job.owner);
    const page = visible.slice(start, start + count);
    return {
      edges: page.map((view, index) => ({ cursor: encodeOffset(start + index), node: view as JobType })),
      totalCount: visible.length,
      pageInfo: {
        hasNextPage: start + count < visible.length,
        endCursor: page.length === 0 ? null : encodeOffset(start + page.length - 1),
      },
    };
  }

  @FieldResolver(() => FlowProgressType, {
    nullable: true,
    description: 'The aggregate of every descendant (all levels); null for a job without children.',
  })
  @ReadCost(FLOW_READ_COST_IN_PAGE_ITEMS)
  async flow(@Root() job: JobView, @Ctx() { services }: RequestContext): Promise<FlowProgressView | null> {
    const progress = await services.flowReader.flowProgress(job);
    return progress.total === 0 ? null : progress;
  }
}
