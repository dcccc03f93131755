import { randomUUID } from 'node:crypto';
import { FlowProducer, type FlowJob, type JobNode } from 'bullmq';
import type { Config } from '../config';
import { badInput, ErrorCode, JobgateError } from '../errors';
import type { FlowChildRequest } from '../jobs/flow-child';
import { JobState, viewOf, type JobView } from '../jobs/job-view';
import { queuePrefix, type RedisClient } from '../redis/connections';
import { allJobsIndexKey, ownerIndexKey, ownersKey } from './job-index';
import { initialState, type EnqueueOrigin, type EnqueueRequest, type JobPreparer, type PreparedJob } from './job-preparer';
import type { EnqueueRateLimiter } from './rate-limiter';
import { tracedEnqueue, type JobTelemetry } from '../tracing/enqueue';

/** One node of a flow as a resolver received it (`FlowInput`). */
export interface FlowRequest extends EnqueueRequest {
  children?: FlowRequest[] | null;
}

/** The paths errors name for the root's fields: `data`/`options`/`type` for enqueueFlow, `input` for a typed mutation. */
export interface RootFields {
  data: string;
  options: string;
  type: string;
}

/** A node that passed every check, with the id it will have. */
interface PlannedNode {
  prepared: PreparedJob;
  jobId: string;
  hasParent: boolean;
  children: PlannedNode[];
}

/** What planning counts over the whole tree. */
interface Plan {
  /** Shared by every job id of the flow: `<flow>.<node number>`. */
  flow: string;
  nodes: number;
  queues: Set<string>;
}

/** Width of the node number in job ids: ids sort in the order the nodes were given (pre-order). */
const NODE_NUMBER_DIGITS = 6;

/**
 * Adds flows (BullMQ `FlowProducer` trees): `enqueueFlow`, and the jobs of types that declare
 * children. Every node is checked exactly as `enqueue` checks a job (JobPreparer: type, roles,
 * options, data), then the whole tree is added in one MULTI, so an invalid node adds nothing.
 *
 * Job ids: BullMQ gives flow jobs random ids (custom ids may not be integers), not its counter's,
 * so the owner indexes that `jobs` lists from (JobListService) would not see them. Jobgate names
 * the nodes itself, `<uuid>.<node number>` (children sort as given), and writes them into their
 * owner's index and their queue's all-jobs index (`recentJobs`) before the add: a job never
 * exists unindexed, and the ids of a failed add are dropped by the indexes' sweeps like removed
 * jobs. Callers cannot name ids, parents, repeats or deduplication in a flow, so no node can
 * reach another owner's job or act queue-wide.
 */
export class FlowService {
  private readonly producer: FlowProducer;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly preparer: JobPreparer,
    private readonly rateLimiter: EnqueueRateLimiter,
  ) {
    this.producer = new FlowProducer({ connection: redis, prefix: config.queuePrefix });
    this.producer.on('error', () => undefined);
  }

  /** Whether jobs of `type` come with children (then `enqueue` adds them through here). */
  hasChildren(type: string): boolean {
    return this.preparer.registry.get(type)?.children !== undefined;
  }

  /** Checks every node of `request`, then adds the tree atomically; returns the root job. */
  async add(
    request: FlowRequest,
    origin: EnqueueOrigin,
    fields: RootFields = { data: 'data', options: 'options', type: 'type' },
  ): Promise<JobView> {
    this.measure(request);
    const plan: Plan = { flow: randomUUID(), nodes: 0, queues: new Set() };
    const root = this.planNode(request, fields, 'children', origin, plan, 1, false);
    if (this.config.redisClusterNodes.length > 0 && plan.queues.size > 1) {
      // Each queue has a hash slot of its own on a cluster: BullMQ's MULTI and its scripts that
      // update a parent from its child could not reach keys in two slots.
      throw badInput('children', `On a Redis Cluster a flow stays in one queue; this one spans ${[...plan.queues].join(', ')}`);
    }
    await this.rateLimiter.take(origin.caller.id, plan.nodes);
    const createdAt = await this.index(root, origin.caller.id);
    const queue = root.prepared.definition.queue;
    const added = await tracedEnqueue(
      queue,
      origin.trace,
      { 'jobgate.job.type': root.prepared.definition.name, 'messaging.batch.message_count': plan.nodes },
      (traced) => this.producer.add(this.flowJob(root, origin, traced, createdAt)),
      () => ({ 'jobgate.job.id': `${queue}:${root.jobId}`, 'messaging.message.id': root.jobId }),
    );
    return this.rootView(added);
  }

  async close(): Promise<void> {
    await this.producer.close();
  }

  /**
   * Refuses a tree over MAX_FLOW_DEPTH or MAX_FLOW_JOBS before anything else reads it, walking it
   * without recursion; declared children are counted again as planning adds them.
   */
  private measure(request: FlowRequest): void {
    const { maxFlowDepth, maxFlowJobs } = this.config;
    const stack: { node: FlowRequest; path: string; depth: number }[] = [{ node: request, path: '', depth: 1 }];
    let count = 0;
    while (stack.length > 0) {
      const { node, path, depth } = stack.pop()!;
      count += 1;
      if (count > maxFlowJobs) throw tooManyJobs(maxFlowJobs);
      const children = node.children ?? [];
      if (children.length > 0 && depth >= maxFlowDepth) {
        throw badInput(
          `${path}children`,
          `A flow may be at most ${maxFlowDepth} levels deep (MAX_FLOW_DEPTH); ${path || 'the root'} is at level ${depth}`,
        );
      }
      children.forEach((child, index) => stack.push({ node: child, path: `${path}children.${index}.`, depth: depth + 1 }));
    }
  }

  private planNode(
    request: FlowRequest,
    fields: RootFields,
    childrenField: string,
    origin: EnqueueOrigin,
    plan: Plan,
    depth: number,
    hasParent: boolean,
  ): PlannedNode {
    const prepared = this.preparer.prepare(request, fields.data, fields.options, origin.caller, fields.type, hasParent);
    const number = plan.nodes++;
    if (plan.nodes > this.config.maxFlowJobs) throw tooManyJobs(this.config.maxFlowJobs);
    plan.queues.add(prepared.definition.queue);
    if (request.options?.dedupKey) {
      throw badInput(`${fields.options}.dedupKey`, 'dedupKey cannot be used in a flow: a deduplicated node would be another flow’s job');
    }
    const declared = prepared.definition.children?.(prepared.data as never, this.config) ?? [];
    if (declared.length > 0 && depth >= this.config.maxFlowDepth) {
      throw badInput(
        fields.data,
        `A flow may be at most ${this.config.maxFlowDepth} levels deep (MAX_FLOW_DEPTH): ${prepared.definition.name} adds children`,
      );
    }
    const children: PlannedNode[] = declared.map((child, index) =>
      this.planDeclared(child, index, prepared, fields.data, origin, plan, depth + 1),
    );
    (request.children ?? []).forEach((child, index) => {
      const path = `${childrenField}.${index}.`;
      const childFields = { data: `${path}data`, options: `${path}options`, type: `${path}type` };
      children.push(this.planNode(child, childFields, `${path}children`, origin, plan, depth + 1, true));
    });
    return { prepared, jobId: `${plan.flow}.${String(number).padStart(NODE_NUMBER_DIGITS, '0')}`, hasParent, children };
  }

  /**
   * A child the job type declares: checked like any node, but made from the parent's data, so
   * an error in it is reported on that data (`data`), saying which child.
   */
  private planDeclared(
    child: FlowChildRequest,
    index: number,
    parent: PreparedJob,
    dataField: string,
    origin: EnqueueOrigin,
    plan: Plan,
    depth: number,
  ): PlannedNode {
    try {
      const fields = { data: 'data', options: 'options', type: 'type' };
      return this.planNode(child, fields, 'children', origin, plan, depth, true);
    } catch (error) {
      if (!(error instanceof JobgateError) || error.code !== ErrorCode.BAD_USER_INPUT) throw error;
      if (error.message.includes('MAX_FLOW')) throw badInput(dataField, `${parent.definition.name}: ${error.message}`);
      throw badInput(dataField, `${parent.definition.name} child ${index} (${child.type}): ${error.message}`);
    }
  }

  /**
   * Writes every node into its owner's index and the all-jobs index of its queue (see the class
   * comment), one round trip. Returns the creation time the nodes are indexed by, which they carry
   * as BullMQ's `timestamp` (but for delayed ones, a few ms later), so that `recentJobs` orders
   * them by the `createdAt` they show.
   */
  private async index(root: PlannedNode, owner: string): Promise<number> {
    const byQueue = new Map<string, string[]>();
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      const queue = node.prepared.definition.queue;
      const ids = byQueue.get(queue);
      if (ids) ids.push(node.jobId);
      else byQueue.set(queue, [node.jobId]);
      stack.push(...node.children);
    }
    const now = Date.now();
    await Promise.all(
      [...byQueue].flatMap(([queue, ids]) => [
        this.redis.zadd(ownerIndexKey(this.config, queue, owner), ...ids.flatMap((id) => [now, id])),
        this.redis.zadd(allJobsIndexKey(this.config, queue), ...ids.flatMap((id) => [now, id])),
        this.redis.sadd(ownersKey(this.config, queue), owner),
      ]),
    );
    return now;
  }

  /** `traced`: the enqueue span's context, which every node carries into its worker's span. */
  private flowJob(node: PlannedNode, origin: EnqueueOrigin, traced: JobTelemetry | undefined, createdAt: number): FlowJob {
    const { definition, data, options } = node.prepared;
    return {
      name: definition.name,
      queueName: definition.queue,
      prefix: queuePrefix(this.config, definition.queue),
      data,
      // A delayed node keeps the creation time its delay was computed from (`runAt` stays exact).
      opts: {
        timestamp: createdAt,
        ...this.preparer.bullOptions(definition, options, origin, node.hasParent),
        jobId: node.jobId,
        ...traced,
      },
      ...(node.children.length > 0 && { children: node.children.map((child) => this.flowJob(child, origin, traced, createdAt)) }),
    };
  }

  private rootView(added: JobNode | undefined): JobView {
    if (!added) throw new Error('FlowProducer is closing');
    return viewOf(added.job, added.children && added.children.length > 0 ? JobState.WAITING_CHILDREN : initialState(added.job));
  }
}

const tooManyJobs = (max: number): JobgateError =>
  badInput('children', `A flow may hold at most ${max} jobs (MAX_FLOW_JOBS), declared children included`);
