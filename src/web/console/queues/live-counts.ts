import { useEffect, useRef, useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import type { ConsoleQueueCountsFragment } from '@jobgate/client/gql';
import { useSubscription } from '../ui/use-subscription';
import { ConsoleQueueStatsDocument } from './operations';

export type QueueCounts = ConsoleQueueCountsFragment;

/** The counts a queue row shows, in order; `paused` is the jobs a pause holds. */
export const COUNT_COLUMNS: readonly (keyof QueueCounts)[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waitingChildren',
  'completed',
  'failed',
  'cancelled',
  'paused',
];

/** What `queueStats` last pushed for a queue. */
export interface LiveCounts {
  counts: QueueCounts;
  paused: boolean;
}

/**
 * A queue's counts from its `queueStats` subscription (undefined until the first push), and the
 * error that ended the watch. `onPush` runs on every push, e.g. to re-request what the counts do not carry.
 */
export function useLiveCounts(
  client: JobgateClient,
  queue: string,
  onPush?: () => void,
): { live: LiveCounts | undefined; error: string | undefined } {
  const [live, setLive] = useState<LiveCounts>();
  const [error, setError] = useState<string>();
  useSubscription(
    client,
    ConsoleQueueStatsDocument,
    { queue },
    ({ queueStats }) => {
      setLive({ counts: queueStats.counts, paused: queueStats.paused });
      setError(undefined);
      onPush?.();
    },
    setError,
  );
  return { live, error };
}

/**
 * A function that calls `action` at most once per `intervalMs`: a burst of pushes
 * (every 250 ms while jobs run) becomes one re-request, sent at the end of the interval.
 */
export function useThrottled(action: () => void, intervalMs: number): () => void {
  const latest = useRef(action);
  latest.current = action;
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const [throttled] = useState(() => () => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      latest.current();
    }, intervalMs);
  });
  return throttled;
}
