import type { JobgateClient } from '@jobgate/client';
import { useQueueStats, type QueueStats } from '@jobgate/client/react';

type Counts = QueueStats['counts'];
const COLUMNS: readonly (keyof Counts)[] = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed', 'paused'];

/** Live counts of one queue; says so plainly when the gateway cannot stream them (an older gateway, or a role that may not see them). */
function QueueRow({ client, queue }: { client: JobgateClient; queue: string }) {
  const { stats, error: failure } = useQueueStats(queue, { client });
  const error = failure?.message;

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
