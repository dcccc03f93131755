import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { JobView } from '../jobs/job-view';
import type { JobOptionsRequest } from '../services/job-options';
import { EnqueueInput, JobOptionsInput } from '../schema/job-options.input';
import { JobType } from '../schema/job.type';
import { JSONScalar } from '../schema/scalars';
import type { RequestContext } from './context';

/** `enqueue`'s arguments as GraphQL coerced them. */
interface EnqueueArgs {
  type: string;
  data: unknown;
  options?: JobOptionsRequest | null;
}

/** `enqueueMany`'s arguments as GraphQL coerced them. */
interface EnqueueManyArgs {
  jobs: EnqueueArgs[];
}

function enqueueOne({ type, data, options }: EnqueueArgs, { services, caller, requestId, trace }: RequestContext): Promise<JobView> {
  return services.enqueue.enqueue({ type, data, options }, { caller, requestId, trace });
}

function enqueueBatch({ jobs }: EnqueueManyArgs, { services, caller, requestId, trace }: RequestContext): Promise<JobView[]> {
  return services.enqueue.enqueueMany(jobs, { caller, requestId, trace });
}

/**
 * The mutations of {@link EnqueueResolver} on GraphQL's own arguments, bound by build-schema in
 * place of type-graphql's wrapper, which turns each input object into an instance of its class
 * and waits a promise per argument: the service reads these inputs as plain values and checks
 * every one of them itself (JobPreparer).
 */
export const enqueueFieldResolvers = {
  enqueue: (_root: unknown, args: EnqueueArgs, context: RequestContext): Promise<JobView> => enqueueOne(args, context),
  enqueueMany: (_root: unknown, args: EnqueueManyArgs, context: RequestContext): Promise<JobView[]> => enqueueBatch(args, context),
};

@Resolver()
export class EnqueueResolver {
  @Mutation(() => JobType, { description: "Enqueues a job of any registered type; data is validated against the type's input." })
  enqueue(
    @Arg('type', () => String) type: string,
    @Arg('data', () => JSONScalar) data: unknown,
    @Arg('options', () => JobOptionsInput, { nullable: true }) options: JobOptionsInput | null,
    @Ctx() context: RequestContext,
  ): Promise<JobView> {
    return enqueueOne({ type, data, options: options as JobOptionsRequest | null }, context);
  }

  @Mutation(() => [JobType], { description: 'Enqueues a batch in one Redis round trip per queue; all or nothing on validation.' })
  enqueueMany(@Arg('jobs', () => [EnqueueInput]) jobs: EnqueueInput[], @Ctx() context: RequestContext): Promise<JobView[]> {
    return enqueueBatch({ jobs: jobs as EnqueueArgs[] }, context);
  }
}
