import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { getOperationAST, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { CloseCode, handleProtocols, makeServer, type WebSocket as GraphqlWsSocket } from 'graphql-ws';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { Authenticator, Principal } from '../auth/authenticator';
import type { Caller } from '../auth/caller';
import type { RequestContext } from '../resolvers/context';
import { ErrorCode, JobgateError } from '../errors';
import type { Services } from '../services';
import { createContext } from './context';
import { isUnexpected } from './error-formatting';
import type { GraphqlPipeline } from './graphql-pipeline';
import type { OriginPolicy } from './origin-policy';
import { PushedSubscription, pushSubscription, SharedRenderer, type PushTarget } from './pushed-subscriptions';
import { SocketKeeper } from './socket-keeper';
import { TurnWrites } from './turn-writes';

/** How often every socket is pinged; one that has not answered the previous ping is dropped. */
const KEEP_ALIVE_MS = 12_000;
/** Time a socket has to send an accepted `connection_init`. */
const INIT_TIMEOUT_MS = 3_000;

/** Close code sent to every socket when the gateway shuts down ("going away"). */
export const CLOSE_GOING_AWAY = 1001;
/** Missing, invalid or expired credentials (graphql-ws' Unauthorized). */
export const CLOSE_UNAUTHORIZED = CloseCode.Unauthorized;
/** Too many sockets for one owner (graphql-ws' 4429). */
export const CLOSE_TOO_MANY = 4429;

/** The WebSocket side of the gateway: graphql-ws on `ws`, sharing the HTTP server's port. */
export interface WebSocketGateway {
  /** Open sockets now. */
  readonly sockets: number;
  close(): Promise<void>;
}

/**
 * Starts graphql-ws (`graphql-transport-ws`) on `path` of `server`. graphql-ws' protocol
 * server (`makeServer`) is bound to `ws` here rather than through its `useServer`, which
 * keeps the upgrade request and two timers per socket and a promise per message: one
 * SocketKeeper times every socket, and subscriptions write their events themselves.
 */
export function startWebSocket(server: Server, path: string, pipeline: GraphqlPipeline, services: Services, authenticator: Authenticator, logger: Logger, origins: OriginPolicy): WebSocketGateway {
  const { config } = services;
  const { schema, documents, hook, formatError } = pipeline;
  // Upgrades are handled here rather than by `ws` on `server`, to keep each socket's transport for TurnWrites.
  const wss = new WebSocketServer({ noServer: true, path, maxPayload: config.maxBodyBytes, handleProtocols });
  const writes = new TurnWrites();
  const onUpgrade = (request: IncomingMessage, transport: Duplex, head: Buffer): void => {
    const refusal = origins.refusal(request.headers);
    if (refusal) {
      transport.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(refusal)}\r\nConnection: close\r\n\r\n${refusal}`);
      return;
    }
    wss.handleUpgrade(request, transport, head, (socket) => {
      writes.attach(socket, transport);
      wss.emit('connection', socket, request);
    });
  };
  server.on('upgrade', onUpgrade);
  const keeper = new SocketKeeper({ keepAliveMs: KEEP_ALIVE_MS, initTimeoutMs: INIT_TIMEOUT_MS, tickMs: 500 });
  const callers = new WeakMap<WebSocket, Caller>();
  const socketsPerOwner = new Map<string, number>();
  const targets = new WeakMap<object, PushTarget>();
  const renderer = new SharedRenderer(
    (result) => clientResult(result, logger, formatError),
    (context) => {
      const { caller, requestId, pacing } = context as RequestContext;
      return createContext(services, logger, caller, requestId, pacing);
    },
  );

  /** Counts the socket against its owner until `release`; false when the owner has too many. */
  const admit = (socket: WebSocket, principal: Principal): boolean => {
    const open = socketsPerOwner.get(principal.id) ?? 0;
    if (open >= config.maxSocketsPerOwner) return false;
    socketsPerOwner.set(principal.id, open + 1);
    callers.set(socket, principal);
    keeper.initialised(socket, principal.expiresAt);
    return true;
  };
  const release = (socket: WebSocket): void => {
    const caller = callers.get(socket);
    if (!caller) return;
    callers.delete(socket);
    const remaining = (socketsPerOwner.get(caller.id) ?? 1) - 1;
    if (remaining > 0) socketsPerOwner.set(caller.id, remaining);
    else socketsPerOwner.delete(caller.id);
  };

  const protocol = makeServer<Record<string, unknown> | undefined, { socket: WebSocket }>({
    schema,
    connectionInitWaitTimeout: 0,
    onConnect: async (ctx) => {
      const { connectionParams, extra } = ctx;
      const authorization = typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : undefined;
      // Nothing reads the init payload after this hook: dropped so an idle socket does not keep its token.
      (ctx as { connectionParams?: unknown }).connectionParams = undefined;
      try {
        const principal = await authenticator.authenticate(authorization);
        if (admit(extra.socket, principal)) return true;
        extra.socket.close(CLOSE_TOO_MANY, 'Too many sockets for this owner');
        return false;
      } catch (error) {
        if (error instanceof JobgateError) extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
        else extra.socket.close(1011, 'Internal error');
        return false;
      }
    },
    // graphql-ws has already registered the new subscription when this runs: count includes it.
    // The document is parsed and validated here: graphql-ws answers a syntax error thrown by its own
    // parse by failing the whole socket (4500), where the client should get an `error` message.
    onSubscribe: (ctx, _id, payload) => {
      if (Object.keys(ctx.subscriptions).length > config.maxSubscriptionsPerSocket) {
        return [new JobgateError(ErrorCode.RATE_LIMITED, `At most ${config.maxSubscriptionsPerSocket} subscriptions per socket`)];
      }
      const prepared = documents.prepare(payload.query);
      if ('errors' in prepared) return [...prepared.errors];
      const { document } = prepared;
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
    },
    context: ({ extra }, id) => {
      const caller = callers.get(extra.socket);
      if (!caller) throw new TypeError('Subscription before authentication');
      const context = createContext(services, logger, caller, operationRequestId(), { socket: extra.socket });
      targets.set(context, { socket: extra.socket, id, writes });
      return context;
    },
    // Events are executed and serialized once per selection and written straight to the socket.
    subscribe: (args) => {
      const target = typeof args.contextValue === 'object' && args.contextValue !== null ? targets.get(args.contextValue) : undefined;
      if (!target) throw new TypeError('Subscription without a context from this server');
      return pushSubscription(args, target, renderer);
    },
    // Counts open subscriptions until they end, however they end.
    onOperation: (_ctx, _id, _payload, args, result) => {
      const operation = getOperationAST(args.document, args.operationName);
      if (result instanceof PushedSubscription) result.whenEnded(hook.subscribed(operation?.name?.value));
      // graphql-ws awaits the result first; a query or mutation's errors are logged by onNext.
      else if (!(result instanceof Promise) && !(Symbol.asyncIterator in result)) hook.answered(undefined, operation?.operation ?? 'unknown', operation?.name?.value, result.errors);
    },
    onNext: (_ctx, _id, _payload, _args, result) => (result.errors ? clientResult(result, logger, formatError) : undefined),
    onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error, error)),
  });

  // One listener of each kind for every socket (`this` is the socket), rather than closures per socket.
  const closers = new WeakMap<WebSocket, (code: number, reason: string) => Promise<void>>();
  function onError(this: WebSocket, error: Error): void {
    logger.warn({ err: error }, 'WebSocket error');
    this.close(CloseCode.InternalServerError, 'Internal server error');
  }
  function onClose(this: WebSocket, code: number, reason: Buffer): void {
    keeper.remove(this);
    release(this);
    const closed = closers.get(this);
    closers.delete(this);
    closed?.(code, String(reason)).catch((error: unknown) => logger.error({ err: error }, 'unexpected WebSocket close handling error'));
  }

  wss.on('connection', (socket) => {
    keeper.add(socket);
    socket.on('error', onError);
    closers.set(socket, protocol.opened(new ProtocolSocket(socket, logger), { socket }));
    socket.on('close', onClose);
  });

  return {
    get sockets() {
      return wss.clients.size;
    },
    async close() {
      keeper.close();
      server.off('upgrade', onUpgrade);
      for (const socket of wss.clients) socket.close(CLOSE_GOING_AWAY, 'Server shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

/** The message handler graphql-ws gave each socket's ProtocolSocket. */
const handlers = new WeakMap<WebSocket, ProtocolSocket>();

/** The one `message` listener of every socket (`this` is the socket): hands the text to graphql-ws. */
function onProtocolMessage(this: WebSocket, data: RawData): void {
  handlers.get(this)?.receive(String(data));
}

/**
 * graphql-ws' view of a `ws` socket. A class rather than an object of arrow functions, and one
 * shared `message` listener: its methods are shared by every socket, not closures each.
 */
class ProtocolSocket implements GraphqlWsSocket {
  private handle: ((data: string) => Promise<void>) | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly logger: Logger,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.handle = handle;
    handlers.set(this.socket, this);
    this.socket.on('message', onProtocolMessage);
  }

  /** One message for graphql-ws; a failure of its handling closes the socket. */
  receive(data: string): void {
    this.handle?.(data).catch((error: unknown) => {
      this.logger.error({ err: error }, 'unexpected WebSocket message handling error');
      this.socket.close(CloseCode.InternalServerError, 'Internal server error');
    });
  }
}

/** A subscription result as the client may see it: errors formatted, defects logged. */
function clientResult(result: ExecutionResult, logger: Logger, formatError: GraphqlPipeline['formatError']): FormattedExecutionResult {
  if (!result.errors) return { data: result.data };
  for (const error of result.errors) {
    if (isUnexpected(error, error)) logger.error({ err: error.originalError ?? error }, 'unexpected subscription error');
  }
  return { ...result, errors: result.errors.map((error) => formatError(error, error)) };
}

/** A request id for one WebSocket operation: one flat string (a UUID is built of ~20 concatenated pieces that an idle subscription would keep). */
function operationRequestId(): string {
  return randomBytes(16).toString('hex');
}
