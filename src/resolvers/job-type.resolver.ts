import { Ctx, Query, Resolver } from 'type-graphql';
import { JobTypeInfo } from '../schema/job-type-info.type';
import type { RequestContext } from './context';

@Resolver(() => JobTypeInfo)
export class JobTypeResolver {
  @Query(() => [JobTypeInfo], { description: 'The registered job types.' })
  jobTypes(@Ctx() { services }: RequestContext): JobTypeInfo[] {
    return services.registry.definitions.map((definition) => ({
      name: definition.name,
      queue: definition.queue,
      description: definition.description,
      inputType: definition.input.name,
      defaultOptions: definition.defaults,
    }));
  }
}
