/**
 * Starting the baseline servers of figures 4 and 5 (raw `ws`, plain
 * graphql-ws) and of `fanout-latency` (the raw relay), and filling them with
 * subscribers from a fleet.
 */
import type { BroadcastServerApi, ConnectArgs, QueueInit } from '../load/api';
import type { RelayServerApi } from '../load/fanout-latency-api';
import type { FigureContext } from '../lib/context';
import { Fleet } from '../lib/fleet';
import type { Child } from '../lib/ipc';
import { waitUntil } from '../lib/net';
import { JOB_EVENTS_SUBSCRIPTION } from '../lib/sample-event';

/** The two baselines: `raw` broadcasts one buffer, `graphql-ws` executes per subscriber. */
export type BaselineKind = 'raw' | 'graphql-ws';

/** A baseline server process and the fleet clients connected to it. */
export interface BaselineServer {
  server: Child<BroadcastServerApi>;
  /** Adds `count` subscribers over `topics` and waits until the server has `expected` in total. */
  subscribe(count: number, topics: string[], expected: number): Promise<void>;
  /** Closes the fleet's clients and stops the server. */
  stop(): Promise<void>;
}

const SCRIPTS: Record<BaselineKind, string> = { raw: 'baselines/raw-ws-server.ts', 'graphql-ws': 'baselines/graphql-ws-server.ts' };

/** Topic names the baselines use in place of job ids. */
export function baselineTopics(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `job-${String(i).padStart(6, '0')}`);
}

/** A listening baseline server as its clients see it, and how to ask it how many subscribers it has. */
interface Listening {
  label: string;
  port: number;
  protocol: ConnectArgs['protocol'];
  subscribers(): Promise<number>;
}

/** Opens `count` clients of `fleet`, one subscription each over `topics`, and waits until the server counts `expected`. */
async function fillServer(server: Listening, fleet: Fleet, count: number, topics: string[], expected: number): Promise<void> {
  const { label, port, protocol, subscribers } = server;
  const report = await fleet.connect({
    url: `ws://127.0.0.1:${port}/graphql`,
    protocol,
    connections: count,
    subscriptionsPerConnection: 1,
    query: JOB_EVENTS_SUBSCRIPTION,
    topics,
    tokenSecret: '',
    awaitFirst: false,
    concurrency: 100,
    timeoutMs: 180_000,
  });
  if (report.failed > 0) throw new Error(`${label}: ${report.failed} of ${count} clients failed: ${report.firstError}`);
  const all = await waitUntil(async () => (await subscribers()) >= expected, 30_000);
  if (!all) throw new Error(`${label}: expected ${expected} subscribers, got ${await subscribers()}`);
}

/** Starts a baseline server whose clients come from `fleet`. */
export async function startBaseline(ctx: FigureContext, kind: BaselineKind, fleet: Fleet): Promise<BaselineServer> {
  const server = await ctx.child<BroadcastServerApi>(SCRIPTS[kind], {}, kind);
  const { port } = await server.call('listen', {}, 10_000);
  const listening: Listening = {
    label: kind,
    port,
    protocol: kind === 'raw' ? 'raw' : 'graphql-ws',
    subscribers: async () => (await server.call('subscribers', {}, 5_000)).count,
  };
  return {
    server,
    subscribe: (count, topics, expected) => fillServer(listening, fleet, count, topics, expected),
    async stop() {
      await fleet.close();
      await server.stop();
    },
  };
}

/** The raw relay of `fanout-latency`, listening to one queue's events. */
export interface RelayServer {
  server: Child<RelayServerApi>;
  /** Subscribes `count` raw clients of `fleet` over `jobIds` (BullMQ ids) and waits until the relay has them all. */
  subscribe(count: number, jobIds: string[]): Promise<void>;
}

/** Starts the raw relay on `queue`'s events; its clients come from `fleet`. */
export async function startRelay(ctx: FigureContext, queue: QueueInit, fleet: Fleet): Promise<RelayServer> {
  const server = await ctx.child<RelayServerApi>('baselines/raw-relay-server.ts', queue, 'relay');
  const { port } = await server.call('listen', {}, 30_000);
  const listening: Listening = {
    label: 'relay',
    port,
    protocol: 'raw',
    subscribers: async () => (await server.call('status', {}, 5_000)).subscribers,
  };
  return {
    server,
    subscribe: (count, jobIds) => fillServer(listening, fleet, count, jobIds, count),
  };
}
