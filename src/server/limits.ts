import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { GraphQLError, ValidationContext, ValidationRule } from 'graphql';
import type { Config } from '../config';

/**
 * graphql-armor throws on rejection by default, which servers answer as a 500; reporting the
 * error on the validation context makes it an ordinary validation failure (400).
 */
const asValidationError = { propagateOnRejection: false, onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)], exposeLimits: true };

/**
 * Validation rules that refuse expensive operations before they run, on HTTP and WebSocket
 * alike. Introspection counts like any other selection (a deep `ofType` chain is refused);
 * the defaults leave room for GraphiQL's standard introspection query.
 */
export function operationLimits(config: Config): ValidationRule[] {
  return [
    maxDepthRule({ n: config.maxQueryDepth, ignoreIntrospection: false, ...asValidationError }),
    costLimitRule({ maxCost: config.maxQueryCost, ignoreIntrospection: false, ...asValidationError }),
    maxAliasesRule({ n: config.maxAliases, ...asValidationError }),
    maxDirectivesRule({ n: 50, ...asValidationError }),
  ];
}
