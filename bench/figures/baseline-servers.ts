/**
 * Starting the baseline servers of figures 4 and 5 (raw `ws`, plain
 * graphql-ws) and filling them with subscribers from a fleet.
 */
import type { BroadcastServerApi } from '../load/api';
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

/** Starts a baseline server whose clients come from `fleet`. */
export async function startBaseline(ctx: FigureContext, kind: BaselineKind, fleet: Fleet): Promise<BaselineServer> {
  const server = await ctx.child<BroadcastServerApi>(SCRIPTS[kind], {}, kind);
  const { port } = await server.call('listen', {}, 10_000);
  return {
    server,
    async subscribe(count, topics, expected) {
      const report = await fleet.connect({
        url: `ws://127.0.0.1:${port}/graphql`,
        protocol: kind === 'raw' ? 'raw' : 'graphql-ws',
        connections: count,
        subscriptionsPerConnection: 1,
        query: JOB_EVENTS_SUBSCRIPTION,
        topics,
        tokenSecret: '',
        awaitFirst: false,
        concurrency: 100,
        timeoutMs: 180_000,
      });
      if (report.failed > 0) throw new Error(`${kind}: ${report.failed} of ${count} clients failed: ${report.firstError}`);
      const all = await waitUntil(async () => (await server.call('subscribers', {}, 5_000)).count >= expected, 30_000);
      if (!all) throw new Error(`${kind}: expected ${expected} subscribers, got ${(await server.call('subscribers', {}, 5_000)).count}`);
    },
    async stop() {
      await fleet.close();
      await server.stop();
    },
  };
}
