import type { ChildFailurePolicy } from './gql/graphql.js';
import type { JobInputs, JobOptionsInput, JobTypeName } from './types.js';

/**
 * One job of a flow and the jobs that run before it: what `enqueueFlow` takes (assignable to the
 * schema's `FlowInput`). `data` is checked by the gateway against the type's input, as for `enqueue`.
 */
export interface FlowStep {
  type: string;
  data: Record<string, unknown>;
  options?: JobOptionsInput | null;
  /** Jobs of any type and queue that complete before this one runs; it reads their results. */
  children?: FlowStep[] | null;
}

/** At least one step: a flow always has a job at its root. */
export type FlowSteps = readonly [FlowStep, ...FlowStep[]];

/** Options of {@link group}. */
export interface GroupOptions {
  /**
   * What a step that fails for good does to the group's parent, for steps that set no
   * `options.onChildFailure` of their own. @default 'IGNORE': the steps are independent, as in a
   * Celery group; the parent runs once every step is done and reads failures with `childrenFailures()`.
   */
  onChildFailure?: ChildFailurePolicy;
}

/**
 * A job of a flow (Celery's signature `task.s(...)`): `step('importParts', { project: 'P1', … })`.
 * `data` is typed by the job type's input, as in `enqueue`.
 */
export function step<T extends JobTypeName>(type: T, data: JobInputs[T], options?: JobOptionsInput): FlowStep {
  const input = data as Record<string, unknown>;
  return options === undefined ? { type, data: input } : { type, data: input, options };
}

/**
 * Celery's `chain(a, b, c)`: `c` with child `b` with child `a`. Each step is the parent of the
 * one before it, so the steps run in order and each reads the previous result (its only added
 * child's) with `childrenResults()`; the last step is the root, the job `enqueueFlow` returns.
 * Under the default failure policy a failed step fails every later one, as a chain stops.
 *
 * A step that already has children keeps them, and the previous step runs alongside them (a job
 * has one parent: a tree cannot make one step wait for another that several steps wait for).
 */
export function chain(steps: FlowSteps): FlowStep {
  const [first, ...rest] = nonEmpty(steps, 'chain');
  return rest.reduce<FlowStep>((previous, next) => withChildren(next, [previous]), copy(first));
}

/**
 * Celery's `group(a, b, c)` as a flow: `parent` with the steps as children, run in parallel (in
 * any queues, by any workers). A BullMQ flow has a single root job, and a group has none of its
 * own, so the caller names the job that stands for the group: it runs once every step is done
 * and reads their results (`childrenResults()`) and, by default, their failures
 * (`childrenFailures()`), since a group's steps do not depend on each other (see {@link GroupOptions}).
 * `parent`'s own children, if any, are kept before the steps.
 */
export function group(steps: FlowSteps, parent: FlowStep, options: GroupOptions = {}): FlowStep {
  const policy = options.onChildFailure ?? 'IGNORE';
  const children = nonEmpty(steps, 'group').map((child) =>
    child.options?.onChildFailure == null ? { ...child, options: { ...child.options, onChildFailure: policy } } : child,
  );
  return withChildren(requireStep(parent, 'group', 'parent'), children);
}

/**
 * Celery's `chord(group(a, b), callback)`: `callback` with the steps as children. The steps run in
 * parallel and the callback once all of them completed, reading every result with
 * `childrenResults()`. Under the default policy (FAIL_PARENT) a failed step means the callback
 * never runs and ends FAILED, as a chord's body does not run after an error in its header.
 */
export function chord(steps: FlowSteps, callback: FlowStep): FlowStep {
  return withChildren(requireStep(callback, 'chord', 'callback'), nonEmpty(steps, 'chord'));
}

function withChildren(parent: FlowStep, children: readonly FlowStep[]): FlowStep {
  return { ...parent, children: [...(parent.children ?? []), ...children] };
}

function copy(node: FlowStep): FlowStep {
  return node.children == null ? { ...node } : { ...node, children: [...node.children] };
}

function nonEmpty(steps: FlowSteps, helper: string): FlowSteps {
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new TypeError(`${helper}: expected at least one step, got ${Array.isArray(steps) ? 'none' : typeof steps}`);
  }
  steps.forEach((node, index) => requireStep(node, helper, `step ${index}`));
  return steps;
}

function requireStep(node: FlowStep, helper: string, what: string): FlowStep {
  if (typeof node !== 'object' || node === null || typeof node.type !== 'string') {
    throw new TypeError(`${helper}: expected ${what} to be a step ({ type, data }), got ${node === null ? 'null' : typeof node}`);
  }
  return node;
}
