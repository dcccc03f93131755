/**
 * Many WebSocket clients in one process (figures 3 to 6), or SSE clients
 * (the `sse` figure): opens connections to any server with bounded
 * concurrency, optionally waits for each subscription's first message, then
 * counts and times deliveries per window. `close` drops the clients; the
 * process stays for the next server.
 */
import { initArgs, serve } from '../lib/ipc';
import { watcherToken } from '../lib/jwt';
import { sleep } from '../lib/net';
import { ReceiveStats } from '../lib/receive-stats';
import { openSse } from '../lib/sse-client';
import { openGraphqlWs, openRaw, type OpenOutcome, type SubscriptionSpec } from '../lib/ws-client';
import type { ConnectArgs, ConnectReport, FleetApi } from './api';

/** Options of this script: the local address its WebSockets bind to (default: the kernel's choice). */
export interface FleetInit {
  localAddress?: string;
}

/** How opening one client ended, whatever its protocol; `drop` cuts it. */
type Opened = Omit<OpenOutcome, 'socket'> & { drop(): void };

const { localAddress } = initArgs<FleetInit>();
const stats = new ReceiveStats();
const clients: Array<() => void> = [];

function withDrop(outcome: OpenOutcome): Opened {
  return { ...outcome, drop: () => outcome.socket.terminate() };
}

async function open(args: ConnectArgs, index: number, deadline: number): Promise<Opened> {
  const first = args.offset + index * args.subscriptionsPerConnection;
  const topicAt = (i: number): string => args.topics[(first + i) % args.topics.length] ?? '';
  if (args.protocol === 'raw') return withDrop(await openRaw(args.url, topicAt(0), stats, deadline, localAddress));
  const token = args.tokenSecret ? watcherToken(args.tokenSecret, first) : '';
  if (args.protocol === 'sse') {
    if (args.subscriptionsPerConnection !== 1)
      throw new Error(`expected 1 subscription per SSE connection (distinct connections mode), got ${args.subscriptionsPerConnection}`);
    return openSse(args.url, args.query, topicAt(0), token, args.awaitFirst, stats, deadline);
  }
  const specs: SubscriptionSpec[] = Array.from({ length: args.subscriptionsPerConnection }, (_, i) => ({
    query: args.query,
    topic: topicAt(i),
  }));
  return withDrop(await openGraphqlWs(args.url, specs, token, args.awaitFirst, stats, deadline, localAddress));
}

async function connect(args: ConnectArgs): Promise<ConnectReport> {
  const started = performance.now();
  const deadline = Date.now() + args.timeoutMs;
  const report: ConnectReport = { connected: 0, subscribed: 0, firstMessages: 0, failed: 0, elapsedMs: 0 };
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < args.connections && Date.now() < deadline) {
      const outcome = await open(args, next++, deadline);
      clients.push(outcome.drop);
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
    const closed = clients.length;
    for (const drop of clients.splice(0)) drop();
    return { closed };
  },
});
