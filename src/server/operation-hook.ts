import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { execute, getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { GatewayMetrics, OperationType } from '../observability/metrics';
import type { RequestContext } from '../resolvers/context';
import { logRequestErrors } from './error-formatting';
import { describeOperation, startHttpOperation, traceSocketOperation } from '../tracing/operation';

/** Subscriptions are served over WebSocket; over HTTP Apollo would run them and answer a null root field. */
const SUBSCRIPTION_OVER_HTTP = 'Subscriptions go over WebSocket (graphql-transport-ws) at /graphql, not HTTP';

/**
 * What every transport does once an operation is answered: count and time it by type and name,
 * and log the errors that are the gateway's (Redis unreachable, defects), never the client's
 * own mistakes. An operation that did not parse or validate has no type: it counts as `unknown`.
 *
 * Tracing (docs/tracing.md): an HTTP operation gets a span whose parent is its request's
 * `traceparent`, named after the operation with its outcome; a WebSocket or SSE query or
 * mutation a span of its own ({@link execute}). Either is set on the operation's context
 * (`trace`). Subscriptions get none: their events are traced where the stream is read
 * (src/events/queue-stream.ts).
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

  /** graphql-js' `execute` for WebSocket and SSE queries and mutations, each in its own span when tracing is on. */
  readonly execute = (args: ExecutionArgs): ExecutionResult | Promise<ExecutionResult> =>
    traceSocketOperation(
      args,
      () => execute(args),
      (span, result) => {
        const operation = getOperationAST(args.document, args.operationName);
        const failed = !result || Boolean(result.errors?.length);
        describeOperation(span, operation?.operation ?? 'unknown', operation?.name?.value, failed, errorCode(result?.errors));
      },
    );

  /** Counts a subscription as open; the returned function counts it closed. */
  subscribed(name: string | null | undefined): () => void {
    return this.metrics.openSubscription(name);
  }

  /** The hook as an Apollo Server plugin, which also refuses subscriptions over HTTP. */
  apolloPlugin(): ApolloServerPlugin<RequestContext> {
    // One listener for every request: what it needs of a request is on the request's own context
    // (its start, its errors, its span), so no request allocates closures of its own.
    const listener: GraphQLRequestListener<RequestContext> = {
      didResolveOperation: async ({ operation }) => {
        if (operation?.operation === 'subscription') {
          throw new GraphQLError(SUBSCRIPTION_OVER_HTTP, {
            extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } },
          });
        }
      },
      willSendResponse: async ({ operation, operationName, contextValue, errors, metrics }) => {
        const span = contextValue.trace && trace.getSpan(contextValue.trace);
        if (span) {
          describeOperation(span, operation?.operation ?? 'unknown', operationName, Boolean(errors?.length), errorCode(errors));
          span.end();
        }
        const started = metrics.startHrTime;
        this.answered(contextValue, operation?.operation ?? 'unknown', operationName, errors, started && secondsSince(started));
      },
    };
    return {
      // A document refused before parsing (too long, too deep) fails the request's context: counted like any parse failure.
      contextCreationDidFail: async ({ error }) => {
        if (error instanceof GraphQLError && error.extensions.code === ApolloServerErrorCode.GRAPHQL_PARSE_FAILED)
          this.answered(undefined, 'unknown', null, [error]);
      },
      requestDidStart: async ({ request, contextValue, metrics }) => {
        metrics.startHrTime = process.hrtime();
        // Tracing: the operation's span, a child of the request's `traceparent`, set on its context.
        startHttpOperation(request.http?.headers, request.http?.method ?? 'POST', contextValue);
        return listener;
      },
    };
  }
}

/** Seconds since `started` (a `process.hrtime()`). */
function secondsSince(started: [number, number]): number {
  const [seconds, nanoseconds] = process.hrtime(started);
  return seconds + nanoseconds / 1e9;
}

/** The `extensions.code` of an operation's first error, for its span. */
function errorCode(errors: readonly GraphQLError[] | undefined): string | undefined {
  const code = errors?.[0]?.extensions.code;
  return typeof code === 'string' ? code : undefined;
}
