import { useCallback, useEffect, useState } from 'react';
import { JobgateClientError, type JobgateClient } from '@jobgate/client';
import type { ConsoleCaller } from '../page-props';
import { MeDocument } from './operations';

/** Who the caller is, or why the gateway would not say (`code` UNAUTHENTICATED: a token is needed or was refused). */
export interface CallerState {
  caller: ConsoleCaller | undefined;
  error: { code: string; message: string } | undefined;
  reload: () => void;
}

/** Asks `me` once, and again on `reload`. */
export function useCaller(client: JobgateClient): CallerState {
  const [caller, setCaller] = useState<ConsoleCaller>();
  const [error, setError] = useState<CallerState['error']>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    client.request(MeDocument, {}).then(
      ({ me }) => {
        if (!current) return;
        setCaller(me);
        setError(undefined);
      },
      (failure: unknown) => {
        if (!current) return;
        setCaller(undefined);
        setError({
          code: failure instanceof JobgateClientError ? failure.code : 'NETWORK_ERROR',
          message: failure instanceof Error ? failure.message : String(failure),
        });
      },
    );
    return () => {
      current = false;
    };
  }, [client, generation]);
  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { caller, error, reload };
}
