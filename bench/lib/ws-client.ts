/**
 * One load-generator WebSocket: either a graphql-transport-ws client with
 * several subscriptions, or a raw `ws` client that names its topic once.
 * Control messages are parsed; `next` messages are only counted (see
 * ReceiveStats) once every subscription has had its first message.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { ReceiveStats } from './receive-stats';

/** One subscription to open on a connection. */
export interface SubscriptionSpec {
  query: string;
  topic: string;
}

/** How opening a connection ended. */
export interface OpenOutcome {
  socket: WebSocket;
  connected: boolean;
  subscribed: number;
  firstMessages: number;
  error?: string;
}

interface ControlMessage {
  type: string;
  id?: string;
  payload?: unknown;
}

const NEXT = '"type":"next"';
const SOCKET_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true };

/** The socket options, bound to `localAddress` when given (`ws` passes it on to `http.request`). */
function socketOptions(localAddress: string | undefined): WebSocket.ClientOptions {
  return localAddress ? { ...SOCKET_OPTIONS, localAddress } : SOCKET_OPTIONS;
}

/** Opens a raw `ws` client (from `localAddress`, if given) and tells the server its topic. */
export function openRaw(url: string, topic: string, stats: ReceiveStats, deadline: number, localAddress?: string): Promise<OpenOutcome> {
  const socket = new WebSocket(url, socketOptions(localAddress));
  socket.on('message', (data) => stats.delivery(data.toString()));
  socket.on('close', () => stats.close());
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => resolve({ socket, connected: false, subscribed: 0, firstMessages: 0, error: 'open timed out' }),
      Math.max(0, deadline - Date.now()),
    );
    socket.once('open', () => {
      clearTimeout(timer);
      socket.send(JSON.stringify({ topic }));
      resolve({ socket, connected: true, subscribed: 1, firstMessages: 0 });
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      stats.error(String(error));
      resolve({ socket, connected: false, subscribed: 0, firstMessages: 0, error: String(error) });
    });
  });
}

/**
 * Opens a graphql-transport-ws client, sends `connection_init` with the token,
 * then one `subscribe` per spec (variables `{ id: topic }`). Resolves after the
 * ack, or after every subscription's first message when `awaitFirst` is set.
 * The socket binds to `localAddress` when given.
 */
export function openGraphqlWs(
  url: string,
  specs: readonly SubscriptionSpec[],
  token: string,
  awaitFirst: boolean,
  stats: ReceiveStats,
  deadline: number,
  localAddress?: string,
): Promise<OpenOutcome> {
  const socket = new WebSocket(url, 'graphql-transport-ws', socketOptions(localAddress));
  const waiting = new Set<string>();
  let connected = false;
  let firstMessages = 0;
  let failure: string | undefined;
  let settle: (error?: string) => void = () => undefined;
  const done = new Promise<OpenOutcome>((resolve) => {
    const timer = setTimeout(() => settle('subscription timed out'), Math.max(0, deadline - Date.now()));
    settle = (error) => {
      clearTimeout(timer);
      settle = () => undefined;
      resolve({ socket, connected, subscribed: connected ? specs.length : 0, firstMessages, ...(error ? { error } : {}) });
    };
  });
  const firstSeen = (id: string | undefined, isData: boolean): void => {
    if (id === undefined || !waiting.delete(id)) return;
    if (isData) firstMessages += 1;
    if (waiting.size === 0) settle(failure);
  };
  socket.on('open', () =>
    socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} })),
  );
  socket.on('message', (data) => {
    const text = data.toString();
    if (waiting.size === 0 && text.includes(NEXT)) return stats.delivery(text);
    const message = JSON.parse(text) as ControlMessage;
    switch (message.type) {
      case 'next':
        stats.delivery(text);
        return firstSeen(message.id, true);
      case 'connection_ack':
        connected = true;
        for (const spec of specs) {
          // Operation ids as graphql-ws' client makes them (random UUIDs), as Apollo, urql and @jobgate/client send them.
          const id = randomUUID();
          if (awaitFirst) waiting.add(id);
          socket.send(JSON.stringify({ id, type: 'subscribe', payload: { query: spec.query, variables: { id: spec.topic } } }));
        }
        if (!awaitFirst) settle();
        return;
      case 'ping':
        return socket.send(JSON.stringify({ type: 'pong' }));
      case 'error':
        failure ??= `subscription error: ${JSON.stringify(message.payload).slice(0, 300)}`;
        stats.error(failure);
        return firstSeen(message.id, false);
      case 'complete':
        stats.complete();
        return firstSeen(message.id, false);
    }
  });
  socket.on('close', (code, reason) => {
    stats.close();
    settle(`closed ${code} ${reason.toString()}`);
  });
  socket.on('error', (error) => settle(String(error)));
  return done;
}
