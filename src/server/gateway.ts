import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { specifiedRules } from 'graphql';
import type { Logger } from 'pino';
import { Authenticator, type Principal } from '../auth/authenticator';
import { isLoopbackHost, redisTarget, type Config } from '../config';
import { JobgateError } from '../errors';
import { buildJobgateSchema } from '../schema/build-schema';
import { graphqlMetricsPlugin } from '../observability/graphql-metrics.plugin';
import { GatewayMetrics } from '../observability/metrics';
import { whenReady } from '../redis/connections';
import { createServices, type Services } from '../services';
import { upsertDeclaredSchedules } from '../services/schedules';
import { JobRegistry } from '../workers/registry';
import { createApollo } from './apollo';
import { createContext, requestIdFrom } from './context';
import { DocumentCache } from './document-cache';
import { downloads } from './downloads';
import { BodyError, bodyErrorResult, GraphqlPost } from './graphql-post';
import { liveness, readiness } from './health';
import { HttpExecution } from './http-execution';
import { operationRules } from './limits';
import { startWebSocket } from './websocket';

/** A running gateway: HTTP (Apollo), WebSocket (graphql-ws), health, downloads and the web UI. */
export interface Gateway {
  url: string;
  server: Server;
  services: Services;
  close(): Promise<void>;
}

const WEB_ROOT = path.resolve(__dirname, '..', '..', 'dist', 'web');
/** On shutdown, HTTP requests in flight get this long before their connections are cut, ms. */
const HTTP_DRAIN_MS = 5000;

/** Body parsing failures (too large, broken JSON) as GraphQL-shaped JSON with the right status. */
function requestErrors(error: { status?: number; type?: string; message?: string }, _request: express.Request, response: express.Response, next: express.NextFunction): void {
  if (response.headersSent) return next(error);
  const status = error.status && error.status >= 400 && error.status < 500 ? error.status : 500;
  response.status(status).json(bodyErrorResult(error.type === 'entity.too.large' ? BodyError.TOO_LARGE : status === 500 ? BodyError.INTERNAL : BodyError.MALFORMED));
}

/** The caller of an HTTP request; bad credentials answer 401 with UNAUTHENTICATED. */
async function authenticateHttp(authenticator: Authenticator, request: IncomingMessage): Promise<Principal> {
  try {
    return await authenticator.authenticate(request.headers.authorization, request.socket);
  } catch (error) {
    if (error instanceof JobgateError) throw new JobgateError(error.code, error.message, { http: { status: 401 } });
    throw error;
  }
}

/**
 * Dev mode (no authentication configured) lets anyone do anything, so it only listens on
 * loopback unless ALLOW_INSECURE_DEV=1 says otherwise.
 */
function checkDevMode(config: Config, logger: Logger): void {
  if (!config.devMode) return;
  if (!isLoopbackHost(config.host) && !config.allowInsecureDev) {
    throw new Error(`Refusing to listen on ${config.host} without authentication: set JWT_SECRET, JWKS_URL or API_KEYS (or ALLOW_INSECURE_DEV=1)`);
  }
  logger.warn('dev mode: no authentication configured; every caller is "dev" with every role');
}

/** Starts a gateway on `config.host:config.port`. */
export async function startGateway(config: Config, logger: Logger, registry = new JobRegistry()): Promise<Gateway> {
  checkDevMode(config, logger);
  const schema = await buildJobgateSchema(registry);
  const services = createServices(config, logger, registry);
  // The last refusal tells a wrong password (WRONGPASS, NOAUTH) from a Redis that is down.
  let refusal: string | undefined;
  const remember = (error: Error): void => void (refusal = error.message);
  services.redis.on('error', remember);
  if (!(await whenReady(services.redis, 5000))) logger.warn({ redis: redisTarget(config), refusal }, 'Redis is not reachable yet; requests answer UNAVAILABLE until it is');
  services.redis.off('error', remember);
  await upsertDeclaredSchedules(config, registry, services.store.queues, logger).catch((error: unknown) => logger.warn({ err: error }, 'declared schedules not upserted'));
  const authenticator = new Authenticator(config);
  const app = express();
  // Requests are routed once Apollo has started (below); the drain plugin needs the server first.
  const server = createServer();
  const apollo = createApollo(schema, config);
  const metrics = new GatewayMetrics(services, logger);
  apollo.addPlugin(graphqlMetricsPlugin(metrics));
  // On stop: no new connections, keep-alive connections closed after their request in flight
  // (clients that keep sending would otherwise hold the shutdown), the rest cut after the grace.
  apollo.addPlugin(ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: HTTP_DRAIN_MS }));
  await apollo.start();
  // Parsed and validated once per distinct text, for plain HTTP requests and WebSocket operations alike.
  const documents = new DocumentCache(schema, [...specifiedRules, ...operationRules(config)]);
  const context = async (request: IncomingMessage) =>
    createContext(services, logger, await authenticateHttp(authenticator, request), requestIdFrom(request.headers['x-request-id']));
  const graphqlPost = new GraphqlPost({ execution: new HttpExecution(schema, documents, metrics), apollo, maxBodyBytes: config.maxBodyBytes, context, logger });

  app.disable('x-powered-by');
  // An ETag is a hash of every response body: no GraphQL client revalidates a POST.
  app.disable('etag');
  app.use(metrics.http());
  app.get('/metrics', metrics.handler(config.metricsToken));
  app.get('/healthz', liveness);
  app.get('/readyz', readiness(services));
  app.get('/downloads/:id', downloads(services, authenticator));
  const webEnabled = config.graphiql && existsSync(WEB_ROOT);
  app.get('/graphql', (request, response, next) => {
    if (webEnabled && request.accepts(['application/json', 'text/html']) === 'text/html') return response.sendFile(path.join(WEB_ROOT, 'graphiql.html'));
    next();
  });
  app.use(
    '/graphql',
    express.json({ limit: config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: ({ req }) => context(req),
    }),
  );
  app.use(requestErrors);
  if (webEnabled) {
    app.get('/graphiql', (_request, response) => response.sendFile(path.join(WEB_ROOT, 'graphiql.html')));
    app.use(express.static(WEB_ROOT, { index: 'index.html' }));
  }
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (!graphqlPost.takes(request)) return app(request, response);
    metrics.observeHttp(request, response);
    void graphqlPost.handle(request, response);
  });

  const websocket = startWebSocket(server, '/graphql', schema, documents, services, authenticator, logger, metrics);
  metrics.countSockets(() => websocket.sockets);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info({ url, graphql: `${url}/graphql`, web: webEnabled }, 'gateway listening');

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    services,
    close() {
      closing ??= (async () => {
        server.close();
        await websocket.close();
        await apollo.stop();
        await services.close();
        server.closeAllConnections();
      })();
      return closing;
    },
  };
}
