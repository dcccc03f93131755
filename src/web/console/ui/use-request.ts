import { useCallback, useEffect, useState } from 'react';
import type { JobgateClient, TypedDocumentString } from '@jobgate/client';

/** One GraphQL request's state: `data` stays at the last answer while a reload runs. */
export interface RequestState<TResult> {
  data: TResult | undefined;
  error: string | undefined;
  loading: boolean;
  /** Asks again (after an action, or when a live event says the answer changed). */
  reload: () => void;
}

/** Runs `document` with `variables` now and whenever they change; a stale answer never overwrites a newer one. */
export function useRequest<TResult, TVariables>(
  client: JobgateClient,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): RequestState<TResult> {
  const [data, setData] = useState<TResult>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(variables);
  useEffect(() => {
    let current = true;
    setLoading(true);
    client.request(document, JSON.parse(key) as TVariables).then(
      (answer) => {
        if (!current) return;
        setData(answer);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(failure instanceof Error ? failure.message : String(failure));
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [client, document, key, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { data, error, loading, reload };
}
