/** The gateway's GraphQL endpoint on the host that served this page (same origin: no CORS, no config). */
export function graphqlHttpUrl(): string {
  return new URL('/graphql', window.location.href).toString();
}

/** `ws(s)://<same host>/graphql`: the WebSocket twin of {@link graphqlHttpUrl}. */
export function graphqlWsUrl(): string {
  const url = new URL('/graphql', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}
