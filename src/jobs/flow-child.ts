/**
 * What happens to a parent when one of its children fails for good (its last attempt), set on
 * the child as BullMQ does. The names are the contract's; the BullMQ options they map to are
 * in `services/job-options.ts`.
 */
export enum ChildFailurePolicy {
  /** The parent never runs and ends FAILED (BullMQ `failParentOnFailure`): a chord's callback. */
  FAIL_PARENT = 'FAIL_PARENT',
  /** The parent runs once its other children are done, as if this one had not been there (`ignoreDependencyOnFailure`). */
  IGNORE = 'IGNORE',
  /** The parent runs once its other children are done and can read this one's failure (`continueParentOnFailure`). */
  CONTINUE = 'CONTINUE',
}

/** Options a job type may give the children it declares. */
export interface FlowChildOptions {
  delayMs?: number;
  priority?: number;
  attempts?: number;
  onChildFailure?: ChildFailurePolicy;
}

/**
 * A child a job type adds under each of its jobs (`JobDefinition.children`): validated and
 * enqueued exactly like a node of `enqueueFlow`, in the same atomic add as its parent.
 */
export interface FlowChildRequest {
  type: string;
  data: Record<string, unknown>;
  options?: FlowChildOptions;
  children?: FlowChildRequest[];
}
