import { Extensions } from 'type-graphql';

/** The schema extension that marks a field whose value depends on who asks. */
const CALLER_DEPENDENT = 'jobgateCallerDependent';

/** The mark as schema extensions, for a field built without type-graphql. */
export const callerDependentExtensions: Readonly<Record<string, unknown>> = Object.freeze({ [CALLER_DEPENDENT]: true });

/**
 * Marks a field (resolver) whose value depends on the caller (filters by `canRead`, says what
 * the caller may do…). Subscription events are rendered once per selection and shared between
 * subscribers, without a caller: a selection that reaches a marked field is rendered per caller
 * instead (see SharedRenderer). An unmarked field that reads the caller during a shared render
 * fails with an internal error rather than answering with another subscriber's view.
 */
export const CallerDependent = (): ReturnType<typeof Extensions> => Extensions({ ...callerDependentExtensions });

/** Whether a schema field carries the {@link CallerDependent} mark. */
export const isCallerDependent = (field: { readonly extensions?: Readonly<Record<string, unknown>> | null }): boolean =>
  field.extensions?.[CALLER_DEPENDENT] === true;
