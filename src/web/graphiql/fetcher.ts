import { createGraphiQLFetcher, type Fetcher, type FetcherOpts } from '@graphiql/toolkit';
import { createClient, type Client } from 'graphql-ws';
import { graphqlHttpUrl, graphqlWsUrl } from '../shared/endpoint';

/** Reconnect attempts of GraphiQL's socket before a running subscription shows an error. */
const WS_RETRY_ATTEMPTS = 10;

interface Link {
  authorization: string | undefined;
  socket: Client;
  fetcher: Fetcher;
}

/** `Authorization` as typed in GraphiQL's header editor, whatever its case. */
function authorizationOf(opts: FetcherOpts | undefined): string | undefined {
  const headers: Record<string, unknown> = opts?.headers ?? {};
  const key = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
  const value = key === undefined ? undefined : headers[key];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * GraphiQL's fetcher: queries and mutations over HTTP POST `/graphql`, subscriptions over
 * `ws(s)://<this host>/graphql` with graphql-ws.
 *
 * The toolkit's own `subscriptionUrl` would send the header editor's headers as the
 * `connection_init` payload verbatim (`{"Authorization": …}`), while the gateway reads
 * `{ authorization }`; so the socket is ours, reopened whenever the token changes.
 */
export function createJobgateFetcher(): Fetcher {
  let link: Link | undefined;
  const linkFor = (authorization: string | undefined): Link => {
    if (link !== undefined && link.authorization === authorization) return link;
    void link?.socket.dispose();
    const socket = createClient({
      url: graphqlWsUrl(),
      connectionParams: authorization === undefined ? {} : { authorization },
      retryAttempts: WS_RETRY_ATTEMPTS,
    });
    const fetcher = createGraphiQLFetcher({
      url: graphqlHttpUrl(),
      wsClient: socket,
      // The gateway does not answer multipart; plain JSON keeps errors readable.
      enableIncrementalDelivery: false,
    });
    link = { authorization, socket, fetcher };
    return link;
  };
  return (params, opts) => linkFor(authorizationOf(opts)).fetcher(params, opts);
}
