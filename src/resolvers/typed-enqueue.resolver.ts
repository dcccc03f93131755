import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { JobView } from '../jobs/job-view';
import type { JobOptionsRequest } from '../services/job-options';
import { JobOptionsInput } from '../schema/job-options.input';
import { JobType } from '../schema/job.type';
import type { JobDefinition } from '../jobs/job-definition';
import type { RequestContext } from './context';

/** A resolver class with one typed mutation for `definition`, e.g. `importParts(input, options)`. */
export function typedEnqueueResolver(definition: JobDefinition): new () => object {
  @Resolver()
  class TypedEnqueueResolver {
    @Mutation(() => JobType, { name: definition.name, description: `Enqueues a ${definition.name} job: ${definition.description}` })
    enqueueTyped(
      @Arg('input', () => definition.input) input: object,
      @Arg('options', () => JobOptionsInput, { nullable: true }) options: JobOptionsInput | null,
      @Ctx() { services, caller, requestId, trace }: RequestContext,
    ): Promise<JobView> {
      return services.enqueue.enqueue(
        { type: definition.name, data: { ...input }, options: options as JobOptionsRequest | null },
        { caller, requestId, trace },
        'input',
      );
    }
  }
  Object.defineProperty(TypedEnqueueResolver, 'name', { value: `${definition.name}EnqueueResolver` });
  return TypedEnqueueResolver;
}
