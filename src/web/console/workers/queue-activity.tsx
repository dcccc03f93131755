import type { JobgateClient } from '@jobgate/client';
import { ConsoleQueueStatsDocument } from '../queues/operations';
import { useSubscription } from '../ui/use-subscription';

/**
 * Calls `onActivity` whenever `queue`'s counts move: jobs started or finished, so the workers'
 * processed counts and running jobs changed. Heartbeats themselves are not pushed to pages.
 */
export function QueueActivity({ client, queue, onActivity }: { client: JobgateClient; queue: string; onActivity: () => void }) {
  useSubscription(client, ConsoleQueueStatsDocument, { queue }, onActivity);
  return null;
}
