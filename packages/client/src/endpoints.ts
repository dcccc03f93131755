/**
 * The gateways a client may talk to. It sticks to one while it answers and moves to the
 * next only after a failure, so a healthy gateway keeps every request and socket.
 */
export interface Endpoints {
  /** HTTP URL of the gateway in use. */
  readonly http: string;
  /** WebSocket URL of the gateway in use. */
  readonly ws: string;
  /** Server-Sent Events URL of the gateway in use (`/graphql/stream` beside `/graphql`). */
  readonly sse: string;
  /** How many gateways there are. */
  readonly size: number;
  /** Moves to the next gateway (after a failure). */
  advance(): void;
}

/** Turns `http(s)://host/graphql` into `ws(s)://host/graphql`. */
export function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`expected an http(s) URL, got "${httpUrl}"`);
  }
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** Turns `http(s)://host/graphql` into `http(s)://host/graphql/stream`, where the gateway serves graphql-sse. */
export function toSseUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`expected an http(s) URL, got "${httpUrl}"`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/stream`;
  return url.toString();
}

/** Validates `url`/`urls` and returns the rotation over them. */
export function createEndpoints(options: { url?: string; urls?: readonly string[] }): Endpoints {
  const list = [...(options.urls ?? []), ...(options.url === undefined ? [] : [options.url])];
  if (list.length === 0) throw new TypeError('expected `url` or a non-empty `urls`, got neither');
  const pairs = list.map((http) => ({ http, ws: toWebSocketUrl(http), sse: toSseUrl(http) }));
  let index = 0;
  return {
    get http() {
      return pairs[index].http;
    },
    get ws() {
      return pairs[index].ws;
    },
    get sse() {
      return pairs[index].sse;
    },
    size: pairs.length,
    advance() {
      index = (index + 1) % pairs.length;
    },
  };
}
