import type { Config } from '../config';
import type { FlowNode } from '../jobs/flow-reader';
import type { JobAddress } from '../jobs/job-id';
import { FINAL_STATES, JobState, type JobView } from '../jobs/job-view';
import type { RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import { publishCancel } from './cancel-request';
import type { JobStore } from './job-store';

const NOT_STARTED = new Set([JobState.WAITING, JobState.PRIORITIZED, JobState.DELAYED, JobState.WAITING_CHILDREN]);

/**
 * Puts back to waiting-children the ancestors of a failed child that failed because of it
 * (FAIL_PARENT), before the child is retried, so that they wait for it again: BullMQ's retry of a
 * child moves it back among its parent's dependencies but leaves a parent that already failed
 * failed ("does not move a parent that has already left waiting-children"). A parent fails a
 * child's failure in two steps: BullMQ marks it (`defa`, "child <key> failed") and moves it to
 * wait, then a worker fails it with that reason without running it. Either step is undone; the
 * walk goes up while each parent failed because of the job below it.
 *
 * KEYS: 1 the child's job key. ARGV: 1 timestamp (ms). Returns how many ancestors were reopened.
 * Keys are derived from the child's `parentKey` (a flow stays in one hash slot on a cluster).
 */
const REOPEN_SCRIPT = `
local rcall = redis.call
local childKey = KEYS[1]
local reopened = 0
for _ = 1, 1000 do
  local parentKey = rcall('HGET', childKey, 'parentKey')
  if not parentKey or rcall('EXISTS', parentKey) == 0 then break end
  local parentId = string.match(parentKey, '([^:]+)$')
  local queueKey = string.sub(parentKey, 1, #parentKey - #parentId - 1)
  local reason = 'child ' .. childKey .. ' failed'
  if rcall('ZSCORE', queueKey .. ':failed', parentId) and rcall('HGET', parentKey, 'failedReason') == reason then
    rcall('ZREM', queueKey .. ':failed', parentId)
  elseif rcall('HGET', parentKey, 'defa') == reason and
      (rcall('LREM', queueKey .. ':wait', 0, parentId) > 0 or rcall('ZREM', queueKey .. ':prioritized', parentId) > 0) then
    -- marked, not yet failed by a worker
  else
    break
  end
  rcall('HDEL', parentKey, 'defa', 'finishedOn', 'processedOn', 'failedReason', 'stacktrace', 'atm', 'ats')
  if rcall('ZREM', parentKey .. ':unsuccessful', childKey) == 1 then rcall('SADD', parentKey .. ':dependencies', childKey) end
  rcall('ZADD', queueKey .. ':waiting-children', ARGV[1], parentId)
  rcall('XADD', queueKey .. ':events', '*', 'event', 'waiting-children', 'jobId', parentId)
  reopened = reopened + 1
  childKey = parentKey
end
return reopened`;

/** Cancelling a whole flow, and letting a flow go on after a child's retry. */
export class FlowControl {
  private readonly reopenScript: (key: string, now: number) => Promise<number>;

  constructor(
    private readonly config: Config,
    private readonly redis: RedisClient,
    private readonly store: JobStore,
  ) {
    this.reopenScript = defineScript(redis, 'jobgateReopenParents', 1, REOPEN_SCRIPT);
  }

  /** See REOPEN_SCRIPT: call before retrying a failed child. */
  async reopenAncestors(child: JobAddress): Promise<number> {
    return this.reopenScript(this.store.queues.get(child.queue).toKey(child.jobId), Date.now());
  }

  /**
   * Cancels `root` and every unfinished job under it (`tree`), so that each ends CANCELLED, none
   * FAILED by BullMQ's fail-the-parent cascade, and none starts because its children went away:
   * 1. jobs not started get a tombstone (a parent's keeps its children, which BullMQ forgets with it);
   * 2. they are removed level by level from the root down, each alone: BullMQ's removal of a child
   *    whose parent still waits releases that parent once it has no other pending child, and a
   *    child that fails (aborted below) fails its parent; with the parent gone first, neither happens;
   * 3. active jobs (and any that started meanwhile, which refuse removal) are aborted on their
   *    workers, and fail as CANCELLED (their parents are gone by then).
   * Finished jobs keep their state. Returns the root as it is now.
   */
  async cancelTree(root: JobView, tree: readonly FlowNode[], reason: string): Promise<JobView> {
    const views = await Promise.all(tree.map((node) => this.store.load(node.address)));
    const childrenOf = new Map<string, JobAddress[]>();
    for (const node of tree) {
      const key = `${node.parent.queue}:${node.parent.jobId}`;
      const children = childrenOf.get(key);
      if (children) children.push(node.address);
      else childrenOf.set(key, [node.address]);
    }
    const levels: JobView[][] = [[root]];
    tree.forEach((node, index) => {
      const view = views[index];
      if (!view) return;
      (levels[node.depth] ??= []).push(view);
    });
    const abort: JobView[] = [];
    let rootAfter: JobView | undefined;
    for (const level of levels) {
      const results = await Promise.all(
        (level ?? []).map(async (view) => {
          if (FINAL_STATES.has(view.state)) return view;
          if (!NOT_STARTED.has(view.state)) {
            abort.push(view);
            return view;
          }
          const children = childrenOf.get(view.id);
          const tombstone = await this.store.writeTombstone(children ? { ...view, children } : view, reason);
          const removed = await this.store.queues.get(view.queue).remove(view.jobId, { removeChildren: false });
          if (removed === 1) {
            await this.store.countTombstone(tombstone);
            return tombstone;
          }
          await this.store.removeTombstone(view);
          abort.push(view);
          return view;
        }),
      );
      if (!rootAfter) rootAfter = results[0];
    }
    await Promise.all(abort.map((view) => publishCancel(this.config, this.redis, { queue: view.queue, jobId: view.jobId, reason })));
    return rootAfter?.state === JobState.CANCELLED ? rootAfter : ((await this.store.load(root)) ?? root);
  }
}
