import { createEndpoints } from './endpoints.js';
import type { TypedDocumentString } from './gql/graphql.js';
import { postOperation, type HttpContext } from './http.js';
import {
  CancelJobDocument,
  EnqueueFlowDocument,
  EnqueueJobDocument,
  JobDocument,
  JobsDocument,
  RetryJobDocument,
  type JobListItem,
  type JobsPage,
} from './operations.js';
import { streamOperation, type JobgateStream } from './subscriptions.js';
import { createTransport, type Transport } from './transport.js';
import type {
  ConnectionState,
  EnqueuedJob,
  FlowEvent,
  FlowInput,
  Job,
  JobEvent,
  JobgateClientOptions,
  JobInputs,
  JobOptionsInput,
  JobState,
  JobTypeName,
  TransportName,
  TypedJob,
  WatchFlowOptions,
  WatchOptions,
} from './types.js';
import { watchFlow, watchJob } from './watch.js';

/** Options of `jobs`. */
export interface JobsOptions {
  /** Only jobs in these states. @default every state */
  states?: readonly JobState[];
  /** Page size. @default 20 */
  first?: number;
  /** The `endCursor` of the previous page. */
  after?: string;
}

/** A Jobgate connection: HTTP for queries and mutations; one shared WebSocket, or SSE streams, for subscriptions. */
export interface JobgateClient {
  /**
   * Enqueues a job of a registered type; `data` is validated by the gateway against the type's input.
   * `flow` is non-null when the type declares children: the job is then the root of a flow.
   */
  enqueue<T extends JobTypeName>(type: T, data: JobInputs[T], options?: JobOptionsInput): Promise<TypedJob<T>>;
  /** `enqueue` for a type known at run time only (a form, a command line): `data` is checked by the gateway alone. */
  enqueueAny(type: string, data: Record<string, unknown>, options?: JobOptionsInput): Promise<EnqueuedJob>;
  /**
   * Enqueues a tree of jobs atomically (build it with `step`, `chain`, `group`, `chord`): each
   * job runs once its children completed. Returns the root, with the tree's aggregate in `flow`.
   */
  enqueueFlow(flow: FlowInput): Promise<EnqueuedJob>;
  /**
   * The job's events, from a SNAPSHOT (or from after `since`) to its final event. Survives
   * gateway restarts and socket drops: it reconnects and resumes after the last cursor seen.
   */
  watch(jobId: string, options?: WatchOptions): JobgateStream<JobEvent>;
  /**
   * Every event of every job of the flow rooted at `rootId`, from the root's SNAPSHOT (or from
   * after `since`) to the root's final event, each with the tree's aggregate (`flow`). Reconnects
   * and resumes after the last cursor received, like `watch`.
   */
  watchFlow(rootId: string, options?: WatchFlowOptions): JobgateStream<FlowEvent>;
  /** Cancels a job (CANCELLED; an active one is aborted on its worker). */
  cancel(jobId: string): Promise<Job>;
  /** Runs a failed or cancelled job again. */
  retry(jobId: string): Promise<Job>;
  /** One job, or null when the gateway knows none with that id. */
  job(jobId: string): Promise<Job | null>;
  /** A page of a queue's jobs, newest first. */
  jobs(queue: string, options?: JobsOptions): Promise<JobsPage<JobListItem>>;
  /** Runs any generated query or mutation document over HTTP. */
  request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult>;
  /** Runs any generated subscription document over the client's transport (reconnecting like `watch`). */
  subscribe<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
  ): JobgateStream<TResult>;
  /** Calls `listener` whenever the subscription link changes state; returns the unsubscriber. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** The subscription link's state now (`closed` before the first subscription). */
  readonly connectionState: ConnectionState;
  /** What carries subscriptions: `auto` until its first subscription settles on `ws` or `sse`. */
  readonly transport: TransportName | 'auto';
  /** Closes the WebSocket or the event streams; running iterators end. */
  dispose(): Promise<void>;
}

const DEFAULT_RETRY_ATTEMPTS = 30;
const DEFAULT_MAX_RETRY_WAIT_MS = 2000;
const FIRST_RETRY_WAIT_MS = 250;

/** Creates a client; nothing connects until the first request or subscription. */
export function createJobgateClient(options: JobgateClientOptions): JobgateClient {
  const endpoints = createEndpoints(options);
  if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
    throw new TypeError('expected a global fetch or the `fetch` option, got neither');
  }
  // Called through a closure: browsers refuse a `fetch` invoked as a method of another object.
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const maxRetryWaitMs = options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS;
  const authorization = (): string | undefined => {
    const token = typeof options.token === 'function' ? options.token() : options.token;
    return token === undefined || token === '' ? undefined : `Bearer ${token}`;
  };
  const http: HttpContext = { endpoints, fetch: fetchImpl, authorization };

  const listeners = new Set<(state: ConnectionState) => void>();
  let connectionState: ConnectionState = 'closed';
  const emit = (state: ConnectionState): void => {
    connectionState = state;
    listeners.forEach((listener) => listener(state));
  };

  // Created on first use: a client that only enqueues opens no socket and needs no WebSocket implementation.
  let transport: Transport | undefined;
  const link = (): Transport =>
    (transport ??= createTransport(options.transport ?? 'ws', {
      endpoints,
      fetch: fetchImpl,
      authorization,
      emit,
      webSocketImpl: options.webSocketImpl,
      retryAttempts: options.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
      retryWait: (retries) => {
        const wait = Math.min(maxRetryWaitMs, FIRST_RETRY_WAIT_MS * 2 ** retries);
        return new Promise((resolve) => setTimeout(resolve, wait + Math.random() * FIRST_RETRY_WAIT_MS));
      },
    }));

  return {
    async enqueue<T extends JobTypeName>(type: T, data: JobInputs[T], jobOptions?: JobOptionsInput): Promise<TypedJob<T>> {
      const { enqueue } = await postOperation(http, EnqueueJobDocument, { type, data, options: jobOptions });
      // The gateway enqueued a job of `type` with `data`: what it returns is that job.
      return enqueue as unknown as TypedJob<T>;
    },
    async enqueueAny(type, data, jobOptions) {
      return (await postOperation(http, EnqueueJobDocument, { type, data, options: jobOptions })).enqueue;
    },
    async enqueueFlow(flow) {
      return (await postOperation(http, EnqueueFlowDocument, { flow })).enqueueFlow;
    },
    watch: (jobId, watchOptions) => watchJob(link(), jobId, watchOptions),
    watchFlow: (rootId, watchOptions) => watchFlow(link(), rootId, watchOptions),
    async cancel(jobId) {
      return (await postOperation(http, CancelJobDocument, { id: jobId })).cancelJob;
    },
    async retry(jobId) {
      return (await postOperation(http, RetryJobDocument, { id: jobId })).retryJob;
    },
    async job(jobId) {
      return (await postOperation(http, JobDocument, { id: jobId })).job;
    },
    async jobs(queue, listOptions = {}) {
      const variables = {
        queue,
        states: listOptions.states === undefined ? null : [...listOptions.states],
        first: listOptions.first ?? 20,
        after: listOptions.after ?? null,
      };
      return (await postOperation(http, JobsDocument, variables)).jobs;
    },
    request: (document, variables) => postOperation(http, document, variables),
    subscribe: (document, variables) => streamOperation(link(), document, variables, (data) => data),
    onConnectionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get connectionState() {
      return connectionState;
    },
    get transport() {
      return transport?.current ?? options.transport ?? 'ws';
    },
    async dispose() {
      await transport?.dispose();
    },
  };
}
