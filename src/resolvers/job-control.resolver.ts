import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { parseGlobalId } from '../jobs/job-id';
import type { JobView } from '../jobs/job-view';
import { JobType } from '../schema/job.type';
import type { RequestContext } from './context';

@Resolver()
export class JobControlResolver {
  @Mutation(() => JobType, { description: 'Cancels a job: removed if it has not started, aborted on its worker if it runs.' })
  cancelJob(@Arg('id', () => ID) id: string, @Ctx() { services, caller }: RequestContext): Promise<JobView> {
    return services.control.cancel(parseGlobalId(id), caller);
  }

  @Mutation(() => JobType, { description: 'Runs a DELAYED job now.' })
  promoteJob(@Arg('id', () => ID) id: string, @Ctx() { services, caller }: RequestContext): Promise<JobView> {
    return services.control.promote(parseGlobalId(id), caller);
  }

  @Mutation(() => JobType, { description: 'Deletes a job that is not running; returns it as it was.' })
  removeJob(@Arg('id', () => ID) id: string, @Ctx() { services, caller }: RequestContext): Promise<JobView> {
    return services.control.remove(parseGlobalId(id), caller);
  }

  @Mutation(() => JobType, { description: 'Runs a FAILED or CANCELLED job again.' })
  retryJob(@Arg('id', () => ID) id: string, @Ctx() { services, caller }: RequestContext): Promise<JobView> {
    return services.control.retry(parseGlobalId(id), caller);
  }
}
