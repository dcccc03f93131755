import { AsyncQueue } from './async-queue.js';
import { JobgateClientError, type WireGraphQLError } from './errors.js';
import type { TypedDocumentString } from './gql/graphql.js';
import type { Transport } from './transport.js';

/** A live stream of results; `return()` ends it and unsubscribes at once. */
export interface JobgateStream<T> extends AsyncIterableIterator<T, undefined> {
  next(): Promise<IteratorResult<T, undefined>>;
  return(): Promise<IteratorReturnResult<undefined>>;
  [Symbol.asyncIterator](): JobgateStream<T>;
}

/** What a caller of {@link streamOperation} may learn of and decide about each value. */
export interface StreamHooks<TValue> {
  /**
   * Sees each result as it arrives, before the caller pulls it: what the caller has not
   * consumed yet was still received, and must not be asked for again on a resume.
   */
  onReceive?: (value: TValue) => void;
  /** Whether a value is the last one: the stream then ends after it without waiting for the gateway's `complete`. */
  isLast?: (value: TValue) => boolean;
}

/**
 * Streams what `select` takes of the `data` of each result of a subscription. `variables` is sent as it is *each time* the transport
 * (graphql-ws or graphql-sse) (re)subscribes, i.e. after every reconnect: give it getters to send fresh values then.
 * Ends when the gateway completes the operation, after a result `isLast` accepts, or when
 * `return()` is called, at once even while a `next()` waits; throws a {@link JobgateClientError}
 * on a GraphQL error or when reconnecting gives up, after the results received before it.
 */
export function streamOperation<TResult, TVariables extends Record<string, unknown>, TValue>(
  transport: Transport,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  select: (data: TResult) => TValue,
  hooks: StreamHooks<TValue> = {},
): JobgateStream<TValue> {
  const results: AsyncQueue<TValue> = new AsyncQueue({ onReturn: () => unsubscribe() });
  // Unsubscribing from inside a `next` callback, graphql-ws counts the subscription released, and
  // counts it again when the gateway's `complete`, read in the same chunk, reaches the same
  // listener: one lock too few, after which a reconnect finds "all subscriptions gone" and
  // completes the ones still running. Released after the messages of that read are handled, the
  // gateway's `complete` has usually released it, and the unsubscribe does nothing.
  const releaseSoon = (): void => void setTimeout(unsubscribe, 0);
  const unsubscribe = transport.subscribe(
    { query: document.toString(), variables },
    {
      next: (result) => {
        const { data, errors } = result as { data?: TResult | null; errors?: readonly WireGraphQLError[] };
        if (results.isEnded) return;
        if (errors !== undefined && errors.length > 0) {
          releaseSoon();
          return results.end(JobgateClientError.fromGraphQL(errors));
        }
        if (data === undefined || data === null) return;
        const value = select(data);
        hooks.onReceive?.(value);
        results.push(value);
        if (hooks.isLast?.(value)) {
          releaseSoon();
          results.end();
        }
      },
      error: (reason) => results.end(JobgateClientError.fromSubscription(reason)),
      complete: () => results.end(),
    },
  );
  return results;
}
