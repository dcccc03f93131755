import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import type { GatewayMetrics, OperationType } from '../observability/metrics';
import type { RequestContext } from '../resolvers/context';
import { logRequestErrors } from './error-formatting';

/** Subscriptions are served over WebSocket; over HTTP Apollo would run them and answer a null root field. */
const SUBSCRIPTION_OVER_HTTP = 'Subscriptions go over WebSocket (graphql-transport-ws) at /graphql, not HTTP';

/**
 * What every transport does once an operation is answered: count and time it by type and name,
 * and log the errors that are the gateway's (Redis unreachable, defects), never the client's
 * own mistakes. An operation that did not parse or validate has no type: it counts as `unknown`.
 */
export class OperationHook {
  constructor(private readonly metrics: GatewayMetrics) {}

  /** Records one answered operation. */
  answered(
    context: Pick<RequestContext, 'logger' | 'requestId'> | undefined,
    type: OperationType,
    name: string | null | undefined,
    errors: readonly GraphQLError[] | undefined,
    seconds?: number,
  ): void {
    if (errors && context) logRequestErrors(errors, context);
    this.metrics.operation(type, name, Boolean(errors?.length), seconds);
  }

  /** Counts a subscription as open; the returned function counts it closed. */
  subscribed(name: string | null | undefined): () => void {
    return this.metrics.openSubscription(name);
  }

  /** The hook as an Apollo Server plugin, which also refuses subscriptions over HTTP. */
  apolloPlugin(): ApolloServerPlugin<RequestContext> {
    return {
      // A document refused before parsing (too long, too deep) fails the request's context: counted like any parse failure.
      contextCreationDidFail: async ({ error }) => {
        if (error instanceof GraphQLError && error.extensions.code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED)
          this.answered(undefined, 'unknown', null, [error]);
      },
      requestDidStart: async () => {
        const started = process.hrtime.bigint();
        let errors: readonly GraphQLError[] | undefined;
        return {
          didResolveOperation: async ({ operation }) => {
            if (operation?.operation === 'subscription') {
              throw new GraphQLError(SUBSCRIPTION_OVER_HTTP, {
                extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } },
              });
            }
          },
          didEncounterErrors: async (request) => {
            errors = request.errors;
          },
          willSendResponse: async ({ operation, operationName, contextValue }) => {
            this.answered(
              contextValue,
              operation?.operation ?? 'unknown',
              operationName,
              errors,
              Number(process.hrtime.bigint() - started) / 1e9,
            );
          },
        };
      },
    };
  }
}
