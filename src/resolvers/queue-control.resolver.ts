import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { JobState } from '../schema/enums';
import type { RequestContext } from './context';

@Resolver()
export class QueueControlResolver {
  @Mutation(() => Boolean, { description: 'Pauses a queue: workers start no new job from it (admin).' })
  async pauseQueue(@Arg('queue', () => String) queue: string, @Ctx() { services, caller }: RequestContext): Promise<boolean> {
    await services.queueControl.pause(queue, caller);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Resumes a paused queue (admin).' })
  async resumeQueue(@Arg('queue', () => String) queue: string, @Ctx() { services, caller }: RequestContext): Promise<boolean> {
    await services.queueControl.resume(queue, caller);
    return true;
  }

  @Mutation(() => Boolean, { description: 'Deletes the waiting jobs of a queue, and the delayed ones with `delayed` (admin).' })
  async drainQueue(
    @Arg('queue', () => String) queue: string,
    @Arg('delayed', () => Boolean, { defaultValue: false }) delayed: boolean,
    @Ctx() { services, caller }: RequestContext,
  ): Promise<boolean> {
    await services.queueControl.drain(queue, delayed, caller);
    return true;
  }

  @Mutation(() => Int, { description: 'Deletes up to `limit` jobs in `state` older than `olderThanSeconds`; returns how many (admin).' })
  cleanQueue(
    @Arg('queue', () => String) queue: string,
    @Arg('state', () => JobState) state: JobState,
    @Arg('olderThanSeconds', () => Int) olderThanSeconds: number,
    @Arg('limit', () => Int, { defaultValue: 1000 }) limit: number,
    @Ctx() { services, caller }: RequestContext,
  ): Promise<number> {
    return services.queueControl.clean(queue, state, olderThanSeconds, limit, caller);
  }

  @Mutation(() => Int, { description: 'Moves up to `limit` failed jobs back to waiting; returns how many (admin).' })
  retryFailed(
    @Arg('queue', () => String) queue: string,
    @Arg('limit', () => Int, { defaultValue: 1000 }) limit: number,
    @Ctx() { services, caller }: RequestContext,
  ): Promise<number> {
    return services.queueControl.retryFailed(queue, limit, caller);
  }
}
