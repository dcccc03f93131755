import type { IncomingMessage } from 'node:http';
import {
  execute,
  getOperationAST,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLError,
  type OperationDefinitionNode,
} from 'graphql';
import type { GatewayMetrics, OperationType } from '../observability/metrics';
import type { RequestContext } from '../resolvers/context';
import { logRequestErrors } from './error-formatting';
import { describeOperation, startHttpOperation, traceSocketOperation } from '../tracing/operation';

/** Records the answer to an HTTP operation ({@link OperationHook.startHttp}). */
export type HttpAnswered = (operation: OperationDefinitionNode | undefined, errors: readonly GraphQLError[] | undefined) => void;

/**
 * What every transport does once an operation is answered: count and time it by type and name,
 * and log the errors that are the gateway's (Redis unreachable, defects), never the client's
 * own mistakes. An operation that did not parse or validate has no type: it counts as `unknown`.
 *
 * Tracing (docs/tracing.md): an HTTP operation gets a span whose parent is its request's
 * `traceparent`, named after the operation with its outcome ({@link startHttp}); a WebSocket or
 * SSE query or mutation a span of its own ({@link execute}). Either is set on the operation's context
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

  /**
   * Starts an HTTP operation once its request is authenticated: its clock and, with tracing on,
   * its span, a child of the request's `traceparent` set on `context`. The returned function
   * records the answer, with the operation when it was resolved.
   */
  startHttp(request: IncomingMessage, context: RequestContext): HttpAnswered {
    const started = process.hrtime.bigint();
    const span = startHttpOperation(request.headers, request.method ?? 'POST', context);
    return (operation, errors) => {
      const type = operation?.operation ?? 'unknown';
      const name = operation?.name?.value;
      if (span) {
        describeOperation(span, type, name, Boolean(errors?.length), errorCode(errors));
        span.end();
      }
      this.answered(context, type, name, errors, Number(process.hrtime.bigint() - started) / 1e9);
    };
  }
}

/** The `extensions.code` of an operation's first error, for its span. */
function errorCode(errors: readonly GraphQLError[] | undefined): string | undefined {
  const code = errors?.[0]?.extensions.code;
  return typeof code === 'string' ? code : undefined;
}
