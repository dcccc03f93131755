import type { Job } from 'bullmq';
import { canRead, type Caller } from '../auth/caller';
import type { Config } from '../config';
import { badInput } from '../errors';
import type { JobDefinition } from '../jobs/job-definition';
import type { JobOptionsRequest } from './job-options';
import type { JobStore } from './job-store';
import type { EnqueueRateLimiter } from './rate-limiter';
import { viewOf, type JobView } from '../jobs/job-view';
import type { FlowService } from './flow.service';
import { tracedEnqueue, type JobTelemetry } from '../tracing/enqueue';
import { initialState, type EnqueueOrigin, type EnqueueRequest, type JobPreparer } from './job-preparer';

export type { EnqueueOrigin, EnqueueRequest } from './job-preparer';

/**
 * Jobs per `addBulk` call of a batch. BullMQ writes an `addBulk` to Redis only once every job
 * of it is encoded; the chunks of one batch are written one after the other without waiting
 * for replies (one round trip, in order, on one connection), so Redis runs the first chunk
 * while the gateway encodes the next. 100 measured best among 50 to 1,000 (docs/performance.md).
 */
const ADD_BULK_CHUNK = 100;

/**
 * Validates and enqueues jobs (JobPreparer: data against the type's input class, unknown fields
 * refused, defaults applied; options against BullMQ's ranges). A job of a type that declares
 * children is added with them, as a flow (FlowService).
 */
export class EnqueueService {
  constructor(
    private readonly config: Config,
    private readonly preparer: JobPreparer,
    private readonly store: JobStore,
    private readonly rateLimiter: EnqueueRateLimiter,
    private readonly flows: FlowService,
  ) {}

  async enqueue(request: EnqueueRequest, origin: EnqueueOrigin, field = 'data'): Promise<JobView> {
    if (this.flows.hasChildren(request.type)) return this.flows.add(request, origin, { data: field, options: 'options', type: 'type' });
    const { definition, data, options } = this.preparer.prepare(request, field, 'options', origin.caller);
    await this.rateLimiter.take(origin.caller.id, 1);
    const queue = this.store.queues.get(definition.queue);
    const job = await tracedEnqueue(
      definition.queue,
      origin.trace,
      { 'jobgate.job.type': definition.name },
      (traced) => queue.add(definition.name, data, { ...this.bullOptions(definition, options, origin), ...traced }),
      (added) => ({ 'jobgate.job.id': `${definition.queue}:${added.id}`, 'messaging.message.id': added.id ?? '' }),
    );
    return this.viewAfterAdd(job, options, origin.caller, 'options');
  }

  /** Enqueues a batch: validated whole first, then `addBulk` per queue in chunks of {@link ADD_BULK_CHUNK}. */
  async enqueueMany(requests: EnqueueRequest[], origin: EnqueueOrigin): Promise<JobView[]> {
    if (requests.length > this.config.maxBatchSize) {
      throw badInput('jobs', `at most ${this.config.maxBatchSize} jobs per enqueueMany, got ${requests.length}`);
    }
    requests.forEach((request, index) => {
      if (this.flows.hasChildren(request.type)) {
        throw badInput(
          `jobs.${index}.type`,
          `${request.type} jobs come with children: enqueue them with enqueue, ${request.type} or enqueueFlow`,
        );
      }
    });
    const prepared = requests.map((request, index) =>
      this.preparer.prepare(request, `jobs.${index}.data`, `jobs.${index}.options`, origin.caller),
    );
    await this.rateLimiter.take(origin.caller.id, requests.length);
    const byQueue = new Map<string, number[]>();
    prepared.forEach(({ definition }, index) => {
      const indexes = byQueue.get(definition.queue);
      if (indexes) indexes.push(index);
      else byQueue.set(definition.queue, [index]);
    });
    const views: JobView[] = new Array(requests.length);
    const chunks: number[][] = [];
    for (const indexes of byQueue.values()) {
      for (let start = 0; start < indexes.length; start += ADD_BULK_CHUNK) chunks.push(indexes.slice(start, start + ADD_BULK_CHUNK));
    }
    const addChunks = (traced: JobTelemetry | undefined): Promise<void[]> =>
      Promise.all(
        chunks.map(async (indexes) => {
          const jobs = await this.store.queues.get(prepared[indexes[0]].definition.queue).addBulk(
            indexes.map((index) => {
              const { definition, data, options } = prepared[index];
              return { name: definition.name, data, opts: { ...this.bullOptions(definition, options, origin), ...traced } };
            }),
          );
          const added = await Promise.all(
            jobs.map((job, position) =>
              this.viewAfterAdd(job, prepared[indexes[position]].options, origin.caller, `jobs.${indexes[position]}.options`),
            ),
          );
          added.forEach((view, position) => (views[indexes[position]] = view));
        }),
      );
    // One span for the batch, whatever its queues: each job carries its context.
    await tracedEnqueue(
      [...byQueue.keys()].join(','),
      origin.trace,
      { 'messaging.batch.message_count': requests.length },
      addChunks,
      () => ({}),
    );
    return views;
  }

  private bullOptions(definition: JobDefinition, options: JobOptionsRequest | null | undefined, origin: EnqueueOrigin) {
    return this.preparer.bullOptions(definition, options, origin);
  }

  /**
   * A deduplicated add returns the existing job's id: read that job rather than echo our data,
   * and only when the caller may see it (dedup ids are per owner, so it always should).
   * Without a dedup key the view is built at once (no promise per job of a batch).
   */
  private viewAfterAdd(
    job: Job,
    options: JobOptionsRequest | null | undefined,
    caller: Caller,
    optionsField: string,
  ): JobView | Promise<JobView> {
    if (!options?.dedupKey) return viewOf(job, initialState(job));
    return this.store.load({ queue: job.queueName, jobId: job.id ?? '' }).then((existing) => {
      if (existing && !canRead(caller, existing.owner)) throw badInput(`${optionsField}.dedupKey`, 'dedupKey is in use');
      return existing ?? viewOf(job, initialState(job));
    });
  }

  /** See JobPreparer.validateData (schedules check their data with it). */
  validateData(definition: JobDefinition, raw: unknown, field: string): Record<string, unknown> {
    return this.preparer.validateData(definition, raw, field);
  }
}
