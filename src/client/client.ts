import { createClient, type Client } from 'graphql-ws';
import { createEndpoints } from './endpoints';
import { postOperation, type HttpContext } from './http';
import type { TypedDocumentString } from './gql/graphql';
import { CancelJobDocument, EnqueueFlowDocument, EnqueueJobDocument, RetryJobDocument } from './operations';
import { streamOperation, type JobgateStream } from './subscriptions';
import type {
  ConnectionState,
  EnqueuedJob,
  FlowEvent,
  FlowInput,
  Job,
  JobEvent,
  JobgateClientOptions,
  JobOptionsInput,
  WatchFlowOptions,
  WatchOptions,
} from './types';
import { watchFlow, watchJob } from './watch';

/** A Jobgate connection: HTTP for queries and mutations, one shared WebSocket for every subscription. */
export interface JobgateClient {
  /**
   * Enqueues a job of a registered type; `data` is validated by the gateway against the type's input.
   * `flow` is non-null when the type declares children: the job is then the root of a flow.
   */
  enqueue(type: string, data: Record<string, unknown>, options?: JobOptionsInput): Promise<EnqueuedJob>;
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
  /** Runs any generated query or mutation document over HTTP. */
  request<TResult, TVariables>(document: TypedDocumentString<TResult, TVariables>, variables: TVariables): Promise<TResult>;
  /** Runs any generated subscription document over the shared WebSocket (reconnecting like `watch`). */
  subscribe<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentString<TResult, TVariables>,
    variables: TVariables,
  ): JobgateStream<TResult>;
  /** Calls `listener` whenever the WebSocket link changes state; returns the unsubscriber. */
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  /** Closes the WebSocket; running iterators end. */
  dispose(): Promise<void>;
}

const DEFAULT_RETRY_ATTEMPTS = 30;
const DEFAULT_MAX_RETRY_WAIT_MS = 2000;
const FIRST_RETRY_WAIT_MS = 250;
/** Keeps the socket a little after the last subscription, so back-to-back watches share it. */
const LAZY_CLOSE_TIMEOUT_MS = 3000;

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
  const emit = (state: ConnectionState): void => listeners.forEach((listener) => listener(state));

  // Created on first use: a client that only enqueues needs no WebSocket implementation (Node 20 has none built in).
  let ws: Client | undefined;
  const socket = (): Client =>
    (ws ??= createClient({
      url: () => endpoints.ws,
      webSocketImpl: options.webSocketImpl,
      lazyCloseTimeout: LAZY_CLOSE_TIMEOUT_MS,
      retryAttempts: options.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
      // Any close that graphql-ws does not deem fatal (restart 1001/1012, drop 1006…) is worth a retry.
      shouldRetry: () => true,
      retryWait: (retries) => {
        const wait = Math.min(maxRetryWaitMs, FIRST_RETRY_WAIT_MS * 2 ** retries);
        return new Promise((resolve) => setTimeout(resolve, wait + Math.random() * FIRST_RETRY_WAIT_MS));
      },
      connectionParams: () => {
        const value = authorization();
        return value === undefined ? {} : { authorization: value };
      },
      on: {
        connecting: (isRetry) => {
          // A retry means the current gateway failed us: try the next one.
          if (isRetry) endpoints.advance();
          emit(isRetry ? 'reconnecting' : 'connecting');
        },
        connected: () => emit('connected'),
        closed: () => emit('closed'),
      },
    }));

  return {
    async enqueue(type, data, jobOptions) {
      const { enqueue } = await postOperation(http, EnqueueJobDocument, { type, data, options: jobOptions });
      return enqueue;
    },
    async enqueueFlow(flow) {
      return (await postOperation(http, EnqueueFlowDocument, { flow })).enqueueFlow;
    },
    watch: (jobId, watchOptions) => watchJob(socket(), jobId, watchOptions),
    watchFlow: (rootId, watchOptions) => watchFlow(socket(), rootId, watchOptions),
    async cancel(jobId) {
      return (await postOperation(http, CancelJobDocument, { id: jobId })).cancelJob;
    },
    async retry(jobId) {
      return (await postOperation(http, RetryJobDocument, { id: jobId })).retryJob;
    },
    request: (document, variables) => postOperation(http, document, variables),
    subscribe: (document, variables) => streamOperation(socket(), document, variables, (data) => data),
    onConnectionChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      await ws?.dispose();
    },
  };
}
