import type { FlowNode, FlowProgressView, FlowReader, ChildLink } from '../jobs/flow-reader';
import { addressOfJobKey, toGlobalId, type JobAddress } from '../jobs/job-id';
import type { JobReader } from '../jobs/job-reader';
import { FlowTally } from '../jobs/flow-tally';
import type { RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import type { QueueSet } from './queue-set';

/** A job's children as BullMQ's dependency keys of it hold them. */
interface Dependencies {
  pending: string[];
  completed: string[];
  ignored: string[];
  failed: string[];
}

type DependencyLists = [string[], string[], string[], string[]];

/**
 * A parent's four dependency keys read in one atomic step: a child moves from one to another as
 * it finishes, and separate reads could see it in both or in neither. A script rather than MULTI
 * (see the EventHub's cursor script).
 */
const DEPENDENCIES_SCRIPT = `
return {redis.call('SMEMBERS', KEYS[1]), redis.call('HKEYS', KEYS[2]), redis.call('HKEYS', KEYS[3]), redis.call('ZRANGE', KEYS[4], 0, -1)}`;

/**
 * Reads flows from BullMQ's dependency keys of each parent (`<job key>:dependencies`, `:processed`,
 * `:failed`, `:unsuccessful`, which `Job.getDependencies` reads one job at a time): the keys of
 * every parent of a level are read together, so a tree costs one round trip per level whatever
 * its width. A parent cancelled by Jobgate is gone from BullMQ with those keys; its tombstone
 * keeps its children, so a cancelled tree can still be read.
 */
export class FlowProgressService implements FlowReader {
  private readonly readDependencies: (pending: string, completed: string, ignored: string, failed: string) => Promise<DependencyLists>;

  constructor(
    redis: RedisClient,
    private readonly queues: QueueSet,
    private readonly jobs: JobReader,
  ) {
    this.readDependencies = defineScript(redis, 'jobgateDependencies', 4, DEPENDENCIES_SCRIPT);
  }

  async children(parent: JobAddress): Promise<FlowNode[]> {
    const [level] = await this.level([{ address: parent, depth: 0 }]);
    return level;
  }

  async flowTree(root: JobAddress): Promise<FlowNode[]> {
    const tree: FlowNode[] = [];
    const seen = new Set<string>([toGlobalId(root)]);
    let parents = [{ address: root, depth: 0 }];
    while (parents.length > 0) {
      const children = (await this.level(parents)).flat().filter((node) => {
        // A key listed twice (a child moving between sets as it is read) is counted once.
        const id = toGlobalId(node.address);
        if (seen.has(id)) return false;
        seen.add(id);
        return true;
      });
      tree.push(...children);
      parents = children.map((node) => ({ address: node.address, depth: node.depth }));
    }
    return tree;
  }

  async flowProgress(root: JobAddress): Promise<FlowProgressView> {
    const tree = await this.flowTree(root);
    const views = await Promise.all(tree.map((node) => this.jobs.load(node.address)));
    return new FlowTally(tree, views).view();
  }

  /** The children of each of `parents`, in one round trip. */
  private level(parents: { address: JobAddress; depth: number }[]): Promise<FlowNode[][]> {
    return Promise.all(
      parents.map(async ({ address, depth }) => {
        if (!this.queues.has(address.queue)) return [];
        const key = this.queues.get(address.queue).toKey(address.jobId);
        const [[pending, completed, ignored, failed], tombstone] = await Promise.all([
          this.readDependencies(`${key}:dependencies`, `${key}:processed`, `${key}:failed`, `${key}:unsuccessful`),
          this.jobs.tombstone(address),
        ]);
        const nodes = linked({ pending, completed, ignored, failed }, address, depth + 1);
        if (nodes.length === 0 && tombstone?.children) {
          return tombstone.children.map((child) => ({ address: child, parent: address, depth: depth + 1, link: 'pending' as const }));
        }
        return nodes;
      }),
    );
  }
}

/** The children in `dependencies`, sorted by id: Jobgate's flow ids sort in the order the children were given. */
function linked(dependencies: Dependencies, parent: JobAddress, depth: number): FlowNode[] {
  const nodes: FlowNode[] = [];
  for (const link of ['pending', 'completed', 'ignored', 'failed'] as ChildLink[]) {
    for (const key of dependencies[link as keyof Dependencies]) {
      const address = addressOfJobKey(key);
      if (address) nodes.push({ address, parent, depth, link });
    }
  }
  return nodes.sort((a, b) => (a.address.jobId < b.address.jobId ? -1 : a.address.jobId > b.address.jobId ? 1 : 0));
}
