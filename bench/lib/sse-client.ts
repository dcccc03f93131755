/**
 * One load-generator subscription over Server-Sent Events, in graphql-sse's "distinct
 * connections" mode: a plain `http` POST with `Accept: text/event-stream`, whose response is read
 * as it arrives, as a proxy or a hand-written client reads it (no graphql-sse client: its
 * `fetch` and async iterators would cost the shared cores more than the gateway's side).
 * Messages are split on blank lines and only their `event:` line is looked at; a `next`
 * message's `data` goes to ReceiveStats unparsed, as the WebSocket clients' messages do.
 */
import http from 'node:http';
import type { ReceiveStats } from './receive-stats';

/** How opening a stream ended; `drop` cuts it. */
export interface SseOutcome {
  connected: boolean;
  subscribed: number;
  firstMessages: number;
  error?: string;
  drop(): void;
}

/** One connection per stream, none kept for reuse: a stream holds its socket until it is cut. */
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
const NEXT = 'event: next';
const COMPLETE = 'event: complete';
const DATA = '\ndata: ';

/**
 * POSTs one subscription (`variables: { id: topic }`) to `url` with `token` as Bearer
 * credentials; resolves once the response's headers arrive, or once its first `next`
 * message has (`awaitFirst`), or when it fails.
 */
export function openSse(
  url: string,
  query: string,
  topic: string,
  token: string,
  awaitFirst: boolean,
  stats: ReceiveStats,
  deadline: number,
): Promise<SseOutcome> {
  const body = JSON.stringify({ query, variables: { id: topic } });
  const request = http.request(url, {
    method: 'POST',
    agent,
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  let dropped = false;
  const drop = (): void => {
    dropped = true;
    request.destroy();
  };
  let connected = false;
  let firstMessages = 0;
  let settle: (error?: string) => void = () => undefined;
  const done = new Promise<SseOutcome>((resolve) => {
    const timer = setTimeout(() => settle('subscription timed out'), Math.max(0, deadline - Date.now()));
    settle = (error) => {
      clearTimeout(timer);
      settle = () => undefined;
      resolve({ connected, subscribed: connected ? 1 : 0, firstMessages, drop, ...(error ? { error } : {}) });
    };
  });
  request.on('response', (response) => {
    response.setEncoding('utf8');
    if (response.statusCode !== 200) {
      let text = '';
      response.on('data', (chunk: string) => void (text += chunk));
      response.on('end', () => settle(`HTTP ${response.statusCode ?? 0}: ${text.slice(0, 300)}`));
      return;
    }
    connected = true;
    if (!awaitFirst) settle();
    let pending = '';
    response.on('data', (chunk: string) => {
      pending += chunk;
      let start = 0;
      for (let end = pending.indexOf('\n\n'); end !== -1; end = pending.indexOf('\n\n', start)) {
        const block = pending.slice(start, end);
        start = end + 2;
        if (block.startsWith(NEXT)) {
          const data = block.indexOf(DATA);
          stats.delivery(data === -1 ? block : block.slice(data + DATA.length));
          if (firstMessages === 0) {
            firstMessages = 1;
            settle();
          }
        } else if (block.startsWith(COMPLETE)) {
          stats.complete();
          settle('completed before its first event');
        }
      }
      pending = start === 0 ? pending : pending.slice(start);
    });
    // A stream cut (by `drop`, or by the server) fails its response with "aborted".
    response.on('error', (error) => void (dropped ? undefined : stats.error(String(error))));
    response.on('close', () => {
      stats.close();
      settle('stream ended');
    });
  });
  request.on('error', (error) => {
    if (dropped) return;
    if (connected) stats.error(String(error));
    settle(String(error));
  });
  request.end(body);
  return done;
}
