/**
 * Raw `ws` baseline (figures 4 and 5): each client names one topic in its
 * first message; an event is serialized once and the same buffer is sent to
 * every socket of its topic. This is the ceiling a WebSocket fan-out on Node
 * can reach on this machine, and the memory floor of an idle connection.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { serve } from '../lib/ipc';
import { nextMessage, sampleEvent } from '../lib/sample-event';
import type { BroadcastServerApi } from '../load/api';
import { PublishLoop } from './publisher';

const topics = new Map<string, Set<WebSocket>>();
let subscribers = 0;
let loop: PublishLoop | null = null;

const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, backlog: 4096 });
server.on('connection', (socket) => {
  socket.once('message', (data) => {
    const { topic } = JSON.parse(data.toString()) as { topic: string };
    const set = topics.get(topic) ?? new Set<WebSocket>();
    topics.set(topic, set);
    set.add(socket);
    subscribers += 1;
    socket.once('close', () => {
      set.delete(socket);
      subscribers -= 1;
    });
  });
});

serve<BroadcastServerApi>({
  async listen() {
    const address = server.address();
    return { port: typeof address === 'object' && address ? address.port : 0 };
  },
  async subscribers() {
    return { count: subscribers };
  },
  async startPublishing({ topics: names, maxBufferedBytes, maxMs }) {
    if (loop) throw new Error('expected no publishing in progress, got one');
    loop = new PublishLoop(names, maxMs, (topic, seq) => {
      const set = topics.get(topic);
      if (!set) return { sends: 0, congested: false };
      const frame = Buffer.from(nextMessage(sampleEvent(topic, seq)));
      let congested = false;
      for (const socket of set) {
        socket.send(frame, { binary: false });
        if (socket.bufferedAmount > maxBufferedBytes) congested = true;
      }
      return { sends: set.size, congested };
    });
    return {};
  },
  async stopPublishing() {
    if (!loop) throw new Error('expected publishing in progress, got none');
    const report = loop.stop();
    loop = null;
    return report;
  },
});
