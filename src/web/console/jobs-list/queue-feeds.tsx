import type { JobgateClient } from '@jobgate/client';
import { useSubscription } from '../ui/use-subscription';
import type { RowEvent } from './apply-events';
import { JobsListEventsDocument } from './operations';

/** One `queueEvents` subscription: every event of the queue's jobs goes to `onEvent`. */
function QueueFeed({
  client,
  queue,
  onEvent,
  onError,
}: {
  client: JobgateClient;
  queue: string;
  onEvent: (event: RowEvent) => void;
  onError: (queue: string, message: string) => void;
}) {
  useSubscription(
    client,
    JobsListEventsDocument,
    { queue },
    ({ queueEvents }) => onEvent(queueEvents),
    (message) => onError(queue, message),
  );
  return null;
}

/** One subscription per queue shown, however many rows: rows are updated from the queue's stream, never watched one by one. */
export function QueueFeeds(props: {
  client: JobgateClient;
  queues: readonly string[];
  onEvent: (event: RowEvent) => void;
  onError: (queue: string, message: string) => void;
}) {
  return (
    <>
      {props.queues.map((queue) => (
        <QueueFeed key={queue} client={props.client} queue={queue} onEvent={props.onEvent} onError={props.onError} />
      ))}
    </>
  );
}
