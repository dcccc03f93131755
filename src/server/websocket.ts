import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authenticator } from '../auth/authenticator';
import type { Caller } from '../auth/caller';
import { JobgateError } from '../errors';
import type { Services } from '../services';
import { createContext } from './context';
import { isUnexpected, toClientError } from './error-formatting';

/** Close code sent to every socket when the gateway shuts down ("going away"). */
export const CLOSE_GOING_AWAY = 1001;

/** The WebSocket side of the gateway: graphql-ws on `ws`, sharing the HTTP server's port. */
export interface WebSocketGateway {
  /** Open sockets now. */
  readonly sockets: number;
  close(): Promise<void>;
}

/** Starts graphql-ws (`graphql-transport-ws`) on `path` of `server`. */
export function startWebSocket(server: Server, path: string, schema: GraphQLSchema, services: Services, authenticator: Authenticator, logger: Logger): WebSocketGateway {
  const wss = new WebSocketServer({ server, path, maxPayload: services.config.maxBodyBytes });
  const callers = new WeakMap<WebSocket, Caller>();
  const disposable = useServer(
    {
      schema,
      connectionInitWaitTimeout: 3000,
      onConnect: async ({ connectionParams, extra }) => {
        const authorization = typeof connectionParams?.authorization === 'string' ? connectionParams.authorization : undefined;
        try {
          callers.set(extra.socket, await authenticator.authenticate(authorization));
          return true;
        } catch (error) {
          if (error instanceof JobgateError) extra.socket.close(4401, 'Unauthorized');
          else extra.socket.close(1011, 'Internal error');
          return false;
        }
      },
      context: ({ extra }) => {
        const caller = callers.get(extra.socket);
        if (!caller) throw new TypeError('Subscription before authentication');
        return createContext(services, logger, caller, randomUUID(), { socketBacklog: () => extra.socket.bufferedAmount });
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
