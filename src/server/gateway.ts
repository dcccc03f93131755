import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import type { Logger } from 'pino';
import { Authenticator, type Principal } from '../auth/authenticator';
import { isLoopbackHost, redisTarget, type Config } from '../config';
import { ErrorCode, JobgateError } from '../errors';
import { buildJobgateSchema } from '../resolvers/build-schema';
import { GatewayMetrics } from '../observability/metrics';
import { whenReady } from '../redis/connections';
import { createServices, type Services } from '../services';
import { upsertDeclaredSchedules } from '../services/schedules';
import { enabledJobDefinitions, JobRegistry } from '../jobs/registry';
import { createContext, requestIdFrom } from './context';
import { downloads } from './downloads';
import { GraphqlHttp, prefersHtml } from './graphql-http';
import { createPipeline } from './graphql-pipeline';
import { drainHttpServer } from './http-drain';
import { OwnerConnections } from './connection-limits';
import { celeryHealth, liveness, readiness } from './health';
import { OriginPolicy } from './origin-policy';
import { startSse } from './sse';
import { startWebSocket } from './websocket';
import { createRenderer } from './websocket-protocol';

/**
 * Connections the kernel queues for accepting: a gateway restart or a network blip brings
 * thousands of browsers back at once, and Node's default of 511 overflows (the kernel then drops
 * handshakes). The kernel caps it at `net.core.somaxconn`.
 */
const LISTEN_BACKLOG = 4096;

/** A running gateway: GraphQL over HTTP, WebSocket (graphql-ws), SSE (graphql-sse), health, downloads and the web UI. */
export interface Gateway {
  url: string;
  server: Server;
  services: Services;
  close(): Promise<void>;
}

const WEB_ROOT = path.resolve(__dirname, '..', '..', 'dist', 'web');
/** The console's pages other than `/` (src/web/console/routes.tsx). */
const CONSOLE_ROUTES = ['/jobs/*id', '/queues', '/queues/*name', '/workers', '/schedules', '/enqueue'];
/** On shutdown, HTTP requests in flight get this long before their connections are cut, ms. */
const HTTP_DRAIN_MS = 5000;

/** `/graphql` and `/graphql/`, with or without a query string, in any case (as Express routes them). */
const GRAPHQL_PATH = /^\/graphql\/?(\?|$)/i;
/** Subscriptions over Server-Sent Events (graphql-sse). */
const SSE_PATH = '/graphql/stream';
const SSE_PATHS = /^\/graphql\/stream\/?(\?|$)/i;

/** Answers a request the origin policy refuses: 403, FORBIDDEN, and why. */
function forbid(request: IncomingMessage, response: ServerResponse, reason: string, metrics: GatewayMetrics): void {
  metrics.observeHttp(request, response);
  const body = JSON.stringify({ errors: [{ message: reason, extensions: { code: ErrorCode.FORBIDDEN } }] });
  response.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body);
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
    throw new Error(
      `Refusing to listen on ${config.host} without authentication: set JWT_SECRET, JWKS_URL or API_KEYS (or ALLOW_INSECURE_DEV=1)`,
    );
  }
  logger.warn('dev mode: no authentication configured; every caller is "dev" with every role');
}

/** Starts a gateway on `config.host:config.port`. */
export async function startGateway(
  config: Config,
  logger: Logger,
  registry = new JobRegistry(enabledJobDefinitions(config)),
): Promise<Gateway> {
  checkDevMode(config, logger);
  const schema = await buildJobgateSchema(registry);
  const services = createServices(config, logger, registry);
  // The last refusal tells a wrong password (WRONGPASS, NOAUTH) from a Redis that is down.
  let refusal: string | undefined;
  const remember = (error: Error): void => void (refusal = error.message);
  services.redis.on('error', remember);
  if (!(await whenReady(services.redis, 5000)))
    logger.warn({ redis: redisTarget(config), refusal }, 'Redis is not reachable yet; requests answer UNAVAILABLE until it is');
  services.redis.off('error', remember);
  await upsertDeclaredSchedules(config, registry, services.store.queues, logger).catch((error: unknown) =>
    logger.warn({ err: error }, 'declared schedules not upserted'),
  );
  const authenticator = new Authenticator(config);
  const app = express();
  // A client that reuses a connection just as the gateway closes it gets ECONNRESET (a balancer answers 502). Node's
  // default of 5 s is shorter than most balancers' idle timeout, and than clients that ignore `Keep-Alive` keep sockets.
  const server = createServer({ keepAliveTimeout: config.httpKeepAliveMs });
  const metrics = new GatewayMetrics(services, logger);
  const pipeline = createPipeline(schema, config, metrics);
  // On stop: no new connections, keep-alive connections closed after their request in flight
  // (clients that keep sending would otherwise hold the shutdown), the rest cut after the grace.
  const drainHttp = drainHttpServer(server, HTTP_DRAIN_MS);
  const context = async (request: IncomingMessage) =>
    createContext(services, logger, await authenticateHttp(authenticator, request), requestIdFrom(request.headers['x-request-id']));
  const graphqlHttp = new GraphqlHttp({ pipeline, maxBodyBytes: config.maxBodyBytes, context, logger });

  app.disable('x-powered-by');
  // An ETag is a hash of every response body: no GraphQL client revalidates a POST.
  app.disable('etag');
  app.use(metrics.http());
  app.get('/metrics', metrics.handler(config.metricsToken));
  app.get('/healthz', liveness);
  app.get('/readyz', readiness(services));
  app.get('/health', celeryHealth(services));
  app.get('/downloads/:id', downloads(services, authenticator));
  const webEnabled = config.graphiql && existsSync(WEB_ROOT);
  if (webEnabled) {
    app.get(['/graphql', '/graphiql'], (_request, response) => response.sendFile(path.join(WEB_ROOT, 'graphiql.html')));
    app.use(express.static(WEB_ROOT, { index: 'index.html' }));
    // The console routes in the browser: a shared link to one of its pages loads the same page.
    app.get(CONSOLE_ROUTES, (_request, response) => response.sendFile(path.join(WEB_ROOT, 'index.html')));
  }
  // Every GraphQL request over HTTP goes to the pipeline without Express; a browser asking
  // /graphql for a page gets GraphiQL from Express.
  const origins = new OriginPolicy(config);
  // Shared by both transports: one budget of connections per owner (MAX_SOCKETS_PER_OWNER sockets
  // and event streams together, not that many of each), and one renderer, so an event watched
  // over WebSocket and SSE alike is executed and serialized once per selection.
  const owners = new OwnerConnections(config);
  const renderer = createRenderer(pipeline, services, logger);
  const authenticate = (request: IncomingMessage): Promise<Principal> => authenticateHttp(authenticator, request);
  const sse = startSse(SSE_PATH, pipeline, services, authenticate, logger, owners, renderer);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const refusal = origins.refusal(request.headers);
    if (refusal) return forbid(request, response, refusal, metrics);
    if (SSE_PATHS.test(request.url ?? '')) {
      metrics.observeHttp(request, response);
      return void sse.handle(request, response);
    }
    if (!GRAPHQL_PATH.test(request.url ?? '') || (webEnabled && prefersHtml(request))) return app(request, response);
    metrics.observeHttp(request, response);
    void graphqlHttp.handle(request, response);
  });

  const websocket = startWebSocket(server, '/graphql', pipeline, services, authenticator, logger, origins, owners, renderer);
  metrics.countSockets(() => websocket.sockets);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  logger.info(
    { url, graphql: `${url}/graphql`, web: webEnabled, ...(webEnabled && { console: `${url}/`, graphiql: `${url}/graphiql` }) },
    'gateway listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    services,
    close() {
      closing ??= (async () => {
        server.close();
        sse.close();
        await websocket.close();
        await drainHttp();
        await services.close();
        server.closeAllConnections();
      })();
      return closing;
    },
  };
}
