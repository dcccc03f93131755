import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../config';

/**
 * graphql-armor throws on rejection by default, which servers answer as a 500; reporting the
 * error on the validation context makes it an ordinary validation failure (400).
 */
const asValidationError = { propagateOnRejection: false, onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)], exposeLimits: true };

/** Refuses `__schema` and `__type` fields (`__typename` stays: clients need it). */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(new GraphQLError('Introspection is off on this gateway (INTROSPECTION=0, or NODE_ENV=production)', { nodes: [node] }));
    }
  },
});

/**
 * Validation rules beyond the specification's, on HTTP and WebSocket alike: the limits that
 * refuse expensive operations and, when introspection is off, the refusal of introspection.
 * Introspection counts like any other selection (a deep `ofType` chain is refused); the
 * defaults leave room for GraphiQL's standard introspection query.
 */
export function operationRules(config: Config): ValidationRule[] {
  return [
    maxDepthRule({ n: config.maxQueryDepth, ignoreIntrospection: false, ...asValidationError }),
    costLimitRule({ maxCost: config.maxQueryCost, ignoreIntrospection: false, ...asValidationError }),
    maxAliasesRule({ n: config.maxAliases, ...asValidationError }),
    maxDirectivesRule({ n: 50, ...asValidationError }),
    ...(config.introspection ? [] : [noIntrospection]),
  ];
}
