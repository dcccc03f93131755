import { randomBytes } from 'node:crypto';
import {
  getOperationAST,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLError,
  type GraphQLFormattedError,
} from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller';
import type { RequestContext } from '../resolvers/context';
import type { Services } from '../services';
import { createContext } from './context';
import { isUnexpected } from './error-formatting';
import { MAX_INPUT_NESTING, nestedDeeperThan, tooDeeplyNested } from './input-nesting';
import type { GraphqlPipeline } from './graphql-pipeline';
import { PushedSubscription, pushSubscription, type PushTarget } from './pushed-subscriptions';
import { ServedSubscriptions } from './served-subscriptions';
import { SharedRenderer } from './shared-renderer';
import type { TurnWrites } from './turn-writes';
import type { Admission } from './websocket-admission';
import type { SocketExtra } from './websocket-transport';

/** The `connection_init` payload graphql-ws hands `onConnect`. */
type InitPayload = Record<string, unknown> | undefined;

/**
 * The graphql-ws options the gateway may set. A subscription leaves graphql-ws once it starts
 * (./served-subscriptions.ts), so graphql-ws' hooks on a running operation never see it:
 * `onComplete` is left out, so that setting it does not compile, and `onNext` and `onError` see
 * queries and mutations only. What a subscription's events or its end need goes to
 * ServedSubscriptions and PushedSubscription.
 */
export type ProtocolOptions = Omit<ServerOptions<InitPayload, SocketExtra>, 'onComplete'>;

/**
 * graphql-ws' protocol server options (for its `makeServer`), on the gateway's one pipeline:
 * `connection_init` goes to admission; documents are parsed and validated by the pipeline's
 * `documents.prepare`; subscriptions are pushed (`pushSubscription`), their events rendered
 * once per selection by `renderer` (the gateway's one, shared with the SSE side); operations are counted by the pipeline's `hook`, errors formatted by
 * `pipeline.formatError`. Knows the socket only as `extra.socket`.
 */
export function protocolOptions(
  pipeline: GraphqlPipeline,
  services: Services,
  logger: Logger,
  admission: Admission,
  writes: TurnWrites,
  renderer: SharedRenderer,
): ProtocolOptions {
  const { schema, documents, hook, formatError } = pipeline;
  const targets = new WeakMap<object, PushTarget>();
  const errorPayload = (errors: readonly GraphQLError[]): GraphQLFormattedError[] => errors.map((error) => formatError(error, error));

  return {
    schema,
    connectionInitWaitTimeout: 0,
    // Queries and mutations: graphql-js' execute, in a span of their own when tracing is on.
    execute: hook.execute,
    onConnect: (ctx) => {
      const { connectionParams, extra } = ctx;
      const authorization = typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : undefined;
      // Nothing reads the init payload after this hook: dropped so an idle socket does not keep its token.
      (ctx as { connectionParams?: unknown }).connectionParams = undefined;
      return admission.connect(extra.socket, authorization);
    },
    // graphql-ws has already registered the new subscription when this runs: count includes it, beside those served.
    // The document is parsed and validated here: graphql-ws answers a syntax error thrown by its own
    // parse by failing the whole socket (4500), where the client should get an `error` message.
    onSubscribe: (ctx, _id, payload) => {
      const refusal = admission.subscriptionRefusal(Object.keys(ctx.subscriptions).length + (ctx.extra.served?.size ?? 0));
      if (refusal) return [refusal];
      if (nestedDeeperThan(payload.variables, MAX_INPUT_NESTING)) return [tooDeeplyNested()];
      const prepared = documents.prepare(payload.query);
      if ('errors' in prepared) return [...prepared.errors];
      const { document } = prepared;
      // graphql-ws keeps the message for the life of the subscription: its copy of the text gives
      // way to the cached document's own (the same characters), one string for every subscriber.
      if (document.loc) (payload as { query: string }).query = document.loc.source.body;
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
    },
    context: ({ extra }, id) => {
      const caller = admission.callerOf(extra.socket);
      if (!caller) throw new TypeError('Subscription before authentication');
      // `extra` is the socket's pacing ({ socket }): one object per socket, not one per subscription.
      const context = createContext(services, logger, caller, operationRequestId(), extra);
      targets.set(context, { socket: extra.socket, id, writes });
      return context;
    },
    // Events are executed and serialized once per selection and written straight to the socket.
    subscribe: (args) => {
      const target = typeof args.contextValue === 'object' && args.contextValue !== null ? targets.get(args.contextValue) : undefined;
      if (!target) throw new TypeError('Subscription without a context from this server');
      return pushSubscription(args, target, renderer);
    },
    // Counts open subscriptions until they end, however they end; a started one is served from here on.
    onOperation: (ctx, _id, _payload, args, result) => {
      const operation = getOperationAST(args.document, args.operationName);
      if (result instanceof PushedSubscription) {
        result.whenEnded(hook.subscribed(operation?.name?.value));
        const { extra } = ctx;
        return (extra.served ??= new ServedSubscriptions(extra.socket, errorPayload)).adopt(ctx, result);
      }
      // graphql-ws awaits the result first; a query or mutation's errors are logged by onNext.
      if (!(result instanceof Promise) && !(Symbol.asyncIterator in result))
        hook.answered(undefined, operation?.operation ?? 'unknown', operation?.name?.value, result.errors);
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? clientResult(result, logger, formatError) : undefined),
    onError: (_ctx, _id, _payload, errors) => errorPayload(errors),
  };
}

/**
 * The gateway's one renderer of subscription events, shared by the WebSocket and SSE sides: an
 * event watched over both is executed and serialized once per selection, whatever the transport.
 * Subscription contexts are RequestContexts, on either side.
 */
export function createRenderer(pipeline: GraphqlPipeline, services: Services, logger: Logger): SharedRenderer {
  const { formatError } = pipeline;
  return new SharedRenderer((result) => clientResult(result, logger, formatError), {
    shared: (context) => {
      const { requestId, pacing } = context as RequestContext;
      return createContext(services, logger, NO_CALLER, requestId, pacing);
    },
    own: (context) => {
      const { caller, requestId, pacing } = context as RequestContext;
      return createContext(services, logger, caller, requestId, pacing);
    },
    callerKey: (context) => callerKey((context as RequestContext).caller),
  });
}

/** Thrown by a field that reads the caller while an event is rendered for every caller alike. */
class CallerInSharedRender extends Error {
  constructor() {
    super('A field read the caller while a subscription event was rendered for every subscriber: mark it @CallerDependent()');
    this.name = 'CallerInSharedRender';
  }
}

/**
 * The caller of a shared render: there is none, and any field that asks (for the owner id or the
 * roles, as `canRead`, `readsAll` and `hasRole` do) fails rather than seeing some subscriber's.
 */
export const NO_CALLER: Caller = Object.freeze({
  get id(): string {
    throw new CallerInSharedRender();
  },
  get roles(): readonly Caller['roles'][number][] {
    throw new CallerInSharedRender();
  },
});

/** All a resolver can tell of a caller: its owner id and its roles. */
export function callerKey(caller: Caller): string {
  return JSON.stringify([caller.id, [...caller.roles].sort()]);
}

/** A subscription result as the client may see it: errors formatted, defects logged. */
export function clientResult(
  result: ExecutionResult,
  logger: Logger,
  formatError: GraphqlPipeline['formatError'],
): FormattedExecutionResult {
  if (!result.errors) return { data: result.data };
  for (const error of result.errors) {
    if (isUnexpected(error, error)) logger.error({ err: error.originalError ?? error }, 'unexpected subscription error');
  }
  return { ...result, errors: result.errors.map((error) => formatError(error, error)) };
}

/** Random bytes for request ids, drawn 256 ids at a time: subscribing sockets churn by thousands a second. */
let entropy = Buffer.alloc(0);
let drawn = 0;

/** A request id for one WebSocket operation: one flat string (a UUID is built of ~20 concatenated pieces that an idle subscription would keep). */
function operationRequestId(): string {
  if (drawn + 16 > entropy.length) {
    entropy = randomBytes(4096);
    drawn = 0;
  }
  drawn += 16;
  return entropy.toString('hex', drawn - 16, drawn);
}
