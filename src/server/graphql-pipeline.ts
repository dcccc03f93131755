import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { GatewayMetrics } from '../observability/metrics';
import type { RequestContext } from '../resolvers/context';
import { DocumentCache } from './document-cache';
import { toClientError } from './error-formatting';
import { operationRules } from './limits';
import { OperationHook } from './operation-hook';

/**
 * The one GraphQL pipeline of a gateway process. HTTP requests of every kind (POST and GET,
 * plain or compressed, single or batched) are executed by {@link apollo}; WebSocket operations
 * by graphql-ws. Both parse and validate through {@link documents} (one cache, one rule list,
 * one parser limit), format errors with {@link GraphqlPipeline.formatError} and report through {@link hook}.
 */
export interface GraphqlPipeline {
  schema: GraphQLSchema;
  documents: DocumentCache;
  hook: OperationHook;
  apollo: ApolloServer<RequestContext>;
  /** What a client may see of an error, on every transport. */
  formatError(formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError;
}

/** Builds the pipeline; `apollo` still has to be started. */
export function createPipeline(schema: GraphQLSchema, config: Config, metrics: GatewayMetrics): GraphqlPipeline {
  const rules = operationRules(config);
  const documents = new DocumentCache(schema, rules, config.maxQueryTokens);
  const hook = new OperationHook(metrics);
  const formatError = (formatted: GraphQLFormattedError, original: unknown): GraphQLFormattedError =>
    toClientError(formatted, original, !config.introspection);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    documentStore: documents.apolloStore,
    // Apollo's automatic persisted queries, and how HTTP requests name a cached document without a hash of their text.
    persistedQueries: { cache: documents.byHash },
    parseOptions: documents.parseOptions,
    validationRules: rules,
    // Introspection is refused by operationRules when off, with the same error on every transport.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // Credentials are Bearer headers, which no cross-site simple request can carry (SECURITY.md).
    csrfPrevention: false,
    // The gateway handles SIGTERM/SIGINT itself (cli/shutdown): Apollo's own handlers would stop it twice.
    stopOnTerminationSignals: false,
    formatError,
    plugins: [
      // The default landing page loads from a CDN; Jobgate serves its own GraphiQL.
      ApolloServerPluginLandingPageDisabled(),
      // Jobgate sets no cache hints, and the default cache-control plugin wraps every field's resolution.
      ApolloServerPluginCacheControlDisabled(),
      // Federation's inline traces: Jobgate is no subgraph, and the plugin would still start on every request.
      ApolloServerPluginInlineTraceDisabled(),
      hook.apolloPlugin(),
    ],
  });
  return { schema, documents, hook, apollo, formatError };
}
