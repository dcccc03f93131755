import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as GraphqlWsServer } from 'graphql-ws';
import pino from 'pino';
import { OriginPolicy } from '../../src/server/origin-policy';
import { TurnWrites } from '../../src/server/turn-writes';
import { WebSocketTransport, type SocketExtra } from '../../src/server/websocket-transport';

/** A WebSocketTransport on a local HTTP server, speaking `protocol` at `url`. */
export interface TestTransport {
  url: string;
  close(): Promise<void>;
}

/** Starts `protocol` (graphql-ws, or a stand-in) behind the gateway's WebSocket transport on a free port. */
export async function startTransport(protocol: GraphqlWsServer<SocketExtra>): Promise<TestTransport> {
  const server: Server = createServer();
  const options = {
    maxPayload: 1 << 20,
    origins: new OriginPolicy({ devMode: false, allowInsecureDev: false, allowedOrigins: [] }),
    writes: new TurnWrites(),
    logger: pino({ level: 'silent' }),
  };
  const transport = new WebSocketTransport(server, '/graphql', protocol, { opened: () => undefined, closed: () => undefined }, options);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    async close() {
      await transport.close(1001, 'Going away');
      server.close();
    },
  };
}
