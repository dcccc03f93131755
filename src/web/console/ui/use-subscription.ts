import { useEffect, useRef } from 'react';
import type { JobgateClient, TypedDocumentString } from '@jobgate/client';

/**
 * Calls `onValue` for each value of a subscription while the component is mounted and the
 * variables stay the same; `onError` gets the error that ends it. The callbacks may change on
 * every render without resubscribing.
 */
export function useSubscription<TResult, TVariables extends Record<string, unknown>>(
  client: JobgateClient,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables | undefined,
  onValue: (value: TResult) => void,
  onError?: (message: string) => void,
): void {
  const handlers = useRef({ onValue, onError });
  handlers.current = { onValue, onError };
  const key = variables === undefined ? undefined : JSON.stringify(variables);
  useEffect(() => {
    if (key === undefined) return;
    const stream = client.subscribe(document, JSON.parse(key) as TVariables);
    void (async () => {
      try {
        for await (const value of stream) handlers.current.onValue(value);
      } catch (failure: unknown) {
        handlers.current.onError?.(failure instanceof Error ? failure.message : String(failure));
      }
    })();
    return () => void stream.return();
  }, [client, document, key]);
}
