import type {
  EnqueueJobMutation,
  FlowEventsSubscription,
  FlowInput,
  FlowProgressFieldsFragment,
  JobEventType,
  JobEventsSubscription,
  JobFieldsFragment,
  JobOptionsInput,
  JobState,
} from './gql/graphql.js';

import type { JobInputs, JobTypeName } from './gql/jobs.js';

export type { FlowInput, JobEventType, JobInputs, JobOptionsInput, JobState, JobTypeName };

/** A job as the client reads it after a mutation (see the `JobFields` fragment). */
export type Job = JobFieldsFragment;

/** A flow's aggregate over every descendant (all levels) of a job. */
export type FlowProgress = FlowProgressFieldsFragment;

/** A job just enqueued: `flow` is its tree's aggregate when it has children (it is a flow's root), null otherwise. */
export type EnqueuedJob = EnqueueJobMutation['enqueue'];

/** A job of a known type, as `enqueue(type, data)` returns it: `type` and `data` are those of that job type. */
export type TypedJob<T extends JobTypeName> = Omit<EnqueuedJob, 'type' | 'data'> & { type: T; data: JobInputs[T] };

/**
 * One event of a flow's stream: `job` is any job of the tree as of this event (`job.parent.id`
 * says where it sits), `flow` the root's aggregate as of this event.
 */
export type FlowEvent = FlowEventsSubscription['flowEvents'];

/** One event of a job's stream: `job` is the job as of this event (with `logs` when watched `withLogs`). */
export type JobEvent = JobEventsSubscription['jobEvents'];

/** Event types after which a job's stream ends (a FAILED event is only sent once no attempt is left). */
export const FINAL_EVENT_TYPES: ReadonlySet<JobEventType> = new Set<JobEventType>(['COMPLETED', 'FAILED', 'CANCELLED', 'REMOVED']);

/** States a job does not leave on its own; a SNAPSHOT in one of them is the stream's last event. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set<JobState>(['COMPLETED', 'FAILED', 'CANCELLED']);

/** True when no event follows `event` in its job's stream. */
export function isFinalEvent(event: Pick<JobEvent, 'type'> & { job: Pick<JobEvent['job'], 'state'> }): boolean {
  return FINAL_EVENT_TYPES.has(event.type) || (event.type === 'SNAPSHOT' && FINAL_STATES.has(event.job.state));
}

/** What carries subscriptions: one WebSocket (`graphql-transport-ws`) or Server-Sent Events streams (`/graphql/stream`). */
export type TransportName = 'ws' | 'sse';

/** What the subscription link is doing, for a status badge. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Options of {@link createJobgateClient}. Give `url` or `urls`. */
export interface JobgateClientOptions {
  /** The gateway's HTTP GraphQL endpoint, e.g. `http://localhost:4000/graphql`; the WebSocket URL is derived from it. */
  url?: string;
  /** Several gateways behind no balancer: requests and reconnects rotate among them. */
  urls?: readonly string[];
  /** Bearer token: sent as `Authorization` over HTTP and as `authorization` in `connection_init`. A function is read on every request and reconnect. */
  token?: string | (() => string | undefined);
  /**
   * What carries subscriptions: `ws` (one shared WebSocket), `sse` (Server-Sent Events at
   * `/graphql/stream`, for proxies that refuse WebSocket upgrades), or `auto`: the WebSocket when
   * one opens at the first subscription, else SSE. @default 'ws'
   */
  transport?: TransportName | 'auto';
  /** WebSocket constructor to use instead of the global one, or of the `ws` package where there is none (Node 20). */
  webSocketImpl?: unknown;
  /** `fetch` to use. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Consecutive failed reconnects before subscriptions fail. @default 30 */
  retryAttempts?: number;
  /** Longest wait between two reconnects, in ms (waits double from 250 ms up to this). @default 2000 */
  maxRetryWaitMs?: number;
}

/** Options of `watch`. */
export interface WatchOptions {
  /** Resume after this cursor (a `JobEvent.cursor` seen before) instead of starting with a SNAPSHOT. */
  since?: string;
  /** Also send the job's last 50 log lines with every event (the gateway reads them per event). @default false */
  withLogs?: boolean;
}

/** Options of `watchFlow`. */
export interface WatchFlowOptions {
  /** Resume after this cursor (a `FlowEvent.cursor` seen before) instead of starting with the root's SNAPSHOT. */
  since?: string;
}
