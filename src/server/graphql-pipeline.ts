import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { GatewayMetrics } from '../observability/metrics';
import { DocumentCache } from './document-cache';
import { toClientError } from './error-formatting';
import { operationRules } from './limits';
import { OperationHook } from './operation-hook';

/**
 * The one GraphQL pipeline of a gateway process. HTTP requests (POST and GET, plain or
 * compressed) are executed by graphql-http.ts, WebSocket operations by graphql-ws, SSE ones by
 * graphql-sse. All parse and validate through {@link documents} (one cache, one rule list, one
 * parser limit), execute with graphql-js, format errors with {@link GraphqlPipeline.formatError}
 * and report through {@link hook}.
 */
export interface GraphqlPipeline {
  schema: GraphQLSchema;
  documents: DocumentCache;
  hook: OperationHook;
  /** What a client may see of an error, on every transport. */
  formatError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError;
}

/** Builds the pipeline. */
export function createPipeline(schema: GraphQLSchema, config: Config, metrics: GatewayMetrics): GraphqlPipeline {
  const documents = new DocumentCache(schema, operationRules(config), config.maxQueryTokens);
  const hook = new OperationHook(metrics);
  // Introspection is refused by operationRules when off, with the same error on every transport.
  const formatError = (formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError =>
    toClientError(formatted, original, !config.introspection);
  return { schema, documents, hook, formatError };
}
