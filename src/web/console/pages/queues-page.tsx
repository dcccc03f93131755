import type { JobgateClient } from '@jobgate/client';
import type { ConsoleQueuesQuery } from '@jobgate/client/gql';
import { readsAll, type PageProps } from '../page-props';
import { COUNT_COLUMNS, useLiveCounts, useThrottled } from '../queues/live-counts';
import { Failure, NeedsReader } from '../queues/needs-reader';
import { ConsoleQueuesDocument } from '../queues/operations';
import { Sparkline } from '../queues/throughput-chart';
import { Link } from '../router';
import { useRequest } from '../ui/use-request';
import '../queues/queues.css';

type QueueSummary = ConsoleQueuesQuery['queues'][number];

/** Throughput and worker counts are not in `queueStats`: re-request them at most this often while counts move. */
const REFRESH_MS = 5000;

const LABELS: Record<(typeof COUNT_COLUMNS)[number], string> = {
  waiting: 'waiting',
  active: 'active',
  delayed: 'delayed',
  prioritized: 'prioritized',
  waitingChildren: 'waiting children',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  paused: 'held',
};

function QueueRow({ client, queue, onChange }: { client: JobgateClient; queue: QueueSummary; onChange: () => void }) {
  const { live } = useLiveCounts(client, queue.name, onChange);
  const counts = live?.counts ?? queue.counts;
  const paused = live?.paused ?? queue.paused;
  return (
    <tr data-testid={`queue-row-${queue.name}`} data-paused={paused}>
      <th scope="row">
        <Link to={`/queues/${encodeURIComponent(queue.name)}`}>{queue.name}</Link>
      </th>
      <td>{paused ? <span className="state state-paused">paused</span> : <span className="muted">running</span>}</td>
      {COUNT_COLUMNS.map((column) => (
        <td key={column} className={`num count-${column}`} data-testid={`count-${column}`}>
          {counts[column]}
        </td>
      ))}
      <td className="num">{queue.workerCount}</td>
      <td className="col-throughput">
        <Sparkline throughput={{ completed: queue.completed.perMinute, failed: queue.failed.perMinute }} />
      </td>
    </tr>
  );
}

/** `/queues`: every queue with live counts (one `queueStats` subscription each), workers and the last hour's throughput. */
export function QueuesPage({ client, caller }: PageProps) {
  if (!readsAll(caller)) return <NeedsReader what="The queues page" />;
  return <QueuesTable client={client} />;
}

function QueuesTable({ client }: { client: JobgateClient }) {
  const { data, error, reload } = useRequest(client, ConsoleQueuesDocument, {});
  const refresh = useThrottled(reload, REFRESH_MS);
  return (
    <section className="console-section" aria-labelledby="queues-title">
      <h1 id="queues-title">Queues</h1>
      {error !== undefined && <Failure message={error} />}
      {data === undefined ? (
        error === undefined && <p className="muted">Loading…</p>
      ) : data.queues.length === 0 ? (
        <p className="muted">No queues.</p>
      ) : (
        <div className="table-scroll">
          <table className="dense queues-table" data-testid="queues-table">
            <thead>
              <tr>
                <th scope="col">queue</th>
                <th scope="col">status</th>
                {COUNT_COLUMNS.map((column) => (
                  <th scope="col" key={column} className={`num count-${column}`}>
                    {LABELS[column]}
                  </th>
                ))}
                <th scope="col" className="num">
                  workers
                </th>
                <th scope="col" className="col-throughput">
                  last hour
                </th>
              </tr>
            </thead>
            <tbody>
              {data.queues.map((queue) => (
                <QueueRow key={queue.name} client={client} queue={queue} onChange={refresh} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
