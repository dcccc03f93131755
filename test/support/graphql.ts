import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { parsePrometheus, valueOf } from './prometheus';

/** A GraphQL response as the client sees it. */
export interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string } }[];
}

/** POSTs an operation to `url/graphql` over real HTTP. */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}

/** Like `gql`, but fails the test on any error and returns `data`. */
export async function gqlOk<T = Record<string, unknown>>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await gql<T>(url, query, variables);
  if (response.errors || !response.data) throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  return response.data;
}

/** A graphql-ws client over `ws`, as a browser or Node app would use it. */
export function wsClient(wsUrl: string, options: { retryAttempts?: number; connectionParams?: Record<string, unknown> } = {}): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: options.retryAttempts ?? 0,
    retryWait: () => new Promise((resolve) => setTimeout(resolve, 200)),
    connectionParams: options.connectionParams,
    lazy: true,
  });
}

/** A subscription being recorded: every `next` payload, in order, until complete or error. */
export interface Recording<T> {
  results: { data?: T | null; errors?: GraphQLResponse<T>['errors'] }[];
  /** Resolves when the server completes the subscription; rejects on a protocol error. */
  done: Promise<void>;
  stop(): void;
}

/** graphql-ws reports a closed socket as a CloseEvent and protocol errors as arrays: make them Errors. */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (error && typeof error === 'object' && 'code' in error) return new Error(`socket closed with code ${String(error.code)}`);
  return new Error(JSON.stringify(error));
}

export function record<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): Recording<T> {
  const results: Recording<T>['results'] = [];
  let stop = (): void => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stop = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => void results.push(value as Recording<T>['results'][number]),
        error: (error) => reject(asError(error)),
        complete: resolve,
      },
    );
  });
  return { results, done, stop: () => stop() };
}

/** Polls `check` until it returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Resolves once the gateway at `url` has started `count` subscriptions named `operationName`, as
 * its /metrics counts them: the count moves once the watch is registered with its stream, so an
 * event written after this resolves is delivered to it. Name the operation uniquely in its file.
 * `headers` carry the METRICS_TOKEN bearer when the gateway has one.
 */
export async function subscriptionsStarted(
  url: string,
  operationName: string,
  count = 1,
  headers: Record<string, string> = {},
): Promise<void> {
  await eventually(
    async () => {
      const { samples } = parsePrometheus(await (await fetch(`${url}/metrics`, { headers })).text());
      const labels = { operation_type: 'subscription', operation_name: operationName };
      return valueOf(samples, 'jobgate_graphql_operations_total', labels) >= count;
    },
    10_000,
    `${count} ${operationName} subscription(s) to start`,
  );
}

/** Resolves within `ms` or rejects: so a hung promise fails a test instead of stalling it. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms).unref()),
  ]);
}
