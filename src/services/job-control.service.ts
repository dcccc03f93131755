import type { Caller } from '../auth/caller';
import { canControl, canRead } from '../auth/caller';
import type { Config } from '../config';
import { badInput, forbidden, notFound } from '../errors';
import type { RedisClient } from '../redis/connections';
import { publishCancel } from './cancel-request';
import type { FlowReader } from '../jobs/flow-reader';
import { FlowControl } from './flow-control';
import type { EnqueueService } from './enqueue.service';
import type { JobAddress } from '../jobs/job-id';
import { addressOfJobKey, toGlobalId } from '../jobs/job-id';
import type { JobStore } from './job-store';
import { FINAL_STATES, JobState, type JobView } from '../jobs/job-view';

export type { CancelRequest } from './cancel-request';

const NOT_STARTED = new Set([JobState.WAITING, JobState.PRIORITIZED, JobState.DELAYED, JobState.WAITING_CHILDREN]);

/** BullMQ's failure reason of a parent failed by a child under FAIL_PARENT (its deferred failure). */
const CHILD_FAILED = /^child (.+) failed$/;

/** BullMQ's id for the next run of a job scheduler: `repeat:<schedule id>:<millis>`. */
const SCHEDULED_RUN = /^repeat:(.+):\d+$/;

/**
 * Refuses to cancel or remove the next run of a schedule before writing anything: BullMQ keeps
 * it for its scheduler and refuses to remove it, and the schedule would make another anyway.
 */
function refuseScheduledRun(address: JobAddress, view: JobView): void {
  const schedule = SCHEDULED_RUN.exec(address.jobId)?.[1];
  if (schedule !== undefined && NOT_STARTED.has(view.state)) {
    throw badInput('id', `This job is the next run of schedule "${schedule}": remove the schedule with removeSchedule(id: "${schedule}")`);
  }
}

/** Cancels and retries jobs on behalf of a caller who may control them. */
export class JobControlService {
  /** Cancelling whole flows, and reopening parents on a child's retry. */
  private readonly flowControl: FlowControl;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly store: JobStore,
    private readonly enqueue: EnqueueService,
    private readonly flows: FlowReader,
  ) {
    this.flowControl = new FlowControl(config, redis, store);
  }

  /**
   * The job, if `caller` may control it. A job the caller may not even see answers NOT_FOUND,
   * exactly like an absent one; one it may see but not control (a viewer's) is FORBIDDEN.
   */
  async controllable(address: JobAddress, caller: Caller): Promise<JobView> {
    const view = await this.store.load(address);
    if (!view || !canRead(caller, view.owner)) throw notFound('Job', toGlobalId(address));
    if (!canControl(caller, view.owner)) throw forbidden('control jobs of other owners');
    return view;
  }

  /**
   * A job that has not started is removed and kept as a CANCELLED tombstone; an active one is
   * aborted on whichever worker holds it (its processor sees the AbortSignal) and fails
   * without retry as CANCELLED. Watchers get a CANCELLED event either way. Either way the job
   * counts as cancelled, not failed (`CancelledJobs`): the tombstone once the job is removed here,
   * the failed job once its worker has failed it. A flow's root cancels the whole tree
   * (FlowControl.cancelTree); a job inside a running flow is not cancelled alone.
   */
  async cancel(address: JobAddress, caller: Caller): Promise<JobView> {
    const view = await this.controllable(address, caller);
    if (FINAL_STATES.has(view.state)) throw badInput('id', `Job is already ${view.state}`);
    refuseScheduledRun(address, view);
    const reason = `cancelled by ${caller.id}`;
    await this.refuseInsideFlow(view);
    const tree = await this.flows.flowTree(address);
    if (tree.length > 0) return this.flowControl.cancelTree(view, tree, reason);
    if (NOT_STARTED.has(view.state)) {
      const tombstone = await this.store.writeTombstone(view, reason);
      const removed = await this.store.queues.get(address.queue).remove(address.jobId);
      if (removed === 1) {
        await this.store.countTombstone(tombstone);
        return tombstone;
      }
      // It started meanwhile: its worker cancels it, and a tombstone left behind would show it
      // CANCELLED (and its REMOVED event as CANCELLED) once retention removes it, whatever its end.
      await this.store.removeTombstone(address);
    }
    await publishCancel(this.config, this.redis, { ...address, reason });
    return (await this.store.load(address)) ?? view;
  }

  /**
   * A job whose parent is unfinished is cancelled with its flow, from the root: alone, its
   * removal would let its parent start without it, or its abort would fail the parent.
   */
  private async refuseInsideFlow(view: JobView): Promise<void> {
    let parent = view.parent ? await this.store.load(view.parent) : undefined;
    if (!parent || FINAL_STATES.has(parent.state)) return;
    for (let depth = 0; parent.parent && depth < this.config.maxFlowDepth; depth++) {
      const above = await this.store.load(parent.parent);
      if (!above) break;
      parent = above;
    }
    throw badInput('id', `This job is part of a flow that is still running: cancel its root, ${parent.id}`);
  }

  /** Runs a DELAYED job now. */
  async promote(address: JobAddress, caller: Caller): Promise<JobView> {
    const view = await this.controllable(address, caller);
    if (view.state !== JobState.DELAYED) throw badInput('id', `Only DELAYED jobs can be promoted; this one is ${view.state}`);
    const job = await this.store.fetch(address);
    await job?.promote();
    return (await this.store.load(address)) ?? view;
  }

  /** Deletes a job that is not running; watchers get REMOVED. Returns the job as it was. */
  async remove(address: JobAddress, caller: Caller): Promise<JobView> {
    const view = await this.controllable(address, caller);
    if (view.state === JobState.ACTIVE) throw badInput('id', 'An ACTIVE job cannot be removed; cancel it first');
    refuseScheduledRun(address, view);
    const removed = await this.store.queues.get(address.queue).remove(address.jobId);
    if (removed !== 1 && view.state !== JobState.CANCELLED) throw badInput('id', 'The job could not be removed (it started meanwhile?)');
    await this.store.removeTombstone(address);
    return view;
  }

  /** Runs a FAILED or CANCELLED job again: the same job when BullMQ still has it, else a copy. */
  async retry(address: JobAddress, caller: Caller): Promise<JobView> {
    const view = await this.controllable(address, caller);
    if (view.state !== JobState.FAILED && view.state !== JobState.CANCELLED) {
      throw badInput('id', `Only FAILED or CANCELLED jobs can be retried; this one is ${view.state}`);
    }
    // Run alone, it would go on without that child's result: the child's retry brings it back (reopenAncestors).
    const failedChild = CHILD_FAILED.exec(view.failedReason ?? '')?.[1];
    const child = failedChild === undefined ? undefined : addressOfJobKey(failedChild);
    if (view.state === JobState.FAILED && child) {
      throw badInput('id', `This job failed because its child ${toGlobalId(child)} failed: retry that child, and this job goes on`);
    }
    const job = await this.store.fetch(address);
    if (!job) {
      // Into the queue it was cancelled from: the type's own, or the one the caller routed it to.
      return this.enqueue.enqueue(
        { type: view.type, data: view.data, options: { queue: view.queue } },
        { caller, requestId: view.requestId ?? 'retry' },
      );
    }
    // A child that failed its parents (FAIL_PARENT): they wait for it again rather than stay FAILED.
    if (job.parentKey) await this.flowControl.reopenAncestors(address);
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    // Out of BullMQ's failed set: should it fail again, it is not a cancelled job any more.
    if (view.state === JobState.CANCELLED) await this.store.cancelled.forgetFailed(address.queue, address.jobId);
    return (await this.store.load(address)) ?? view;
  }
}
