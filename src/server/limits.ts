import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getNamedType,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type InlineFragmentNode,
  type SelectionNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config';
import { PAGE_ITEM_COST, readCostOf } from '../schema/read-cost';
import { MAX_PAGE_SIZE } from '../services/job-list.service';

/**
 * graphql-armor throws on rejection by default, which servers answer as a 500; reporting the
 * error on the validation context makes it an ordinary validation failure (400).
 */
const asValidationError = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  exposeLimits: true,
};

/** Refuses `__schema` and `__type` fields (`__typename` stays: clients need it). */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(
        new GraphQLError('Introspection is off on this gateway (INTROSPECTION=0, or NODE_ENV=production)', { nodes: [node] }),
      );
    }
  },
});

/** graphql-armor's cost model (its defaults), kept for every selection: a scalar 1, an object 2 plus 1.5 × its selections. */
const SCALAR_COST = 1;
const OBJECT_COST = 2;
const DEPTH_COST_FACTOR = 1.5;

type Selected = FieldNode | InlineFragmentNode | FragmentDefinitionNode;

/**
 * graphql-armor's cost limit, with pages counted: a field with a `first` argument costs `first`
 * times (its selection + {@link PAGE_ITEM_COST}). graphql-armor multiplies by `first` only when
 * it is written as a literal, and without the per-item cost, so that 8 aliases of
 * `jobs(first: 500) { edges { node { id } } }` (4,000 job reads) passed, as did any `first` given
 * as a variable. Here a variable counts as the largest page ({@link MAX_PAGE_SIZE}), since
 * validation does not see variables (and its result is cached per document), and an omitted
 * `first` as the argument's default. Everything else is graphql-armor's model, introspection
 * included (`last` on an object field multiplies as there): GraphiQL's introspection query
 * costs the same ≈ 87,000.
 */
export function costRule(maxCost: number): ValidationRule {
  return (context) => {
    const schema = context.getSchema();
    /** Cost of each fragment spread once (armor's: a fragment spread again costs the same). */
    const fragments = new Map<string, number>();

    const fieldOf = (parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined => {
      if (parent && parent === schema.getQueryType() && name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (parent && parent === schema.getQueryType() && name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
      return parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
    };

    /** How many items a field asks for, and whether it is a page (has a `first` argument). */
    const itemsOf = (node: FieldNode, field: GraphQLField<unknown, unknown> | undefined): { items: number; page: boolean } => {
      const first = node.arguments?.find((argument) => argument.name.value === 'first');
      if (first) {
        if (first.value.kind === Kind.INT) return { items: Math.max(Number.parseInt(first.value.value, 10), 1), page: true };
        if (first.value.kind === Kind.VARIABLE) return { items: MAX_PAGE_SIZE, page: true };
        return { items: 1, page: true };
      }
      const declared = field?.args.find((argument) => argument.name === 'first');
      if (declared)
        return { items: typeof declared.defaultValue === 'number' ? Math.max(declared.defaultValue, 1) : MAX_PAGE_SIZE, page: true };
      const last = node.selectionSet && node.arguments?.find((argument) => argument.name.value === 'last');
      return { items: last && last.value.kind === Kind.INT ? Math.max(Number.parseInt(last.value.value, 10) || 1, 1) : 1, page: false };
    };

    const selectionsCost = (node: Selected, type: GraphQLNamedType | undefined): number => {
      let cost = OBJECT_COST;
      for (const child of node.selectionSet?.selections ?? []) cost += DEPTH_COST_FACTOR * selectionCost(child, type);
      return cost;
    };

    const selectionCost = (node: SelectionNode, parent: GraphQLNamedType | undefined): number => {
      if (node.kind === Kind.FRAGMENT_SPREAD) {
        const name = node.name.value;
        const known = fragments.get(name);
        if (known !== undefined) return SCALAR_COST + DEPTH_COST_FACTOR * known;
        fragments.set(name, -1);
        const fragment = context.getFragment(name);
        if (!fragment) return SCALAR_COST;
        const cost = selectionsCost(fragment, schema.getType(fragment.typeCondition.name.value) ?? undefined);
        if (fragments.get(name) === -1) fragments.set(name, cost);
        return SCALAR_COST + DEPTH_COST_FACTOR * cost;
      }
      if (node.kind === Kind.INLINE_FRAGMENT) {
        return selectionsCost(node, node.typeCondition ? (schema.getType(node.typeCondition.name.value) ?? undefined) : parent);
      }
      const field = fieldOf(parent, node.name.value);
      const { items, page } = itemsOf(node, field);
      const own = (node.selectionSet ? selectionsCost(node, field && getNamedType(field.type)) : SCALAR_COST) + readCostOf(field);
      return (own + (page ? PAGE_ITEM_COST : 0)) * items;
    };

    return {
      OperationDefinition(operation) {
        const root = schema.getRootType(operation.operation) ?? undefined;
        const cost = operation.selectionSet.selections.reduce((sum, selection) => sum + selectionCost(selection, root), 0);
        if (cost > maxCost)
          context.reportError(
            new GraphQLError(`Query cost limit of ${maxCost} exceeded, found ${Math.ceil(cost)}.`, { nodes: [operation] }),
          );
      },
    };
  };
}

/**
 * Validation rules beyond the specification's, on HTTP and WebSocket alike: the limits that
 * refuse expensive operations and, when introspection is off, the refusal of introspection.
 * Introspection counts like any other selection (a deep `ofType` chain is refused); the
 * defaults leave room for GraphiQL's standard introspection query.
 */
export function operationRules(config: Config): ValidationRule[] {
  return [
    maxDepthRule({ n: config.maxQueryDepth, ignoreIntrospection: false, ...asValidationError }),
    costRule(config.maxQueryCost),
    maxAliasesRule({ n: config.maxAliases, ...asValidationError }),
    maxDirectivesRule({ n: 50, ...asValidationError }),
    ...(config.introspection ? [] : [noIntrospection]),
  ];
}
