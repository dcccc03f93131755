import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { JobView } from '../jobs/job-view';
import type { JobOptionsRequest } from '../services/job-options';
import { EnqueueInput, JobOptionsInput } from '../schema/job-options.input';
import { JobType } from '../schema/job.type';
import { JSONScalar } from '../schema/scalars';
import type { RequestContext } from './context';

@Resolver()
export class EnqueueResolver {
  @Mutation(() => JobType, { description: "Enqueues a job of any registered type; data is validated against the type's input." })
  enqueue(
    @Arg('type', () => String) type: string,
    @Arg('data', () => JSONScalar) data: unknown,
    @Arg('options', () => JobOptionsInput, { nullable: true }) options: JobOptionsInput | null,
    @Ctx() { services, caller, requestId, trace }: RequestContext,
  ): Promise<JobView> {
    return services.enqueue.enqueue({ type, data, options: options as JobOptionsRequest | null }, { caller, requestId, trace });
  }

  @Mutation(() => [JobType], { description: 'Enqueues a batch in one Redis round trip per queue; all or nothing on validation.' })
  enqueueMany(
    @Arg('jobs', () => [EnqueueInput]) jobs: EnqueueInput[],
    @Ctx() { services, caller, requestId, trace }: RequestContext,
  ): Promise<JobView[]> {
    return services.enqueue.enqueueMany(jobs, { caller, requestId, trace });
  }
}
