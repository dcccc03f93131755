import { useEffect, useState } from 'react';
import type { JobgateClient } from '../../client';
import type { QueueStatsSubscription } from '../../client/gql/graphql';
import { QueueStatsDocument } from './operations';

type Stats = QueueStatsSubscription['queueStats'];
type Counts = Stats['counts'];
const COLUMNS: readonly (keyof Counts)[] = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'paused'];

/** Live counts of one queue; says so plainly when the gateway cannot stream them (an older gateway, or a role that may not see them). */
function QueueRow({ client, queue }: { client: JobgateClient; queue: string }) {
  const [stats, setStats] = useState<Stats>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const updates = client.subscribe(QueueStatsDocument, { queue });
    let stopped = false;
    void (async () => {
      try {
        for await (const { queueStats } of updates) {
          if (stopped) return;
          setStats(queueStats);
          setError(undefined);
        }
      } catch (failure) {
        if (!stopped) setError(failure instanceof Error ? failure.message : String(failure));
      }
    })();
    return () => {
      stopped = true;
      void updates.return();
    };
  }, [client, queue]);

  return (
    <tr data-testid={`queue-${queue}`}>
      <th scope="row">
        {queue}
        {stats?.paused === true && <span className="muted"> (paused)</span>}
      </th>
      {error !== undefined ? (
        <td colSpan={COLUMNS.length} className="muted">
          live counts unavailable: {error}
        </td>
      ) : (
        COLUMNS.map((column) => (
          <td key={column} data-testid={`count-${column}`}>
            {stats?.counts[column] ?? '…'}
          </td>
        ))
      )}
    </tr>
  );
}

/** Every queue's live counts, from `queueStats` subscriptions (one per queue, one shared socket). */
export function QueuePanel({ client, queues }: { client: JobgateClient; queues: readonly string[] }) {
  return (
    <section aria-labelledby="queues-title" className="panel">
      <h2 id="queues-title">Queues</h2>
      <table data-testid="queue-stats">
        <thead>
          <tr>
            <th scope="col">queue</th>
            {COLUMNS.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {queues.map((queue) => (
            <QueueRow key={queue} client={client} queue={queue} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
