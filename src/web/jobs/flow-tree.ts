import type { EnqueuedJob, FlowEvent, FlowProgress, Job } from '@jobgate/client';
import { FINISHED } from './job-format';

/** A job of a flow as the page knows it: `parent.id` places it in the tree. */
export type TreeJob = Job & { parent: { id: string } | null };

/** A job listed by `Job.children`: `flow` is non-null when it has children of its own. */
export type ListedJob = TreeJob & { flow: { total: number } | null };

/** One job of the tree. */
export interface TreeNode {
  readonly job: TreeJob;
  /** Its children's ids: in the order `Job.children` lists them, then in the order events made them known. */
  readonly children: readonly string[];
  /** Whether it has children, as far as the page knows (some may not be listed or seen yet). */
  readonly hasChildren: boolean;
}

/** A flow watched from its root: every job known so far, by id. */
export interface FlowTree {
  readonly rootId: string;
  readonly nodes: ReadonlyMap<string, TreeNode>;
  /** The root's aggregate over every descendant: from the last event, or from the enqueue's answer. */
  readonly flow: FlowProgress | null;
  /** The root's log lines, from its LOG events. */
  readonly rootLogs: readonly string[];
}

/** What a parent's bar shows. */
export interface Aggregate {
  percent: number;
  completed: number;
  total: number;
}

/** The root's last log lines kept. */
const MAX_ROOT_LOGS = 50;

/** The tree of a flow just enqueued: its root alone, with the aggregate the gateway answered. */
export function initialTree(root: EnqueuedJob): FlowTree {
  const { flow, ...job } = root;
  return {
    rootId: root.id,
    nodes: new Map([[root.id, { job: { ...job, parent: null }, children: [], hasChildren: true }]]),
    flow,
    rootLogs: [],
  };
}

/**
 * The tree after one `flowEvents` event: the event's job is updated or added under its parent.
 * A job whose parent is not known yet is kept, and hooked under its parent when that one shows up.
 */
export function applyEvent(tree: FlowTree, event: FlowEvent): FlowTree {
  const nodes = new Map(tree.nodes);
  upsert(nodes, event.job, () => event.job);
  const isRoot = event.job.id === tree.rootId;
  return {
    ...tree,
    nodes,
    flow: event.flow ?? tree.flow,
    rootLogs: isRoot && event.type === 'LOG' && event.log !== null ? [...tree.rootLogs, event.log].slice(-MAX_ROOT_LOGS) : tree.rootLogs,
  };
}

/**
 * The tree after listing the children of `parentId`: children not known yet are added, known ones
 * keep the job of their last event (an event read after the listing started is not older than it)
 * unless the listing found them finished; the parent's children take the listing's order. The
 * root's `flow` as listed replaces the tree's only if it is not behind it (the bar never goes back).
 */
export function addChildren(tree: FlowTree, parentId: string, listed: readonly ListedJob[], flow: FlowProgress | null = null): FlowTree {
  const nodes = new Map(tree.nodes);
  for (const { flow, ...job } of listed) {
    const placed: TreeJob = { ...job, parent: job.parent ?? { id: parentId } };
    upsert(nodes, placed, (existing) => (FINISHED.has(existing.state) || !FINISHED.has(placed.state) ? existing : placed));
    if (flow !== null) markParent(nodes, job.id);
  }
  const parent = nodes.get(parentId);
  if (parent !== undefined) {
    const order = listed.map((job) => job.id);
    const inOrder = new Set(order);
    nodes.set(parentId, { ...parent, children: [...order, ...parent.children.filter((id) => !inOrder.has(id))] });
  }
  const newer = parentId === tree.rootId && flow !== null && (tree.flow === null || !isBehind(flow, tree.flow));
  return { ...tree, nodes, flow: newer ? flow : tree.flow };
}

/** Whether aggregate `a` is older than `b`: less done, or fewer jobs finished. */
function isBehind(a: FlowProgress, b: FlowProgress): boolean {
  const finished = (flow: FlowProgress): number => flow.completed + flow.failed + flow.cancelled;
  return a.percent < b.percent || finished(a) < finished(b);
}

/** Percent a job counts for in its ancestors' aggregate: a finished one counts 100, as the gateway counts it. */
function countedPercent(job: TreeJob): number {
  return FINISHED.has(job.state) ? 100 : Math.max(0, Math.min(100, job.progress?.percent ?? 0));
}

/**
 * Every parent's aggregate over its known descendants, computed as the gateway computes
 * `Job.flow` (mean percent, a finished descendant counting 100); the root's is the gateway's own.
 */
export function aggregates(tree: FlowTree): ReadonlyMap<string, Aggregate> {
  const result = new Map<string, Aggregate>();
  const sums = new Map<string, { percent: number; completed: number; total: number }>();
  // Post-order without recursion: a chain is as deep as it is long.
  const order: string[] = [];
  const stack = [tree.rootId];
  const seen = new Set<string>();
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    order.push(id);
    for (const child of tree.nodes.get(id)?.children ?? []) stack.push(child);
  }
  for (const id of order.reverse()) {
    const node = tree.nodes.get(id);
    if (node === undefined) continue;
    const sum = { percent: 0, completed: 0, total: 0 };
    for (const childId of node.children) {
      const child = tree.nodes.get(childId);
      if (child === undefined) continue;
      const below = sums.get(childId);
      sum.percent += countedPercent(child.job) + (below?.percent ?? 0);
      sum.completed += (child.job.state === 'COMPLETED' ? 1 : 0) + (below?.completed ?? 0);
      sum.total += 1 + (below?.total ?? 0);
    }
    sums.set(id, sum);
    if (sum.total > 0) result.set(id, { percent: sum.percent / sum.total, completed: sum.completed, total: sum.total });
  }
  if (tree.flow !== null) {
    result.set(tree.rootId, { percent: tree.flow.percent, completed: tree.flow.completed, total: tree.flow.total });
  }
  return result;
}

/** Ids of the jobs known to have children, root first: the ones whose children the page lists. */
export function parentsOf(tree: FlowTree): string[] {
  return [...tree.nodes.values()].filter((node) => node.hasChildren).map((node) => node.job.id);
}

/** Adds or updates `job` in `nodes`, hooking it under its parent and its already-known children under it. */
function upsert(nodes: Map<string, TreeNode>, job: TreeJob, merge: (existing: TreeJob) => TreeJob): void {
  const existing = nodes.get(job.id);
  if (existing !== undefined) {
    const merged = merge(existing.job);
    nodes.set(job.id, {
      ...existing,
      job: merged,
      hasChildren: existing.hasChildren || merged.state === 'WAITING_CHILDREN',
    });
  } else {
    // Children seen before their parent (their events came first) go under it now.
    const early = [...nodes.values()].filter((node) => node.job.parent?.id === job.id).map((node) => node.job.id);
    nodes.set(job.id, { job, children: early, hasChildren: early.length > 0 || job.state === 'WAITING_CHILDREN' });
  }
  const parentId = job.parent?.id;
  const parent = parentId === undefined ? undefined : nodes.get(parentId);
  if (parentId !== undefined && parent !== undefined && !parent.children.includes(job.id)) {
    nodes.set(parentId, { ...parent, children: [...parent.children, job.id], hasChildren: true });
  }
}

function markParent(nodes: Map<string, TreeNode>, id: string): void {
  const node = nodes.get(id);
  if (node !== undefined && !node.hasChildren) nodes.set(id, { ...node, hasChildren: true });
}
