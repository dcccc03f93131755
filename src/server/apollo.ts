import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { RequestContext } from '../resolvers/context';
import { isConnectionError } from '../redis/connections';
import { isUnexpected, rootCause, toClientError } from './error-formatting';
import { operationLimits } from './limits';

/** Apollo Server for queries and mutations over HTTP (subscriptions go over graphql-ws). */
export function createApollo(schema: GraphQLSchema, config: Config): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // The gateway handles SIGTERM/SIGINT itself (cli/shutdown): Apollo's own handlers would stop it twice.
    stopOnTerminationSignals: false,
    formatError: toClientError,
    validationRules: operationLimits(config),
    plugins: [
      // The default landing page loads from a CDN; Jobgate serves its own GraphiQL.
      ApolloServerPluginLandingPageDisabled(),
      // Jobgate sets no cache hints, and the default cache-control plugin wraps every field's resolution.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors, contextValue }) {
              for (const error of errors) {
                const cause = rootCause(error);
                if (isConnectionError(cause)) contextValue.logger.warn({ requestId: contextValue.requestId, err: cause }, 'redis unreachable');
                else if (isUnexpected({ message: error.message, extensions: error.extensions }, error)) {
                  contextValue.logger.error({ requestId: contextValue.requestId, err: cause }, 'unexpected error');
                }
              }
            },
          };
        },
      },
    ],
  });
}
