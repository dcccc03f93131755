import { timingSafeEqual } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { bearerToken, sha256 } from '../auth/bearer';
import type { Services } from '../services';
import type { QueueOverview } from '../services/queue-monitor.service';

/** Distinct GraphQL operation names kept as label values; later ones are counted as `other`. */
const MAX_OPERATION_NAMES = 100;
/** Paths that get a label of their own; everything else (static files, 404s) is `other`. */
const ROUTES = ['/graphql', '/graphql/stream', '/graphiql', '/metrics', '/healthz', '/readyz', '/health'];
const METHODS = new Set(['GET', 'POST', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'PATCH']);
/**
 * `bullmq_job_count` states as BullMQ names them, plus Jobgate's `cancelled` (BullMQ counts a job
 * cancelled while active as failed; here it is not). `paused` is left out: those jobs are already
 * counted as waiting or prioritized (and `jobgate_queue_paused` tells a paused queue).
 */
const BULLMQ_STATE_NAMES: Record<string, Exclude<keyof QueueOverview['counts'], 'paused'>> = {
  waiting: 'waiting',
  active: 'active',
  delayed: 'delayed',
  prioritized: 'prioritized',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  'waiting-children': 'waitingChildren',
};
/**
 * prom-client defaults that list every open handle, resource or file descriptor on the event loop at
 * each scrape: their cost grows with the sockets open, and every delivery waits for it. They are left
 * out; `process_open_fds` is read off the event loop instead ({@link GatewayMetrics.openFds}).
 */
const PER_HANDLE_DEFAULTS = [
  'process_open_fds',
  'nodejs_active_handles',
  'nodejs_active_handles_total',
  'nodejs_active_resources',
  'nodejs_active_resources_total',
];
/** Queue gauges are read once per scrape even though several metrics show them. */
const QUEUE_READ_REUSE_MS = 1000;

/** A GraphQL operation's type as a label: query, mutation, subscription, or unknown (did not parse or validate). */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

type HttpLabels = Record<'method' | 'route' | 'status_code', string>;
type OperationLabels = Record<'operation_type' | 'operation_name', string>;

/** A count kept per label set between scrapes, copied into its counter when scraped. */
interface Tally<L> {
  labels: L;
  count: number;
}

/** When an HTTP response being timed started, and its route as a label (read at the start: Express rewrites `url`). */
interface HttpTiming {
  metrics: GatewayMetrics;
  started: number;
  route: string;
}
const TIMING = Symbol('jobgate.httpTiming');
type Timed = ServerResponse & { [TIMING]?: HttpTiming };

/** The `finish` listener of every timed response, called on the response: one function rather than a closure per request. */
function httpFinished(this: Timed): void {
  const timing = this[TIMING];
  if (timing) timing.metrics.httpAnswered(this, timing);
}

/** The `route` label of a request path. */
function routeOf(url = ''): string {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  return ROUTES.includes(path) ? path : path.startsWith('/downloads/') ? '/downloads/:id' : 'other';
}

/**
 * The gateway's Prometheus metrics, in a registry of its own (not prom-client's global one,
 * so two gateways in one process do not collide). Everything that is state elsewhere (sockets,
 * EventHub counters, queue counts) is read when scraped rather than mirrored.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly httpRequests: Counter<'method' | 'route' | 'status_code'>;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  private readonly operations: Counter<'operation_type' | 'operation_name' | 'outcome'>;
  private readonly operationDuration: Histogram<'operation_type' | 'operation_name'>;
  private readonly subscriptions: Gauge;
  private readonly operationNames = new Set<string>();
  /**
   * Requests and operations counted here and copied into their counters when scraped: every
   * request counts, and prom-client validates and hashes a label set on each `inc`. The label
   * objects are shared by every observation of their set, for the duration histograms too.
   */
  private readonly httpTallies = new Map<string, Tally<HttpLabels>>();
  private readonly operationTallies = new Map<string, Tally<OperationLabels & { outcome: string }>>();
  private readonly operationLabels = new Map<string, OperationLabels>();
  private openSockets: () => number = () => 0;
  private queueRead: { at: number; result: Promise<QueueOverview[] | undefined> } | undefined;
  /** Per queue, the failed total last exported and BullMQ's own total it came from (`failedTotal`). */
  private readonly failedTotals = new Map<string, { bull: number; exported: number }>();

  constructor(
    private readonly services: Services,
    private readonly logger: Logger,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    for (const name of PER_HANDLE_DEFAULTS) this.registry.removeSingleMetric(name);
    this.openFds(registers);
    const tallied = <L extends string>(counter: Counter<L>, tallies: Map<string, Tally<Record<L, string>>>): void => {
      counter.reset();
      for (const { labels, count } of tallies.values()) counter.inc(labels, count);
    };
    this.httpRequests = new Counter({
      name: 'jobgate_http_requests_total',
      help: 'HTTP requests answered.',
      labelNames: ['method', 'route', 'status_code'],
      registers,
      collect: () => tallied(this.httpRequests, this.httpTallies),
    });
    this.httpDuration = new Histogram({
      name: 'jobgate_http_request_duration_seconds',
      help: 'Time to answer an HTTP request.',
      labelNames: ['method', 'route', 'status_code'],
      registers,
    });
    this.operations = new Counter({
      name: 'jobgate_graphql_operations_total',
      help: 'GraphQL operations: over HTTP when answered, subscriptions over WebSocket when started.',
      labelNames: ['operation_type', 'operation_name', 'outcome'],
      registers,
      collect: () => tallied(this.operations, this.operationTallies),
    });
    this.operationDuration = new Histogram({
      name: 'jobgate_graphql_operation_duration_seconds',
      help: 'Time to answer a GraphQL operation over HTTP.',
      labelNames: ['operation_type', 'operation_name'],
      registers,
    });
    this.subscriptions = new Gauge({ name: 'jobgate_subscriptions_active', help: 'GraphQL subscriptions open now.', registers });
    const { hub, queueStats } = services;
    const sockets: Gauge = new Gauge({
      name: 'jobgate_websockets_open',
      help: 'WebSockets open now.',
      registers,
      collect: () => sockets.set(this.openSockets()),
    });
    const readers: Gauge = new Gauge({
      name: 'jobgate_event_readers',
      help: 'EventHub stream readers open now (one per watched queue).',
      registers,
      collect: () => readers.set(hub.readers),
    });
    const pollers: Gauge = new Gauge({
      name: 'jobgate_queue_stats_pollers',
      help: 'Queues polled for queueStats subscribers now.',
      registers,
      collect: () => pollers.set(queueStats.pollerCount),
    });
    // The EventHub keeps plain running totals; a scrape copies them into counters.
    const total = (name: string, help: string, value: () => number): Counter => {
      const counter: Counter = new Counter({
        name,
        help,
        registers,
        collect: () => {
          counter.reset();
          counter.inc(value());
        },
      });
      return counter;
    };
    total('jobgate_events_read_total', 'Queue event stream entries read.', () => hub.stats.entriesRead);
    total('jobgate_events_delivered_total', 'Job events handed to subscriptions.', () => hub.stats.deliveries);
    total(
      'jobgate_events_coalesced_total',
      'PROGRESS events dropped for slow clients (counted when their subscription ends).',
      () => hub.coalesced,
    );
    this.queueGauges(registers);
  }

  /** Where the open-socket count comes from (the WebSocket server starts after the metrics). */
  countSockets(source: () => number): void {
    this.openSockets = source;
  }

  /** Times `request` and counts it by method, route and status once its response is sent. */
  observeHttp(request: IncomingMessage, response: ServerResponse): void {
    (response as Timed)[TIMING] = { metrics: this, started: performance.now(), route: routeOf(request.url) };
    response.once('finish', httpFinished);
  }

  /** Counts and times an answered request ({@link observeHttp}). */
  httpAnswered(response: ServerResponse, timing: HttpTiming): void {
    const method = METHODS.has(response.req.method ?? '') ? (response.req.method ?? 'other') : 'other';
    const key = `${method} ${timing.route} ${response.statusCode}`;
    let tally = this.httpTallies.get(key);
    if (!tally) {
      tally = { labels: { method, route: timing.route, status_code: String(response.statusCode) }, count: 0 };
      this.httpTallies.set(key, tally);
    }
    tally.count += 1;
    this.httpDuration.observe(tally.labels, (performance.now() - timing.started) / 1000);
  }

  /** Express middleware timing every request that reaches Express; mount it first. */
  http() {
    return (request: Request, response: Response, next: NextFunction): void => {
      this.observeHttp(request, response);
      next();
    };
  }

  /** `GET /metrics`: Prometheus text; with `token`, only for `Authorization: Bearer <token>` (else 401). */
  handler(token: string | undefined) {
    const expected = token === undefined ? undefined : sha256(token);
    return async (request: Request, response: Response): Promise<void> => {
      if (expected && !timingSafeEqual(sha256(bearerToken(request.headers.authorization) ?? ''), expected)) {
        response
          .status(401)
          .set('WWW-Authenticate', 'Bearer realm="metrics"')
          .type('text/plain')
          .send('Unauthorized: send Authorization: Bearer <METRICS_TOKEN>\n');
        return;
      }
      response.type(this.registry.contentType).send(await this.registry.metrics());
    };
  }

  /** Records an answered GraphQL operation. */
  operation(type: OperationType, name: string | null | undefined, failed: boolean, seconds?: number): void {
    const operationName = type === 'unknown' ? 'unknown' : this.operationName(name);
    const outcome = failed ? 'error' : 'success';
    const key = `${type} ${outcome} ${operationName}`;
    let tally = this.operationTallies.get(key);
    if (!tally) {
      tally = { labels: { operation_type: type, operation_name: operationName, outcome }, count: 0 };
      this.operationTallies.set(key, tally);
    }
    tally.count += 1;
    if (seconds === undefined) return;
    const timedKey = `${type} ${operationName}`;
    let labels = this.operationLabels.get(timedKey);
    if (!labels) this.operationLabels.set(timedKey, (labels = { operation_type: type, operation_name: operationName }));
    this.operationDuration.observe(labels, seconds);
  }

  /** Counts a subscription as open; the returned function counts it closed (once, however often called). */
  openSubscription(name: string | null | undefined): () => void {
    this.operation('subscription', name, false);
    const gauge = this.subscriptions;
    gauge.inc();
    let open = true;
    return () => {
      if (open) gauge.dec();
      open = false;
    };
  }

  /** GraphQL names are client-chosen: keep the first MAX_OPERATION_NAMES, then `other`. */
  private operationName(name: string | null | undefined): string {
    if (!name) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= MAX_OPERATION_NAMES || name.length > 100) return 'other';
    this.operationNames.add(name);
    return name;
  }

  /**
   * `process_open_fds` as prom-client's default has it (Linux only), but listed by a `readdir` in libuv's
   * thread pool: the default's `readdirSync` held the event loop for the length of the list.
   */
  private openFds(registers: Registry[]): void {
    if (process.platform !== 'linux') return;
    const fds: Gauge = new Gauge({
      name: 'process_open_fds',
      help: 'Number of open file descriptors.',
      registers,
      collect: async () => {
        try {
          // Less the descriptor the listing itself had open.
          fds.set((await readdir('/proc/self/fd')).length - 1);
        } catch (error) {
          this.logger.debug({ err: error }, 'open file descriptors unreadable');
        }
      },
    });
  }

  /**
   * Queue gauges under BullMQ's own metric names (those of `Queue.exportPrometheusMetrics`,
   * which cannot be used as is: it repeats each family's HELP/TYPE per queue and reads queues
   * one by one). Every queue metric of a scrape shares one read of all queues.
   */
  private queueGauges(registers: Registry[]): void {
    const perQueue = (metric: Gauge<'queue'> | Counter<'queue'>, value: (queue: QueueOverview) => number) => async (): Promise<void> => {
      const queues = await this.readQueues();
      metric.reset();
      for (const queue of queues ?? []) metric.inc({ queue: queue.queue }, value(queue));
    };
    const jobs: Gauge<'queue' | 'state'> = new Gauge({
      name: 'bullmq_job_count',
      help: 'Number of jobs in the queue by state',
      labelNames: ['queue', 'state'],
      registers,
      collect: async () => {
        const queues = await this.readQueues();
        jobs.reset();
        for (const { queue, counts } of queues ?? []) {
          for (const [state, field] of Object.entries(BULLMQ_STATE_NAMES)) jobs.set({ queue, state }, counts[field]);
        }
      },
    });
    const labelNames = ['queue'] as const;
    const completed: Counter<'queue'> = new Counter({
      name: 'bullmq_job_completed_total',
      help: 'Total number of completed jobs',
      labelNames,
      registers,
      collect: () => perQueue(completed, (queue) => queue.completed.total)(),
    });
    const failed: Counter<'queue'> = new Counter({
      name: 'bullmq_job_failed_total',
      help: 'Total number of failed jobs (cancelled ones not included)',
      labelNames,
      registers,
      collect: () => perQueue(failed, (queue) => this.failedTotal(queue))(),
    });
    const cancelled: Counter<'queue'> = new Counter({
      name: 'bullmq_job_cancelled_total',
      help: 'Total number of cancelled jobs (Jobgate)',
      labelNames,
      registers,
      collect: () => perQueue(cancelled, (queue) => queue.cancelled.total)(),
    });
    const paused: Gauge<'queue'> = new Gauge({
      name: 'jobgate_queue_paused',
      help: '1 when the queue is paused.',
      labelNames,
      registers,
      collect: () => perQueue(paused, (queue) => Number(queue.paused))(),
    });
    const workers: Gauge<'queue'> = new Gauge({
      name: 'jobgate_queue_workers',
      help: 'Workers connected to the queue.',
      labelNames,
      registers,
      collect: () => perQueue(workers, (queue) => queue.workerCount)(),
    });
    const up: Gauge = new Gauge({
      name: 'jobgate_queue_metrics_up',
      help: '1 when the last read of the queue metrics succeeded.',
      registers,
      collect: async () => up.set((await this.readQueues()) ? 1 : 0),
    });
  }

  /**
   * `bullmq_job_failed_total` of `queue`: BullMQ's failed total less the jobs cancelled while
   * active. Their worker records a cancellation just after BullMQ counted the failure, so a scrape
   * in between sees one failure too many, which the next would take back; but a counter must not
   * go down (Prometheus would read a reset). So the total is held at its last value, unless BullMQ's
   * own total went down too (its metrics were reset or lost): that is a reset, and shown as one.
   */
  private failedTotal(queue: QueueOverview): number {
    const last = this.failedTotals.get(queue.queue);
    const exported = last && queue.bullFailedTotal >= last.bull ? Math.max(last.exported, queue.failed.total) : queue.failed.total;
    this.failedTotals.set(queue.queue, { bull: queue.bullFailedTotal, exported });
    return exported;
  }

  /** One read of every queue, shared by the queue metrics of a scrape; undefined when Redis does not answer. */
  private readQueues(): Promise<QueueOverview[] | undefined> {
    if (this.queueRead && Date.now() - this.queueRead.at < QUEUE_READ_REUSE_MS) return this.queueRead.result;
    const { monitor } = this.services;
    const result = monitor.overview(monitor.names, 1).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'queue metrics unreadable');
      return undefined;
    });
    this.queueRead = { at: Date.now(), result };
    return result;
  }
}
