import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHandler } from 'graphql-sse';
import type { Logger } from 'pino';
import type { Services } from '../services';
import type { OwnerConnections } from './connection-limits';
import type { GraphqlPipeline } from './graphql-pipeline';
import type { SharedRenderer } from './shared-renderer';
import { SseAdmission, type RequestAuthenticator } from './sse-admission';
import { protocolOptions } from './sse-protocol';
import { SseTransport } from './sse-transport';

/** How often reservations and credentials of streams are checked, ms. */
const SWEEP_MS = 500;

/** The Server-Sent Events side of the gateway: graphql-sse on Node's HTTP server. */
export interface SseGateway {
  /** Event streams open or reserved now. */
  readonly streams: number;
  /** Answers one request of the protocol; never rejects. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void>;
  /** Ends every stream (clients reconnect, to another gateway, and resume). */
  close(): void;
}

/**
 * Starts graphql-sse (both its "distinct connections" and "single connection" modes) for
 * `path`, in three parts like the WebSocket side: the transport (Node's HTTP requests and
 * responses, bodies, event streams), admission (authentication as over HTTP, streams per
 * owner, subscriptions per stream, stream tokens, reservation and credential deadlines), and the
 * protocol options of graphql-sse's `createHandler` (the pipeline's documents, context, streamed
 * subscriptions rendered once per selection, `Last-Event-ID`, metrics and error formatting).
 * `owners` (each owner's connections) and `renderer` are the gateway's, shared with the WebSocket
 * side: one budget of connections per owner, and each event rendered once per selection for both.
 */
export function startSse(
  path: string,
  pipeline: GraphqlPipeline,
  services: Services,
  authenticate: RequestAuthenticator,
  logger: Logger,
  owners: OwnerConnections,
  renderer: SharedRenderer,
): SseGateway {
  const { config } = services;
  const admission = new SseAdmission(authenticate, config, owners);
  const handler = createHandler(protocolOptions(pipeline, services, logger, admission, renderer));
  const transport = new SseTransport(handler, admission, { path, maxBodyBytes: config.maxBodyBytes, logger });
  const sweeper = setInterval(() => {
    for (const lapsed of admission.sweep(Date.now())) void transport.forget(lapsed);
  }, SWEEP_MS);
  sweeper.unref();
  return {
    get streams() {
      return admission.size;
    },
    handle: (request, response) => transport.handle(request, response),
    close() {
      clearInterval(sweeper);
      admission.close();
    },
  };
}
