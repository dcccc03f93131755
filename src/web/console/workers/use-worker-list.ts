import { useCallback, useEffect, useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import type { ConsoleWorkerEventsSubscription, ConsoleWorkerProcessFragment } from '@jobgate/client/gql';
import { useSubscription } from '../ui/use-subscription';
import { ConsoleWorkerEventsDocument, ConsoleWorkerProcessesDocument } from './operations';

export type WorkerProcess = ConsoleWorkerProcessFragment;
type WorkerEvent = ConsoleWorkerEventsSubscription['workerEvents'];

/** A row of the workers page: a worker process, or one that stopped cleanly while the page was open. */
export interface WorkerRow extends WorkerProcess {
  stopped: boolean;
}

/** Applies one event: ONLINE and HEARTBEAT add or refresh the worker, LOST marks it, OFFLINE marks it stopped. */
function apply(rows: readonly WorkerRow[], { kind, worker }: WorkerEvent): WorkerRow[] {
  const others = rows.filter((row) => row.id !== worker.id);
  const row: WorkerRow =
    kind === 'ONLINE' || kind === 'HEARTBEAT'
      ? { ...worker, stopped: false }
      : kind === 'LOST'
        ? { ...worker, status: 'LOST', stopped: false }
        : { ...worker, stopped: true };
  return [...others, row].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The worker processes, from `workerProcesses` and then live from `workerEvents`: each
 * heartbeat refreshes its worker's row; after ONLINE, OFFLINE or LOST the list is asked for
 * again (a one-shot request, not polling).
 */
export function useWorkerList(client: JobgateClient): { rows: WorkerRow[] | undefined; error: string | undefined } {
  const [rows, setRows] = useState<WorkerRow[]>();
  const [error, setError] = useState<string>();
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    client.request(ConsoleWorkerProcessesDocument, {}).then(
      ({ workerProcesses }) => {
        if (!current) return;
        // Workers this page saw stop cleanly stay listed as stopped; the gateway forgets them.
        setRows((previous) => {
          const listed = new Set(workerProcesses.map((worker) => worker.id));
          const stopped = (previous ?? []).filter((row) => row.stopped && !listed.has(row.id));
          return [...workerProcesses.map((worker) => ({ ...worker, stopped: false })), ...stopped].sort((a, b) => a.id.localeCompare(b.id));
        });
        setError(undefined);
      },
      (failure: unknown) => current && setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => {
      current = false;
    };
  }, [client, generation]);

  const onEvent = useCallback(({ workerEvents }: ConsoleWorkerEventsSubscription) => {
    setRows((previous) => apply(previous ?? [], workerEvents));
    // A heartbeat carries the worker's figures; other events may mean others changed too.
    if (workerEvents.kind !== 'HEARTBEAT') setGeneration((value) => value + 1);
  }, []);
  useSubscription(client, ConsoleWorkerEventsDocument, {}, onEvent, setError);
  return { rows, error };
}
