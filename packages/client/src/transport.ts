import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import type { Endpoints } from './endpoints.js';
import type { WireGraphQLError } from './errors.js';
import type { ConnectionState, TransportName } from './types.js';

/** What a subscription receives, whatever carries it. */
export interface Sink {
  next(result: { data?: unknown; errors?: readonly WireGraphQLError[] }): void;
  error(reason: unknown): void;
  complete(): void;
}

/** The operation a subscription sends: `variables` is serialized anew at each (re)subscription. */
export interface SubscribePayload {
  query: string;
  variables: Record<string, unknown>;
}

/** Carries subscriptions: one WebSocket, SSE streams, or the first of the two that connects. */
export interface Transport {
  /** Starts a subscription; the returned function stops it (at once, even before it started). */
  subscribe(payload: SubscribePayload, sink: Sink): () => void;
  /** The transport in use (`auto` settles on `ws` or `sse` at its first subscription). */
  readonly current: TransportName | 'auto';
  dispose(): Promise<void>;
}

/** What the transports need from the client. */
export interface TransportContext {
  endpoints: Endpoints;
  fetch: typeof fetch;
  authorization(): string | undefined;
  emit(state: ConnectionState): void;
  webSocketImpl: unknown;
  retryAttempts: number;
  retryWait(retries: number): Promise<void>;
}

/** Keeps the socket a little after the last subscription, so back-to-back watches share it. */
const LAZY_CLOSE_TIMEOUT_MS = 3000;
/** How long `auto` waits for a WebSocket to open before it settles on SSE. */
const PROBE_TIMEOUT_MS = 5000;
/** The subprotocol graphql-ws speaks. */
const WS_SUBPROTOCOL = 'graphql-transport-ws';

type WebSocketConstructor = new (
  url: string,
  protocol?: string | string[],
) => {
  onopen: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  close(code?: number, reason?: string): void;
};

/**
 * The WebSocket constructor: the one given, else the global one (browsers, Node 22+), else the
 * `ws` package (Node 20), loaded on first use only so that a browser bundle never includes it.
 */
export async function findWebSocket(given: unknown): Promise<WebSocketConstructor> {
  if (given !== undefined) return given as WebSocketConstructor;
  const global = (globalThis as { WebSocket?: unknown }).WebSocket;
  if (typeof global === 'function') return global as WebSocketConstructor;
  // A variable specifier: bundlers leave it alone, Node resolves it from this package.
  const specifier = 'ws';
  try {
    const loaded = (await import(/* @vite-ignore */ specifier)) as { WebSocket?: unknown; default?: unknown };
    const found = loaded.WebSocket ?? loaded.default;
    if (typeof found === 'function') return found as WebSocketConstructor;
  } catch (failure) {
    throw new TypeError(`expected a global WebSocket or the "ws" package, got neither (${String(failure)})`, { cause: failure });
  }
  throw new TypeError('expected the "ws" package to export a WebSocket class, got none');
}

/** A transport whose work starts once an asynchronous setup settles. */
function deferred(setup: Promise<Transport>, name: TransportName | 'auto'): Transport {
  let settled: Transport | undefined;
  let failure: unknown;
  const ready = setup.then(
    (transport) => void (settled = transport),
    (error: unknown) => void (failure = error),
  );
  return {
    get current() {
      return settled?.current ?? name;
    },
    subscribe(payload, sink) {
      if (settled !== undefined) return settled.subscribe(payload, sink);
      let stopped = false;
      let stop: (() => void) | undefined;
      void ready.then(() => {
        if (stopped) return;
        if (settled === undefined) return sink.error(failure);
        stop = settled.subscribe(payload, sink);
      });
      return () => {
        stopped = true;
        stop?.();
      };
    },
    async dispose() {
      await ready;
      await settled?.dispose();
    },
  };
}

/** Every subscription over one shared graphql-ws socket, reconnecting and rotating gateways. */
export function webSocketTransport(context: TransportContext): Transport {
  const setup = findWebSocket(context.webSocketImpl).then((impl): Transport => {
    const client: WsClient = createWsClient({
      url: () => context.endpoints.ws,
      webSocketImpl: impl,
      lazyCloseTimeout: LAZY_CLOSE_TIMEOUT_MS,
      retryAttempts: context.retryAttempts,
      // Any close that graphql-ws does not deem fatal (restart 1001/1012, drop 1006…) is worth a retry.
      shouldRetry: () => true,
      retryWait: (retries) => context.retryWait(retries),
      connectionParams: () => {
        const value = context.authorization();
        return value === undefined ? {} : { authorization: value };
      },
      on: {
        connecting: (isRetry) => {
          // A retry means the current gateway failed us: try the next one.
          if (isRetry) context.endpoints.advance();
          context.emit(isRetry ? 'reconnecting' : 'connecting');
        },
        connected: () => context.emit('connected'),
        closed: () => context.emit('closed'),
      },
    });
    return {
      current: 'ws',
      subscribe: (payload, sink) => client.subscribe(payload, sink),
      dispose: () => Promise.resolve(client.dispose()),
    };
  });
  return deferred(setup, 'ws');
}

/**
 * Every subscription as its own Server-Sent Events stream on `/graphql/stream` (graphql-sse's
 * distinct connections mode): proxies that refuse WebSocket upgrades pass it. graphql-sse
 * serializes the payload anew at each reconnect, so a `since` getter resumes after the last cursor.
 */
export function sseTransport(context: TransportContext): Transport {
  let open = 0;
  const client: SseClient = createSseClient({
    url: () => context.endpoints.sse,
    fetchFn: context.fetch,
    retryAttempts: context.retryAttempts,
    retry: async (retries) => {
      // A retry means the current gateway failed us: try the next one.
      context.endpoints.advance();
      await context.retryWait(retries);
    },
    headers: (): Record<string, string> => {
      const value = context.authorization();
      return value === undefined ? {} : { authorization: value };
    },
    on: {
      connecting: (reconnecting) => context.emit(reconnecting ? 'reconnecting' : 'connecting'),
      connected: () => context.emit('connected'),
    },
  });
  return {
    current: 'sse',
    subscribe(payload, sink) {
      open++;
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        if (--open === 0) context.emit('closed');
      };
      const stop = client.subscribe(payload, {
        next: (result) => sink.next(result as { data?: unknown; errors?: readonly WireGraphQLError[] }),
        error: (reason) => {
          finish();
          sink.error(reason);
        },
        complete: () => {
          finish();
          sink.complete();
        },
      });
      return () => {
        finish();
        stop();
      };
    },
    dispose: () => Promise.resolve(client.dispose()),
  };
}

/** Whether a WebSocket to the gateway opens within {@link PROBE_TIMEOUT_MS}. */
async function webSocketOpens(context: TransportContext): Promise<boolean> {
  let impl: WebSocketConstructor;
  try {
    impl = await findWebSocket(context.webSocketImpl);
  } catch {
    return false;
  }
  return new Promise((resolve) => {
    let socket: InstanceType<WebSocketConstructor>;
    const settle = (opened: boolean): void => {
      clearTimeout(timer);
      socket.onopen = socket.onerror = socket.onclose = null;
      try {
        socket.close(1000, 'probe');
      } catch {
        // Closing a socket that never opened may throw: it is gone either way.
      }
      resolve(opened);
    };
    const timer = setTimeout(() => settle(false), PROBE_TIMEOUT_MS);
    try {
      socket = new impl(context.endpoints.ws, WS_SUBPROTOCOL);
    } catch {
      clearTimeout(timer);
      return resolve(false);
    }
    socket.onopen = () => settle(true);
    socket.onerror = () => settle(false);
    socket.onclose = () => settle(false);
  });
}

/** The WebSocket when one opens at the first subscription, else SSE, for the client's life. */
export function autoTransport(context: TransportContext): Transport {
  return deferred(
    webSocketOpens(context).then((opens) => (opens ? webSocketTransport(context) : sseTransport(context))),
    'auto',
  );
}

/** The transport a client was configured with. */
export function createTransport(name: TransportName | 'auto', context: TransportContext): Transport {
  if (name === 'ws') return webSocketTransport(context);
  if (name === 'sse') return sseTransport(context);
  if (name === 'auto') return autoTransport(context);
  throw new TypeError(`expected transport 'ws', 'sse' or 'auto', got "${String(name)}"`);
}
