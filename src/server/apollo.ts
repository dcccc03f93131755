import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { Config } from '../config';
import type { RequestContext } from '../resolvers/context';
import { logRequestErrors, toClientError } from './error-formatting';
import { operationRules } from './limits';

/** Apollo Server for queries and mutations over HTTP (subscriptions go over graphql-ws). */
export function createApollo(schema: GraphQLSchema, config: Config): ApolloServer<RequestContext> {
  return new ApolloServer<RequestContext>({
    schema,
    // Introspection is refused by operationRules when off, with the same error on every transport.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    // The gateway handles SIGTERM/SIGINT itself (cli/shutdown): Apollo's own handlers would stop it twice.
    stopOnTerminationSignals: false,
    formatError: toClientError,
    validationRules: operationRules(config),
    plugins: [
      // The default landing page loads from a CDN; Jobgate serves its own GraphiQL.
      ApolloServerPluginLandingPageDisabled(),
      // Jobgate sets no cache hints, and the default cache-control plugin wraps every field's resolution.
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors, contextValue }) {
              logRequestErrors(errors, contextValue);
            },
          };
        },
      },
    ],
  });
}
