import { Arg, Ctx, Int, Mutation, Resolver } from 'type-graphql';
import { JobState } from '../schema/enums';
import { QueueType, RateLimitInput } from '../schema/queue.type';
import type { RequestContext } from './context';
import { THROUGHPUT_MINUTES, toQueueType } from './queue-monitoring.resolver';

/** The queue as `queue(name)` shows it, after a change of its limits. */
async function queueAfter(name: string, { services }: RequestContext): Promise<QueueType> {
  const [overview] = await services.monitor.overview([name], THROUGHPUT_MINUTES);
  return toQueueType(overview);
}

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

  @Mutation(() => QueueType, {
    description:
      "Sets the queue's rate limit for every worker process, at each one's next fetch (Flower's rate_limit), or removes it with null; it stays in force, also for workers that start later, until resetQueueLimits (admin).",
  })
  async setQueueRateLimit(
    @Arg('queue', () => String) queue: string,
    @Arg('rateLimit', () => RateLimitInput, { nullable: true }) rateLimit: RateLimitInput | null,
    @Ctx() context: RequestContext,
  ): Promise<QueueType> {
    await context.services.queueControl.setRateLimit(queue, rateLimit ?? null, context.caller);
    return queueAfter(queue, context);
  }

  @Mutation(() => QueueType, {
    description:
      "Caps the queue's jobs active at once across every worker process (BullMQ global concurrency; Flower's pool controls act per worker), or lifts the cap with null; it stays in force until resetQueueLimits (admin).",
  })
  async setQueueGlobalConcurrency(
    @Arg('queue', () => String) queue: string,
    @Arg('concurrency', () => Int, { nullable: true }) concurrency: number | null,
    @Ctx() context: RequestContext,
  ): Promise<QueueType> {
    await context.services.queueControl.setGlobalConcurrency(queue, concurrency ?? null, context.caller);
    return queueAfter(queue, context);
  }

  @Mutation(() => QueueType, {
    description:
      "Drops the queue's limits set at runtime: the rate limit and global concurrency its workers were configured with apply again (admin).",
  })
  async resetQueueLimits(@Arg('queue', () => String) queue: string, @Ctx() context: RequestContext): Promise<QueueType> {
    await context.services.queueControl.resetLimits(queue, context.caller);
    return queueAfter(queue, context);
  }
}
