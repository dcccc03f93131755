import type { IncomingMessage } from 'node:http';
import { getOperationAST, type ExecutionResult as GraphqlExecutionResult, type GraphQLError } from 'graphql';
import { TOKEN_HEADER_KEY, TOKEN_QUERY_KEY, type ExecutionResult, type HandlerOptions, type Request, type Response } from 'graphql-sse';
import type { Logger } from 'pino';
import type { Principal } from '../auth/authenticator';
import { ErrorCode, JobgateError } from '../errors';
import type { Services } from '../services';
import { createContext, requestIdFrom } from './context';
import type { GraphqlPipeline } from './graphql-pipeline';
import type { SharedRenderer } from './shared-renderer';
import type { SseAdmission } from './sse-admission';
import { resumeFromLastEventId } from './sse-resume';
import type { EventStream } from './sse-stream';
import { SseSubscription, streamSubscription, type SseTarget } from './sse-subscription';
import { clientResult } from './websocket-protocol';

/** What the gateway learns of one HTTP request of the protocol while graphql-sse handles it. */
export interface SseRequestContext {
  /** The authenticated caller. */
  caller?: Principal;
  /** The stream the request opens (PUT, a distinct connection), connects (GET) or sends an operation to. */
  stream?: EventStream;
  /** Whether this request opened `stream`: it is let go unless it was reserved (201) or became an event stream. */
  opened?: boolean;
  /** The gateway's own request that makes graphql-sse forget a reservation never connected (SseTransport). */
  lapsing?: EventStream;
}

/** A request as graphql-sse's handler sees it (`raw` is undefined for the gateway's own). */
export type SseRequest = Request<IncomingMessage | undefined, SseRequestContext>;

/** graphql-sse's type for an operation's context value; the value is always a RequestContext. */
type HandlerContext = Record<PropertyKey, unknown>;

/** A graphql-sse response carrying a JSON `errors` body: how every request the gateway refuses is answered. */
export function refusal(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  const statusText = STATUS_TEXT[status] ?? 'Error';
  return [
    JSON.stringify({ errors: [{ message, extensions: { code } }] }),
    { status, statusText, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } },
  ];
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
};

/**
 * graphql-sse's handler options (for its `createHandler`), on the gateway's one pipeline, as
 * websocket-protocol.ts is for graphql-ws: every request is authenticated as HTTP requests are
 * (`Authorization: Bearer`); streams are counted per owner and tokens bound to their owner by
 * admission; documents are parsed and validated by the pipeline's `documents.prepare`;
 * `Last-Event-ID` resumes a subscription that has `since`; subscriptions are written straight
 * to their stream (`streamSubscription`), their events rendered once per selection by `renderer`
 * (the gateway's one, shared with the WebSocket side); operations
 * are counted by the pipeline's `hook`, errors formatted by `pipeline.formatError`.
 *
 * Request errors (a document that does not parse or validate, too many subscriptions on the
 * stream) and a subscription's own errors arrive as a `next` message carrying `errors`, then
 * `complete`: graphql-sse has no error message, and its client retries any other status as a
 * network failure.
 */
export function protocolOptions(
  pipeline: GraphqlPipeline,
  services: Services,
  logger: Logger,
  admission: SseAdmission,
  renderer: SharedRenderer,
): HandlerOptions<IncomingMessage | undefined, SseRequestContext, HandlerContext> {
  const { schema, documents, hook, formatError } = pipeline;
  const targets = new WeakMap<object, SseTarget>();
  const format = (result: GraphqlExecutionResult) => clientResult(result, logger, formatError);

  return {
    // Documents are validated by `documents.prepare` in onSubscribe, with the pipeline's rules, once per text.
    validate: () => [],
    // Queries and mutations: graphql-js' execute, in a span of their own when tracing is on.
    execute: hook.execute,
    authenticate: async (request) => {
      const { context } = request;
      if (context.lapsing) return context.lapsing.token;
      if (!request.raw) throw new TypeError('A request of the gateway itself other than a lapsing reservation');
      let caller: Principal;
      try {
        caller = await admission.caller(request.raw);
      } catch (error) {
        if (error instanceof JobgateError) return refusal(401, ErrorCode.UNAUTHENTICATED, error.message);
        throw error;
      }
      context.caller = caller;
      const eventStream = request.headers.get('accept') === 'text/event-stream';
      const token = request.headers.get(TOKEN_HEADER_KEY) || new URL(request.url, 'http://localhost/').searchParams.get(TOKEN_QUERY_KEY);
      if (request.method === 'PUT' || (!token && eventStream)) {
        const stream = admission.open(caller, request.method === 'PUT');
        if (!stream)
          return refusal(
            429,
            ErrorCode.RATE_LIMITED,
            `At most ${admission.limits.maxSocketsPerOwner} connections (WebSockets and event streams together) at once per owner`,
          );
        context.stream = stream;
        context.opened = true;
        // A token for a reservation; none for a distinct connection.
        return stream.token ?? null;
      }
      if (!token)
        return refusal(
          404,
          ErrorCode.BAD_USER_INPUT,
          `Stream not found: send Accept: text/event-stream, or the token of a stream reserved with PUT in ${TOKEN_HEADER_KEY}`,
        );
      // Another owner's token answers like an unknown one.
      const stream = admission.find(token, caller);
      if (!stream) return refusal(404, ErrorCode.NOT_FOUND, 'Stream not found');
      if (eventStream) stream.deadline = undefined;
      context.stream = stream;
      return token;
    },
    onSubscribe: (request, params) => {
      const { caller, stream } = request.context;
      if (!caller || !stream) throw new TypeError('An operation before authentication');
      const prepared = documents.prepare(params.query);
      if ('errors' in prepared) {
        hook.answered(undefined, 'unknown', null, prepared.errors);
        return requestErrors(prepared.errors);
      }
      let { document } = prepared;
      let variableValues = params.variables;
      const lastEventId = request.headers.get('last-event-id');
      if (lastEventId) {
        const resumed = resumeFromLastEventId(schema, document, params.operationName, variableValues, lastEventId);
        if (resumed) ({ document, variableValues } = resumed);
      }
      const contextValue = createContext(services, logger, caller, requestIdFrom(request.raw?.headers['x-request-id']), {
        socket: stream,
      });
      const operationId = stream.token === undefined ? undefined : String(params.extensions?.operationId ?? '');
      targets.set(contextValue, { stream, operationId });
      return {
        schema,
        document,
        operationName: params.operationName,
        variableValues,
        contextValue: contextValue as unknown as HandlerContext,
      };
    },
    // Events are executed and serialized once per selection and written straight to the stream.
    subscribe: (args) => {
      const target = targets.get(args.contextValue);
      if (!target) throw new TypeError('Subscription without a context from this server');
      const { stream } = target;
      const refused = admission.subscriptionRefusal(stream);
      if (refused) return { errors: [refused] };
      return streamSubscription(args, target, renderer, format);
    },
    // Counts open subscriptions until they end, however they end.
    onOperation: (_context, _request, args, result) => {
      const operation = getOperationAST(args.document, args.operationName);
      if (result instanceof SseSubscription) result.whenEnded(hook.subscribed(operation?.name?.value));
      else if (!(result instanceof Promise) && !(Symbol.asyncIterator in result))
        hook.answered(undefined, operation?.operation ?? 'unknown', operation?.name?.value, result.errors);
    },
    // graphql-sse serializes what it is given: the formatted errors are what the client may see.
    // (No incremental delivery here: a result is never a patch.)
    onNext: (_context, _request, result) =>
      result.errors ? (format(result as GraphqlExecutionResult) as unknown as ExecutionResult) : undefined,
  };
}

/**
 * The result of an operation refused before it ran. graphql-sse tells a result from execution
 * arguments by its `data` key, which a request error must not show: an undefined `data` passes
 * that test and is not serialized.
 */
function requestErrors(errors: readonly GraphQLError[]): ExecutionResult {
  return { data: undefined, errors };
}
