import type { JobAddress } from './job-id';

/** How a parent holds a child, from BullMQ's dependency keys of the parent. */
export type ChildLink =
  /** Not finished: in the parent's `dependencies`. */
  | 'pending'
  /** Completed: its result is in the parent's `processed`. */
  | 'completed'
  /** Failed under FAIL_PARENT: in the parent's `unsuccessful`. */
  | 'failed'
  /** Failed under IGNORE or CONTINUE: its reason is in the parent's `failed`. */
  | 'ignored';

/** One descendant of a flow's root. */
export interface FlowNode {
  address: JobAddress;
  parent: JobAddress;
  /** 1 for the root's children. */
  depth: number;
  link: ChildLink;
}

/** Counts of a flow's descendants by state, and their mean progress. */
export interface FlowProgressView {
  total: number;
  /** Not started: waiting, prioritized, delayed, or waiting for children of their own. */
  waiting: number;
  active: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Mean progress percent of the descendants, a finished one (completed, failed, cancelled) counting 100. */
  percent: number;
}

/**
 * How a flow is read: what the events layer needs of the flow reads (`services/flow-progress.ts`
 * implements it), declared here so that the events depend on the job model, not on the services.
 */
export interface FlowReader {
  /** The direct children of `parent`, in the order they were given (empty for a job without children). */
  children(parent: JobAddress): Promise<FlowNode[]>;
  /** Every descendant of `root`, level by level (one Redis round trip per level), each with its parent. */
  flowTree(root: JobAddress): Promise<FlowNode[]>;
  /** The aggregate over every descendant of `root`; `total` 0 for a job without children. */
  flowProgress(root: JobAddress): Promise<FlowProgressView>;
}
