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
 * Ends when the gateway completes the operation or `return()` is called, at once even while
 * a `next()` waits (an async generator would only stop at its next event); throws a
 * {@link JobgateClientError} on a GraphQL error or when reconnecting gives up.
 */
export function streamOperation<TResult, TVariables extends Record<string, unknown>>(
  ws: Client,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): JobgateStream<TResult> {
  const results = ws.iterate<TResult>({ query: document.toString(), variables });
  let finished = false;
  const finish = async (): Promise<IteratorReturnResult<undefined>> => {
    if (!finished) {
      finished = true;
      await results.return?.();
    }
    return DONE;
  };
  const iterator: JobgateStream<TResult> = {
    async next() {
      // Each turn consumes one message of the gateway; the stream itself is bounded by its completion.
      for (;;) {
        if (finished) return DONE;
        let step: IteratorResult<{ data?: TResult | null; errors?: readonly WireGraphQLError[] }>;
        try {
          step = await results.next();
        } catch (reason) {
          finished = true;
          throw JobgateClientError.fromSubscription(reason);
        }
        if (step.done === true) return finish();
        const { data, errors } = step.value;
        if (errors !== undefined && errors.length > 0) {
          await finish();
          throw JobgateClientError.fromGraphQL(errors);
        }
        if (data !== undefined && data !== null) return { done: false, value: data };
      }
    },
    return: finish,
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
