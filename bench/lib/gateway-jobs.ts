/** The gateway operations the figures send, and helpers to create jobs through it. */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { queueRetentionSeconds, toBullOptions } from '../../src/services/job-options';
import { helloWorld } from '../../src/jobs/hello-world.job';
import type { RawJobOptions } from '../load/api';
import type { Gateway } from './gateway';

/** The job type every figure enqueues (its input is `{ name: String! }`). */
export const JOB_TYPE = 'helloWorld';

/**
 * The BullMQ options the gateway adds a {@link JOB_TYPE} job with when the request gives none
 * (attempts, retention, owner and request id), built by the gateway's own code with its default
 * configuration: a raw baseline given these adds the same jobs as the gateway.
 */
export function gatewayJobOptions(owner: string): RawJobOptions {
  const config = loadConfig();
  return {
    ...toBullOptions(helloWorld, null, { owner, requestId: randomUUID() }, config, queueRetentionSeconds([helloWorld.defaults], config)),
  };
}

/** Figure 1's request: one job per HTTP request through the generic mutation. */
export const ENQUEUE_ONE = `mutation { enqueue(type: "${JOB_TYPE}", data: { name: "x" }) { id } }`;

/** Figure 2's request: a batch through `enqueueMany`, jobs passed as variables. */
export const ENQUEUE_MANY = 'mutation Many($jobs: [EnqueueInput!]!) { enqueueMany(jobs: $jobs) { id } }';

/** Figure 6's poll: what a browser asks each second about its job. */
export const POLL_JOB = 'query Poll($id: ID!) { job(id: $id) { id state progress { percent data } } }';

/**
 * The `jobs` variable of {@link ENQUEUE_MANY} for `count` jobs. Each job's
 * `name` is its index (from `first`), so the bench worker can tell which job
 * is which without knowing how the gateway encodes ids.
 */
export function manyJobs(count: number, first = 0): Array<{ type: string; data: { name: string } }> {
  return Array.from({ length: count }, (_, i) => ({ type: JOB_TYPE, data: { name: String(first + i) } }));
}

/** The BullMQ queue (without prefix) that holds `type`'s jobs, from the gateway's registry. */
export async function queueOf(gateway: Gateway, type: string): Promise<string> {
  const { jobTypes } = await gateway.graphql<{ jobTypes: Array<{ name: string; queue: string }> }>('{ jobTypes { name queue } }');
  const found = jobTypes.find((t) => t.name === type);
  if (!found) throw new Error(`expected job type ${type} in the gateway registry, got ${jobTypes.map((t) => t.name).join(', ')}`);
  return found.queue;
}

/** Enqueues jobs 0 … count−1 through the gateway in batches of 1,000 and returns their ids in that order. */
export async function enqueueThroughGateway(gateway: Gateway, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const batch = Math.min(1_000, count - ids.length);
    const { enqueueMany } = await gateway.graphql<{ enqueueMany: Array<{ id: string }> }>(ENQUEUE_MANY, {
      jobs: manyJobs(batch, ids.length),
    });
    ids.push(...enqueueMany.map((j) => j.id));
  }
  return ids;
}
