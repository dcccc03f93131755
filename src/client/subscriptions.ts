import type { Client } from 'graphql-ws';
import { JobgateClientError, type WireGraphQLError } from './errors';
import type { TypedDocumentString } from './gql/graphql';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** A live stream of results; `return()` ends it and unsubscribes at once. */
export interface JobgateStream<T> extends AsyncIterableIterator<T, undefined> {
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorReturnResult<undefined>>;
  [Symbol.asyncIterator](): JobgateStream<T>;
}

/**
 * Streams the `data` of a subscription. `variables` is sent as it is *each time* graphql-ws
 * (re)subscribes, i.e. after every reconnect: give it getters to send fresh values then.
 * `onReceive` sees each result as it arrives, before the caller pulls it: what the caller
 * has not consumed yet was still received, and must not be asked for again on a resume.
 * Ends when the gateway completes the operation or `return()` is called, at once even while
 * a `next()` waits; throws a {@link JobgateClientError} on a GraphQL error or when
 * reconnecting gives up, after the results received before it.
 */
export function streamOperation<TResult, TVariables extends Record<string, unknown>>(
  ws: Client,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  onReceive?: (data: TResult) => void,
): JobgateStream<TResult> {
  const received: TResult[] = [];
  let failure: JobgateClientError | undefined;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = (): void => {
    wake?.();
    wake = undefined;
  };
  const end = (error?: JobgateClientError): void => {
    failure ??= error;
    ended = true;
    notify();
  };
  const unsubscribe = ws.subscribe<TResult>(
    { query: document.toString(), variables },
    {
      next: ({ data, errors }: { data?: TResult | null; errors?: readonly WireGraphQLError[] }) => {
        if (ended) return;
        if (errors !== undefined && errors.length > 0) {
          unsubscribe();
          return end(JobgateClientError.fromGraphQL(errors));
        }
        if (data === undefined || data === null) return;
        onReceive?.(data);
        received.push(data);
        notify();
      },
      error: (reason) => end(JobgateClientError.fromSubscription(reason)),
      complete: () => end(),
    },
  );

  const iterator: JobgateStream<TResult> = {
    async next() {
      // Each wait ends at the next result, the end or an error: bounded by the stream itself.
      while (received.length === 0 && !ended) await new Promise<void>((resolve) => (wake = resolve));
      const value = received.shift();
      if (value !== undefined) return { done: false, value };
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        throw error;
      }
      return DONE;
    },
    async return() {
      received.length = 0;
      if (!ended) unsubscribe();
      end();
      return DONE;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
