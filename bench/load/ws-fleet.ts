/**
 * Many WebSocket clients in one process (figures 3 to 6): opens connections
 * to any server with bounded concurrency, optionally waits for each
 * subscription's first message, then counts and times deliveries per window.
 * `close` drops the clients; the process stays for the next server.
 */
import type WebSocket from 'ws';
import { serve } from '../lib/ipc';
import { watcherToken } from '../lib/jwt';
import { sleep } from '../lib/net';
import { ReceiveStats } from '../lib/receive-stats';
import { openGraphqlWs, openRaw, type OpenOutcome, type SubscriptionSpec } from '../lib/ws-client';
import type { ConnectArgs, ConnectReport, FleetApi } from './api';

const stats = new ReceiveStats();
const sockets: WebSocket[] = [];

function open(args: ConnectArgs, index: number, deadline: number): Promise<OpenOutcome> {
  const first = args.offset + index * args.subscriptionsPerConnection;
  const topicAt = (i: number): string => args.topics[(first + i) % args.topics.length] ?? '';
  if (args.protocol === 'raw') return openRaw(args.url, topicAt(0), stats, deadline);
  const specs: SubscriptionSpec[] = Array.from({ length: args.subscriptionsPerConnection }, (_, i) => ({
    query: args.query,
    topic: topicAt(i),
  }));
  const token = args.tokenSecret ? watcherToken(args.tokenSecret, first) : '';
  return openGraphqlWs(args.url, specs, token, args.awaitFirst, stats, deadline);
}

async function connect(args: ConnectArgs): Promise<ConnectReport> {
  const started = performance.now();
  const deadline = Date.now() + args.timeoutMs;
  const report: ConnectReport = { connected: 0, subscribed: 0, firstMessages: 0, failed: 0, elapsedMs: 0 };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < args.connections && Date.now() < deadline) {
      const outcome = await open(args, next++, deadline);
      sockets.push(outcome.socket);
      if (outcome.connected) report.connected += 1;
      report.subscribed += outcome.subscribed;
      report.firstMessages += outcome.firstMessages;
      if (outcome.error) {
        report.failed += 1;
        report.firstError ??= outcome.error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, args.concurrency) }, lane));
  report.elapsedMs = performance.now() - started;
  return report;
}

serve<FleetApi>({
  connect,
  async measure({ durationMs }) {
    stats.reset();
    await sleep(durationMs);
    return stats.report();
  },
  async close() {
    const closed = sockets.length;
    for (const socket of sockets.splice(0)) socket.terminate();
    return { closed };
  },
});
