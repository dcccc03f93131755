import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { getOperationAST, specifiedRules, validate, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator, Principal } from '../auth/authenticator';
import type { Caller } from '../auth/caller';
import type { GatewayMetrics } from '../observability/metrics';
import { ErrorCode, JobgateError } from '../errors';
import type { Services } from '../services';
import { createContext } from './context';
import { isUnexpected, toClientError } from './error-formatting';
import { operationLimits } from './limits';

/** Close code sent to every socket when the gateway shuts down ("going away"). */
export const CLOSE_GOING_AWAY = 1001;
/** Missing, invalid or expired credentials (graphql-ws' Unauthorized). */
export const CLOSE_UNAUTHORIZED = 4401;
/** Too many sockets for one owner (graphql-ws' 4429). */
export const CLOSE_TOO_MANY = 4429;

/** The WebSocket side of the gateway: graphql-ws on `ws`, sharing the HTTP server's port. */
export interface WebSocketGateway {
  /** Open sockets now. */
  readonly sockets: number;
  close(): Promise<void>;
}

/** Starts graphql-ws (`graphql-transport-ws`) on `path` of `server`. */
export function startWebSocket(server: Server, path: string, schema: GraphQLSchema, services: Services, authenticator: Authenticator, logger: Logger, metrics?: GatewayMetrics): WebSocketGateway {
  const { config } = services;
  const wss = new WebSocketServer({ server, path, maxPayload: config.maxBodyBytes });
  const callers = new WeakMap<WebSocket, Caller>();
  const socketsPerOwner = new Map<string, number>();
  const rules = [...specifiedRules, ...operationLimits(config)];

  /** Counts the socket against its owner until it closes; false when the owner has too many. */
  const admit = (socket: WebSocket, principal: Principal): boolean => {
    const open = socketsPerOwner.get(principal.id) ?? 0;
    if (open >= config.maxSocketsPerOwner) return false;
    socketsPerOwner.set(principal.id, open + 1);
    const expiry = principal.expiresAt === undefined ? undefined : setTimeout(() => socket.close(CLOSE_UNAUTHORIZED, 'Token expired'), Math.max(0, principal.expiresAt - Date.now()));
    socket.once('close', () => {
      clearTimeout(expiry);
      const remaining = (socketsPerOwner.get(principal.id) ?? 1) - 1;
      if (remaining > 0) socketsPerOwner.set(principal.id, remaining);
      else socketsPerOwner.delete(principal.id);
    });
    return true;
  };

  const disposable = useServer(
    {
      schema,
      connectionInitWaitTimeout: 3000,
      validate: (validationSchema, document) => validate(validationSchema, document, rules),
      onConnect: async ({ connectionParams, extra }) => {
        const authorization = typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : undefined;
        try {
          const principal = await authenticator.authenticate(authorization);
          if (!admit(extra.socket, principal)) {
            extra.socket.close(CLOSE_TOO_MANY, 'Too many sockets for this owner');
            return false;
          }
          callers.set(extra.socket, principal);
          return true;
        } catch (error) {
          if (error instanceof JobgateError) extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          else extra.socket.close(1011, 'Internal error');
          return false;
        }
      },
      // graphql-ws has already registered the new subscription when this runs: count includes it.
      onSubscribe: (ctx) => {
        if (Object.keys(ctx.subscriptions).length <= config.maxSubscriptionsPerSocket) return undefined;
        return [new JobgateError(ErrorCode.RATE_LIMITED, `At most ${config.maxSubscriptionsPerSocket} subscriptions per socket`)];
      },
      context: ({ extra }) => {
        const caller = callers.get(extra.socket);
        if (!caller) throw new TypeError('Subscription before authentication');
        return createContext(services, logger, caller, randomUUID(), { socketBacklog: () => extra.socket.bufferedAmount });
      },
      // Counts open subscriptions: every one ends through this wrapper, however it ends.
      onOperation: (_ctx, _id, _payload, args, result) => {
        if (!metrics || !(Symbol.asyncIterator in result)) return undefined;
        return metrics.subscription(getOperationAST(args.document, args.operationName)?.name?.value, result);
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return undefined;
        for (const error of result.errors) {
          if (isUnexpected(error, error)) logger.error({ err: error.originalError ?? error }, 'unexpected subscription error');
        }
        return { ...result, errors: result.errors.map((error) => toClientError(error, error)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => toClientError(error, error)),
    },
    wss,
  );
  return {
    get sockets() {
      return wss.clients.size;
    },
    async close() {
      for (const socket of wss.clients) socket.close(CLOSE_GOING_AWAY, 'Server shutting down');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
