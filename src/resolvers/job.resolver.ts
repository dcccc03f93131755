import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { canControl, canRead, readsAll } from '../auth/caller';
import { badInput, unknownQueue } from '../errors';
import { parseGlobalId } from '../jobs/job-id';
import { encodeOffset } from '../services/job-list.service';
import {
  ATTEMPTS_FIELD,
  attemptsOf,
  logEntryOf,
  MAX_LOG_LINES,
  type JobAttemptView,
  type JobLogEntryView,
  type JobOptionsView,
  type JobView,
} from '../jobs/job-view';
import { delayedUntil } from '../services/next-run';
import { DateTimeScalar, JSONScalar } from '../schema/scalars';
import { JobAttemptType, JobLogEntryType } from '../schema/job-history.type';
import { CallerDependent } from '../schema/caller-dependent';
import { JobState } from '../schema/enums';
import { JobConnection } from '../schema/job-connection.type';
import { JobType } from '../schema/job.type';
import type { RequestContext } from './context';

@Resolver(() => JobType)
export class JobResolver {
  @Query(() => JobType, { nullable: true, description: 'The job, or null when it is absent or not yours.' })
  async job(@Arg('id', () => ID) id: string, @Ctx() { loaders, caller }: RequestContext): Promise<JobView | null> {
    const view = await loaders.job.load(parseGlobalId(id));
    return view && canRead(caller, view.owner) ? view : null;
  }

  @Query(() => JobConnection, { description: "A page of a queue's jobs, filtered by state." })
  async jobs(
    @Arg('queue', () => String) queue: string,
    @Arg('states', () => [JobState], { nullable: true }) states: JobState[] | null,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() { services, loaders, caller }: RequestContext,
  ): Promise<JobConnection> {
    if (!services.store.queues.has(queue)) throw unknownQueue(queue, services.store.queues.names);
    // A caller who sees only its own jobs gets them counted and paged on their own: counts of
    // the whole queue would tell it how many jobs other owners have.
    const page = await services.jobList.list(
      queue,
      states ?? undefined,
      first,
      after ?? undefined,
      readsAll(caller) ? undefined : caller.id,
    );
    const edges = page.views.flatMap((view, index) => {
      if (!canRead(caller, view.owner)) return [];
      loaders.job.prime(view, view);
      return [{ cursor: encodeOffset(page.offsets[index]), node: view as JobType }];
    });
    const last = page.offsets[page.offsets.length - 1];
    return {
      edges,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: last === undefined ? null : encodeOffset(last) },
    };
  }

  @FieldResolver(() => [String], { description: 'The last log lines the processor wrote, oldest first: their messages (see logEntries).' })
  async logs(
    @Root() job: JobView,
    @Arg('last', () => Int, { defaultValue: 50 }) last: number,
    @Ctx() { loaders }: RequestContext,
  ): Promise<string[]> {
    return (await this.logLines(job, last, loaders)).map((line) => logEntryOf(line).message);
  }

  @FieldResolver(() => [JobLogEntryType], {
    description:
      'The last log lines the processor wrote, oldest first, each with its time and attempt (null for lines written before they were stamped).',
  })
  async logEntries(
    @Root() job: JobView,
    @Arg('last', () => Int, { defaultValue: 200 }) last: number,
    @Ctx() { loaders }: RequestContext,
  ): Promise<JobLogEntryView[]> {
    return (await this.logLines(job, last, loaders)).map(logEntryOf);
  }

  @FieldResolver(() => JSONScalar, {
    description:
      "The options that shaped the job, named as in JobOptionsInput: queue, attempts, and when set priority, delayMs (a runAt shows as its delay), expiresAt, backoff, removeOnCompleteAfterSeconds, onChildFailure. The type's defaults and the caller's options merged; a dedupKey is kept only hashed and is not shown.",
  })
  options(@Root() job: JobView): JobOptionsView {
    return job.options ?? { queue: job.queue, attempts: job.maxAttempts };
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'Who enqueued it (e.g. `jwt:bob`, `key:ci`); null for a job enqueued outside Jobgate.',
  })
  owner(@Root() job: JobView): string | null {
    return job.owner ?? null;
  }

  @FieldResolver(() => [JobAttemptType], {
    description:
      'Its attempts, oldest first, as its workers recorded them (the last 50 runs). A job run before they were recorded, or failed before its processor ran, shows one entry per attempt made, with times and error of the last only.',
  })
  async attempts(@Root() job: JobView, @Ctx() { services }: RequestContext): Promise<JobAttemptView[]> {
    const queues = services.store.queues;
    const raw = queues.has(job.queue) ? await services.redis.hget(queues.get(job.queue).toKey(job.jobId), ATTEMPTS_FIELD) : null;
    return attemptsOf(raw, job);
  }

  /** The field as declared on the type; a COMPLETED event's job built from its run reads it (JobView.storedFinishedAt). */
  @FieldResolver()
  finishedAt(@Root() job: JobView): Date | null | Promise<Date | null> {
    return job.storedFinishedAt ? job.storedFinishedAt() : job.finishedAt;
  }

  @FieldResolver(() => DateTimeScalar, {
    nullable: true,
    description:
      'When a job waiting out its backoff after a failed attempt runs again (Flower: next retry); null otherwise, and for an immediate retry.',
  })
  async nextRetryAt(@Root() job: JobView, @Ctx() { services }: RequestContext): Promise<Date | null> {
    if (job.state !== JobState.DELAYED || job.attemptsMade === 0 || !services.store.queues.has(job.queue)) return null;
    return delayedUntil(services.redis, services.store.queues.get(job.queue), job.jobId);
  }

  @FieldResolver(() => Boolean, { description: 'Whether you may cancel, retry or remove the job: you own it, or you are an admin.' })
  @CallerDependent()
  canControl(@Root() job: JobView, @Ctx() { caller }: RequestContext): boolean {
    return canControl(caller, job.owner);
  }

  /** The last `last` stored log lines of `job`: those its SNAPSHOT read, else read now. */
  private async logLines(job: JobView, last: number, loaders: RequestContext['loaders']): Promise<string[]> {
    if (!Number.isInteger(last) || last < 0 || last > MAX_LOG_LINES)
      throw badInput('last', `last must be an integer from 0 to ${MAX_LOG_LINES}`);
    if (job.logs) return last === 0 ? [] : job.logs.slice(-last);
    return loaders.logs.load({ address: job, last });
  }
}
