import type { Server } from 'node:http';
import { makeServer } from 'graphql-ws';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator';
import type { Services } from '../services';
import { CloseCode, CloseReason } from './close-codes';
import type { OwnerConnections } from './connection-limits';
import type { GraphqlPipeline } from './graphql-pipeline';
import type { OriginPolicy } from './origin-policy';
import type { SharedRenderer } from './shared-renderer';
import { TurnWrites } from './turn-writes';
import { Admission } from './websocket-admission';
import { protocolOptions } from './websocket-protocol';
import { WebSocketTransport } from './websocket-transport';

/** The WebSocket side of the gateway: graphql-ws on `ws`, sharing the HTTP server's port. */
export interface WebSocketGateway {
  /** Open sockets now. */
  readonly sockets: number;
  close(): Promise<void>;
}

/**
 * Starts graphql-ws (`graphql-transport-ws`) on `path` of `server`, in three parts: the
 * transport (`ws`, upgrades and the origin check, TurnWrites, graphql-ws bound to each socket),
 * admission (authentication at `connection_init`, sockets per owner, subscriptions per socket,
 * the SocketKeeper's timers), and the protocol options of graphql-ws' `makeServer` (the
 * pipeline's documents, context, pushed subscriptions, metrics and error formatting).
 * `owners` (each owner's connections) and `renderer` are the gateway's, shared with the SSE side:
 * one budget of connections per owner, and each event rendered once per selection for both.
 */
export function startWebSocket(
  server: Server,
  path: string,
  pipeline: GraphqlPipeline,
  services: Services,
  authenticator: Authenticator,
  logger: Logger,
  origins: OriginPolicy,
  owners: OwnerConnections,
  renderer: SharedRenderer,
): WebSocketGateway {
  const { config } = services;
  const writes = new TurnWrites();
  const admission = new Admission(authenticator, config, owners);
  const protocol = makeServer(protocolOptions(pipeline, services, logger, admission, writes, renderer));
  const transport = new WebSocketTransport(server, path, protocol, admission, { maxPayload: config.maxBodyBytes, origins, writes, logger });
  return {
    get sockets() {
      return transport.sockets;
    },
    async close() {
      admission.close();
      await transport.close(CloseCode.GoingAway, CloseReason.GoingAway);
    },
  };
}
