/**
 * Plain graphql-ws baseline (figures 4 and 5): graphql-ws `useServer` on `ws`
 * with an in-memory pub/sub, the usual way to serve subscriptions. Every event
 * is executed and serialized once per subscriber.
 */
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { serve } from '../lib/ipc';
import { sampleEvent, type SampleJobEvent } from '../lib/sample-event';
import type { BroadcastServerApi } from '../load/api';
import { jobEventSchema, type SocketContext } from './job-event-schema';
import { PublishLoop } from './publisher';
import { PubSub } from './pubsub';

const pubsub = new PubSub<SampleJobEvent>();
const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096 });
useServer<Record<string, unknown>, { socket: WebSocket }>(
  // A loaded fleet opening 20,000 sockets can take more than graphql-ws' default 3 s to send connection_init.
  { schema: jobEventSchema(pubsub), context: (ctx): SocketContext => ({ socket: ctx.extra.socket }), connectionInitWaitTimeout: 30_000 },
  server,
);
let loop: PublishLoop | null = null;

serve<BroadcastServerApi>({
  async listen() {
    const address = server.address();
    return { port: typeof address === 'object' && address ? address.port : 0 };
  },
  async subscribers() {
    return { count: pubsub.count };
  },
  async startPublishing({ topics, maxBufferedBytes, maxMs }) {
    if (loop) throw new Error('expected no publishing in progress, got one');
    loop = new PublishLoop(topics, maxMs, (topic, seq) => pubsub.publish(topic, sampleEvent(topic, seq), maxBufferedBytes));
    return {};
  },
  async stopPublishing() {
    if (!loop) throw new Error('expected publishing in progress, got none');
    const report = loop.stop();
    loop = null;
    return report;
  },
});
