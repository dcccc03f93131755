import {
  BREAK,
  execute,
  getOperationAST,
  isAbstractType,
  Kind,
  separateOperations,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { isCallerDependent } from '../schema/caller-dependent';

/** Turns an event's execution result into what the client may see (errors formatted, defects logged). */
export type FormatResult = (result: ExecutionResult) => FormattedExecutionResult;

/**
 * The contexts of an event's execution, made from the subscription's own context: fresh per
 * event, so per-request caches never go stale.
 */
export interface RenderContexts {
  /** For a render shared by every caller: it has no caller (reading it throws). */
  shared(subscriptionContext: unknown): unknown;
  /** For a render of one caller's selection that reaches a caller-dependent field: the subscriber's caller. */
  own(subscriptionContext: unknown): unknown;
  /** All a field can tell of the subscription's caller (owner id and roles): callers with the same key get the same answers. */
  callerKey(subscriptionContext: unknown): string;
}

/** What the renderer knows of one document: its number, the variables below its root fields, whether it reaches a caller-dependent field. */
interface Selection {
  id: number;
  variables: readonly string[];
  perCaller: boolean;
  /** Events rendered, until the operation is compiled. */
  renders: number;
  /** The operation compiled to a function once it has rendered COMPILE_AFTER events; null when graphql-jit cannot compile it. */
  compiled?: CompiledQuery | null;
}

/**
 * Renders of a selection before it is compiled: compiling costs more than a few renders, and a
 * selection that never gets busy (or a client sending a stream of distinct documents) is not
 * worth it.
 */
const COMPILE_AFTER = 10;

/**
 * Executes and serializes each event once per distinct selection, for every subscription
 * that receives it. Events are the objects the subscription sources yield (one JobEvent is
 * handed to every watcher of its job), so the cache is keyed by the event object itself and
 * goes away with it.
 *
 * Sharing a payload between callers must not show one caller another's view, so it does not
 * rest on a convention. A selection that reaches a field marked `@CallerDependent()` is keyed
 * and rendered per caller (with that caller's context); every other selection is rendered in a
 * context without a caller, so an unmarked field that reads the caller fails (an internal
 * error, logged) instead of answering with the first subscriber's view.
 */
export class SharedRenderer {
  /** Per event and selection key: the payload while it renders, then the payload itself (a waiter less per later subscriber). */
  private readonly rendered = new WeakMap<object, Map<string, Buffer | Promise<Buffer>>>();
  /** Per document, per operation name ('' for an anonymous or only operation). */
  private readonly selections = new WeakMap<DocumentNode, Map<string, Selection>>();
  private documents = 0;

  constructor(
    private readonly format: FormatResult,
    private readonly contexts: RenderContexts,
  ) {}

  /**
   * What decides an event's payload for this subscription: the document, the operation and
   * the variables used below the root field (the root field's own arguments, such as a job
   * id or a resume cursor, only choose which events arrive); and the caller, when the
   * selection reaches a caller-dependent field.
   */
  selectionKey(args: ExecutionArgs): string {
    const selection = this.selection(args);
    const values = args.variableValues ?? {};
    const used = selection.variables.map((name) => values[name]);
    const key = `${selection.id}|${args.operationName ?? ''}|${used.length > 0 ? JSON.stringify(used) : ''}`;
    return selection.perCaller ? `${key}|${this.contexts.callerKey(args.contextValue)}` : key;
  }

  /**
   * The event's payload as UTF-8 JSON, executed, serialized and encoded at most once per
   * selection key; the bytes themselves once they are rendered.
   */
  payload(event: unknown, key: string, args: ExecutionArgs): Buffer | Promise<Buffer> {
    if (typeof event !== 'object' || event === null) return this.render(event, args);
    let byKey = this.rendered.get(event);
    if (!byKey) this.rendered.set(event, (byKey = new Map()));
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const rendering = this.render(event, args);
    byKey.set(key, rendering);
    if (Buffer.isBuffer(rendering)) return rendering;
    const rendered = byKey;
    rendering.then(
      (payload) => rendered.set(key, payload),
      () => undefined,
    );
    return rendering;
  }

  /**
   * Executes the selection for `event`: at once when no field waits (a running job's PROGRESS
   * event carries its job). A busy selection's operation is compiled once (graphql-jit) and run
   * as a function for every event: graphql-js' `execute` interprets the document anew each time.
   */
  private render(event: unknown, args: ExecutionArgs): Buffer | Promise<Buffer> {
    try {
      const selection = this.selection(args);
      const contextValue = selection.perCaller ? this.contexts.own(args.contextValue) : this.contexts.shared(args.contextValue);
      const compiled = this.compiled(selection, args);
      const result = compiled
        ? compiled.query(event, contextValue, args.variableValues)
        : execute({ ...args, rootValue: event, contextValue });
      return result instanceof Promise ? result.then((done) => this.encode(done)) : this.encode(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private encode(result: ExecutionResult): Buffer {
    return Buffer.from(JSON.stringify(this.format(result)));
  }

  private compiled(selection: Selection, { schema, document, operationName }: ExecutionArgs): CompiledQuery | null {
    if (selection.compiled === undefined && ++selection.renders > COMPILE_AFTER) {
      const compiled = compileQuery(schema, document, operationName ?? undefined);
      selection.compiled = isCompiledQuery(compiled) ? compiled : null;
    }
    return selection.compiled ?? null;
  }

  private selection({ document, operationName, schema }: ExecutionArgs): Selection {
    let byOperation = this.selections.get(document);
    if (!byOperation) this.selections.set(document, (byOperation = new Map()));
    let selection = byOperation.get(operationName ?? '');
    if (!selection) {
      selection = {
        id: ++this.documents,
        variables: variablesBelowRoot(document, operationName ?? undefined),
        perCaller: reachesCallerDependent(schema, document),
        renders: 0,
      };
      byOperation.set(operationName ?? '', selection);
    }
    return selection;
  }
}

/**
 * Whether any field the document selects (in any operation or fragment) is marked caller-
 * dependent; for a field of an interface or union, whether it is on any possible type.
 */
function reachesCallerDependent(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let reaches = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: (node) => {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        const possible =
          parent && isAbstractType(parent) ? schema.getPossibleTypes(parent).map((type) => type.getFields()[node.name.value]) : [];
        if ((field && isCallerDependent(field)) || possible.some((candidate) => candidate && isCallerDependent(candidate))) {
          reaches = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return reaches;
}

/**
 * Variables the operation uses anywhere but in its root fields' arguments: in its own selection
 * and the fragments it spreads, not in the document's other operations.
 */
function variablesBelowRoot(document: DocumentNode, operationName: string | undefined): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const used = separateOperations(document)[operation.name?.value ?? ''];
  const rootArguments = new Set(
    operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? (selection.arguments ?? []) : [])),
  );
  const names = new Set<string>();
  visit(used, {
    Argument: (node) => (rootArguments.has(node) ? false : undefined),
    Variable: (node) => {
      names.add(node.name.value);
    },
    VariableDefinition: () => false,
  });
  return [...names].sort();
}
