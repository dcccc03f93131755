import {
  getOperationAST,
  Kind,
  parseType,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';

/** The argument a subscription resumes from (`jobEvents`, `queueEvents`, `flowEvents`). */
const SINCE = 'since';
/** The variable a resumed document passes `Last-Event-ID` in, when the client's document has no `since`. */
export const LAST_EVENT_ID_VARIABLE = 'jobgateLastEventId';

/** What to execute instead, for a subscription resumed from `Last-Event-ID`. */
export interface Resumed {
  document: DocumentNode;
  variableValues: Record<string, unknown>;
}

/** Documents with `since: $jobgateLastEventId` added, per document and operation: resumed subscribers share one, as others share theirs. */
const rewritten = new WeakMap<DocumentNode, Map<string, DocumentNode>>();

/**
 * A subscription resumed from the SSE `Last-Event-ID` header: `lastEventId` becomes the
 * root field's `since` when that field takes one and the client did not set it (no argument,
 * a literal null, or a variable without a value). Undefined when there is nothing to change:
 * not a subscription, no `since` on its root field, or `since` already given.
 */
export function resumeFromLastEventId(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown> | undefined,
  lastEventId: string,
): Resumed | undefined {
  const operation = getOperationAST(document, operationName);
  const field = operation?.selectionSet.selections[0];
  if (operation?.operation !== 'subscription' || field?.kind !== Kind.FIELD) return undefined;
  const definition = schema.getSubscriptionType()?.getFields()[field.name.value];
  const since = definition?.args.find((argument) => argument.name === SINCE);
  if (!since) return undefined;
  const given = field.arguments?.find((argument) => argument.name.value === SINCE);
  if (given?.value.kind === Kind.VARIABLE) {
    const name = given.value.name.value;
    return variables?.[name] == null ? { document, variableValues: { ...variables, [name]: lastEventId } } : undefined;
  }
  if (given && given.value.kind !== Kind.NULL) return undefined;
  if (operation.variableDefinitions?.some((definition) => definition.variable.name.value === LAST_EVENT_ID_VARIABLE)) return undefined;
  return {
    document: withSinceVariable(document, operation, field, String(since.type)),
    variableValues: { ...variables, [LAST_EVENT_ID_VARIABLE]: lastEventId },
  };
}

/** `document` with `operation`'s root `field` given `since: $jobgateLastEventId` (declared of `type`), made once. */
function withSinceVariable(document: DocumentNode, operation: OperationDefinitionNode, field: FieldNode, type: string): DocumentNode {
  let byOperation = rewritten.get(document);
  if (!byOperation) rewritten.set(document, (byOperation = new Map()));
  const key = operation.name?.value ?? '';
  const known = byOperation.get(key);
  if (known) return known;
  const variable = { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: LAST_EVENT_ID_VARIABLE } } as const;
  const resumedField: FieldNode = {
    ...field,
    arguments: [
      ...(field.arguments ?? []).filter((argument) => argument.name.value !== SINCE),
      { kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: SINCE }, value: variable },
    ],
  };
  const resumedOperation: OperationDefinitionNode = {
    ...operation,
    variableDefinitions: [...(operation.variableDefinitions ?? []), { kind: Kind.VARIABLE_DEFINITION, variable, type: parseType(type) }],
    selectionSet: { ...operation.selectionSet, selections: [resumedField, ...operation.selectionSet.selections.slice(1)] },
  };
  const resumed: DocumentNode = {
    ...document,
    definitions: document.definitions.map((definition) => (definition === operation ? resumedOperation : definition)),
  };
  byOperation.set(key, resumed);
  return resumed;
}
