import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Server as GraphqlWsServer, WebSocket as GraphqlWsSocket } from 'graphql-ws';
import { handleProtocols } from 'graphql-ws';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CloseCode, CloseReason } from './close-codes';
import type { OriginPolicy } from './origin-policy';
import type { ServedSubscriptions } from './served-subscriptions';
import type { TurnWrites } from './turn-writes';

/** What graphql-ws' hooks get with each socket (`ctx.extra`). */
export interface SocketExtra {
  socket: WebSocket;
  /** The socket's subscriptions served by the gateway rather than graphql-ws, from the first one started. */
  served: ServedSubscriptions | undefined;
}

/** Told when a socket opens (before graphql-ws sees it) and when it has closed. */
export interface SocketLifecycle {
  opened(socket: WebSocket): void;
  closed(socket: WebSocket): void;
}

/** What the transport needs besides the protocol. */
export interface TransportOptions {
  /** Largest message accepted, in bytes. */
  maxPayload: number;
  origins: OriginPolicy;
  writes: TurnWrites;
  logger: Logger;
}

/**
 * graphql-ws' protocol server bound to `ws` on `path` of `server`: the part graphql-ws keeps in
 * its `use/ws.ts`, knowing nothing of the protocol's options. Rather than `useServer`, which
 * keeps the upgrade request and two timers per socket and a promise per message: upgrades are
 * handled here (the origin check, and each socket's transport kept for TurnWrites), and every
 * socket gets the same `error`, `close` and `message` listeners (`this` is the socket) instead
 * of closures of its own.
 */
export class WebSocketTransport {
  private readonly wss: WebSocketServer;
  private readonly onUpgrade: (request: IncomingMessage, transport: Duplex, head: Buffer) => void;
  /**
   * The open sockets. Kept here rather than by `ws` (`clientTracking` off): `ws` would add a
   * `close` listener of its own, a closure, to every socket; here the shared one does it.
   */
  private readonly open = new Set<WebSocket>();
  /** Called when the last open socket has closed, while `close` waits for them. */
  private drained: (() => void) | undefined;

  constructor(
    private readonly server: Server,
    path: string,
    protocol: GraphqlWsServer<SocketExtra>,
    lifecycle: SocketLifecycle,
    options: TransportOptions,
  ) {
    const { origins, writes, logger } = options;
    const wss = (this.wss = new WebSocketServer({
      noServer: true,
      path,
      maxPayload: options.maxPayload,
      handleProtocols,
      clientTracking: false,
      // `ws`' default, stated: pushed frames are written beside its own, which needs it to write every message at once (TurnWrites.held).
      perMessageDeflate: false,
    }));
    this.onUpgrade = (request, transport, head) => {
      const refusal = origins.refusal(request.headers);
      if (refusal) {
        transport.end(
          `HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(refusal)}\r\nConnection: close\r\n\r\n${refusal}`,
        );
        return;
      }
      wss.handleUpgrade(request, transport, head, (socket) => {
        writes.attach(socket, transport);
        wss.emit('connection', socket, request);
      });
    };
    server.on('upgrade', this.onUpgrade);

    // One listener of each kind for every socket (`this` is the socket), rather than closures per socket.
    const open = this.open;
    const drained = (): void => this.drained?.();
    function onError(this: WebSocket, error: Error): void {
      logger.warn({ err: error }, 'WebSocket error');
      this.close(CloseCode.InternalServerError, CloseReason.InternalServerError);
    }
    function onClose(this: WebSocket, code: number, reason: Buffer): void {
      open.delete(this);
      lifecycle.closed(this);
      const protocolSocket = protocolSockets.get(this);
      protocolSockets.delete(this);
      protocolSocket
        ?.closed(code, String(reason))
        .catch((error: unknown) => logger.error({ err: error }, 'unexpected WebSocket close handling error'));
      if (open.size === 0) drained();
    }
    wss.on('connection', (socket) => {
      withFastListeners(socket);
      open.add(socket);
      lifecycle.opened(socket);
      socket.on('error', onError);
      const extra: SocketExtra = { socket, served: undefined };
      const protocolSocket = new ProtocolSocket(socket, extra, logger);
      protocolSockets.set(socket, protocolSocket);
      protocolSocket.opened(protocol.opened(protocolSocket, extra));
      socket.on('close', onClose);
    });
  }

  /** Open sockets now. */
  get sockets(): number {
    return this.open.size;
  }

  /** Takes no more upgrades, closes every socket with `code`, and resolves once every socket and the `ws` server have closed. */
  async close(code: CloseCode, reason: string): Promise<void> {
    this.server.off('upgrade', this.onUpgrade);
    const drained = new Promise<void>((resolve) => (this.drained = resolve));
    for (const socket of this.open) socket.close(code, reason);
    if (this.open.size > 0) await drained;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}

/** What Node's EventEmitter keeps its listeners in: an own property, read and written by every `on` and `emit`. */
interface ListenerTable {
  _events: object;
}

/**
 * Gives the socket a listener table in V8's fast mode before any listener is added. An
 * EventEmitter starts with a null-prototype object literal, which V8 keeps as a hash table that
 * grows to eight entries with the four events every socket has here (`error`, `close`,
 * `message`, `pong`); an object whose prototype is set to null afterwards keeps fast
 * properties, a few words each. Node's own streams preshape their table for the same reason.
 */
function withFastListeners(socket: WebSocket): void {
  const emitter = socket as unknown as ListenerTable;
  emitter._events = Object.assign(Object.setPrototypeOf({}, null) as object, emitter._events);
}

/** Each open socket's ProtocolSocket: its message handler and close handling from graphql-ws. */
const protocolSockets = new WeakMap<WebSocket, ProtocolSocket>();

/** The one `message` listener of every socket (`this` is the socket): hands the message to graphql-ws or the served subscriptions. */
function onProtocolMessage(this: WebSocket, data: RawData): void {
  protocolSockets.get(this)?.receive(String(data));
}

/**
 * graphql-ws' view of a `ws` socket. A class rather than an object of arrow functions, and one
 * shared `message` listener: its methods are shared by every socket, not closures each. Messages
 * about subscriptions the gateway serves itself (`extra.served`) go there instead.
 */
class ProtocolSocket implements GraphqlWsSocket {
  /**
   * graphql-ws' message handler, given parsed messages: it reads them with its `parseMessage`,
   * which takes a parsed message as well as text (no reviver is configured to apply to the text).
   */
  private handle: ((message: unknown) => Promise<void>) | undefined;
  /** What graphql-ws answered `opened` with: its close handling (one object per socket rather than a map entry more). */
  private closer: ((code: number, reason: string) => Promise<void>) | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly extra: SocketExtra,
    private readonly logger: Logger,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(data);
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  onMessage(handle: (data: string) => Promise<void>): void {
    this.handle = handle as (message: unknown) => Promise<void>;
    this.socket.on('message', onProtocolMessage);
  }

  /** Keeps graphql-ws' close handling of the socket, for `closed`. */
  opened(closer: (code: number, reason: string) => Promise<void>): void {
    this.closer = closer;
  }

  /** The socket has closed: graphql-ws ends its subscriptions, and the served ones end. */
  async closed(code: number, reason: string): Promise<void> {
    const closer = this.closer;
    this.closer = undefined;
    await Promise.all([closer?.(code, reason), this.extra.served?.closeAll()]);
  }

  /**
   * One message for graphql-ws, or for a served subscription; a failure of its handling closes the
   * socket. graphql-ws' handler holds its argument until a subscription has started: handed the
   * parsed message rather than the text, it keeps no copy of the query text. Text that is not
   * JSON goes as it came, for graphql-ws to refuse as it would.
   */
  receive(text: string): void {
    const message = parsedOrText(text);
    const handling = this.extra.served?.intercept(message) ?? this.handle?.(message);
    handling?.catch((error: unknown) => {
      this.logger.error({ err: error }, 'unexpected WebSocket message handling error');
      this.socket.close(CloseCode.InternalServerError, CloseReason.InternalServerError);
    });
  }
}

/** The message `text` parses to, or the text itself when it is not JSON. */
function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
