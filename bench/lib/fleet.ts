/**
 * A fleet of WebSocket (or SSE) clients spread over several `load/ws-fleet.ts`
 * processes (so clients neither hit one process's open-file limit nor share
 * one event loop), driven as one and reused from server to server.
 */
import type { ConnectArgs, ConnectReport, FleetApi } from '../load/api';
import type { FleetInit } from '../load/ws-fleet';
import type { FigureContext } from './context';
import type { Gateway } from './gateway';
import { mergeAll, type Histogram } from './histogram';
import type { Child } from './ipc';
import { cpuMs } from './procfs';
import { JOB_EVENTS_SUBSCRIPTION } from './sample-event';

/** Why a gateway side cannot be reported when fewer subscriptions than asked got their SNAPSHOT, or null when all did. */
export function shortfall(report: ConnectReport, expected: number): string | null {
  if (report.firstMessages >= expected) return null;
  return `only ${report.firstMessages} of ${expected} subscriptions got a SNAPSHOT (${(report.firstError ?? 'no error').slice(0, 150)})`;
}

/** Deliveries of a window, merged over the fleet's processes. */
export interface FleetWindow {
  messages: number;
  bytes: number;
  errors: number;
  firstError?: string;
  completed: number;
  closed: number;
  elapsedMs: number;
  latency: Histogram;
}

const PER_PROCESS = 5_000;
/** Sockets each process opens at once. */
const CONCURRENCY = 100;

/** Clients of one server, in as many processes as their number needs. */
export class Fleet {
  private constructor(private readonly children: Child<FleetApi>[]) {}

  /**
   * Starts the processes for up to `connections` clients at a time. With `ownSourceAddress`, process i
   * binds its WebSockets to 127.0.0.(i + 2): the ports of one source address (about 28,000) to one server
   * port would run out before 50,000 sockets, and every 127.x.y.z address is this machine's loopback.
   */
  static async start(ctx: FigureContext, connections: number, label: string, ownSourceAddress = false): Promise<Fleet> {
    const processes = connections <= 1 ? 1 : Math.max(2, Math.ceil(connections / PER_PROCESS));
    const init = (i: number): FleetInit => (ownSourceAddress ? { localAddress: `127.0.0.${i + 2}` } : {});
    const children = await Promise.all(
      Array.from({ length: processes }, (_, i) => ctx.child<FleetApi>('load/ws-fleet.ts', init(i), label)),
    );
    return new Fleet(children);
  }

  /** Opens `args.connections` in total, split evenly; topics continue across processes. */
  async connect(args: Omit<ConnectArgs, 'offset'>): Promise<ConnectReport> {
    const n = this.children.length;
    let offset = 0;
    const reports = await Promise.all(
      this.children.map((child, i) => {
        const connections = Math.floor(args.connections / n) + (i < args.connections % n ? 1 : 0);
        const part = { ...args, connections, offset };
        offset += connections * args.subscriptionsPerConnection;
        return child.call('connect', part, args.timeoutMs + 10_000);
      }),
    );
    return reports.reduce((a, r) => ({
      connected: a.connected + r.connected,
      subscribed: a.subscribed + r.subscribed,
      firstMessages: a.firstMessages + r.firstMessages,
      failed: a.failed + r.failed,
      firstError: a.firstError ?? r.firstError,
      elapsedMs: Math.max(a.elapsedMs, r.elapsedMs),
    }));
  }

  /**
   * Opens `connections` sockets to the gateway, each with `perConnection`
   * jobEvents subscriptions over `topics` and its own watcher token, and waits
   * for every SNAPSHOT (at most `timeoutMs`). Over `sse`, each connection is one
   * event stream of graphql-sse's distinct connections mode (`perConnection` 1).
   */
  watch(
    gateway: Gateway,
    connections: number,
    perConnection: number,
    topics: string[],
    timeoutMs: number,
    transport: 'ws' | 'sse' = 'ws',
  ): Promise<ConnectReport> {
    return this.connect({
      url: transport === 'sse' ? gateway.sseUrl : gateway.wsUrl,
      protocol: transport === 'sse' ? 'sse' : 'graphql-ws',
      connections,
      subscriptionsPerConnection: perConnection,
      query: JOB_EVENTS_SUBSCRIPTION,
      topics,
      tokenSecret: gateway.secret,
      awaitFirst: true,
      concurrency: CONCURRENCY,
      timeoutMs,
    });
  }

  /** CPU time the fleet's processes have used so far, ms: what the clients themselves cost the shared cores. */
  cpuMs(): number {
    return this.children.reduce((sum, child) => sum + cpuMs(child.pid), 0);
  }

  /** Counts deliveries in every process over the same window. */
  async measure(durationMs: number): Promise<FleetWindow> {
    const reports = await Promise.all(this.children.map((c) => c.call('measure', { durationMs }, durationMs + 30_000)));
    return {
      messages: reports.reduce((s, r) => s + r.count, 0),
      bytes: reports.reduce((s, r) => s + r.bytes, 0),
      errors: reports.reduce((s, r) => s + r.errors, 0),
      firstError: reports.find((r) => r.firstError)?.firstError,
      completed: reports.reduce((s, r) => s + r.completed, 0),
      closed: reports.reduce((s, r) => s + r.closed, 0),
      elapsedMs: Math.max(...reports.map((r) => r.elapsedMs)),
      latency: mergeAll(reports.map((r) => r.latency)),
    };
  }

  /** Closes every client (the processes stay until {@link Fleet.stop} or the figure's end). */
  async close(): Promise<void> {
    await Promise.all(this.children.map((c) => c.call('close', {}, 30_000)));
  }

  /** Ends the fleet's processes, freeing their CPU and memory for the next measurement. */
  async stop(): Promise<void> {
    await Promise.all(this.children.map((c) => c.stop()));
  }
}
