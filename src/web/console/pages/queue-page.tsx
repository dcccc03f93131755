import type { JobgateClient } from '@jobgate/client';
import { isAdmin, readsAll, type PageProps } from '../page-props';
import { COUNT_COLUMNS, useLiveCounts, useThrottled } from '../queues/live-counts';
import { Failure, NeedsReader } from '../queues/needs-reader';
import { ConsoleQueueDocument } from '../queues/operations';
import { QueueActions } from '../queues/queue-actions';
import { QueueLimits } from '../queues/queue-limits';
import { ThroughputChart } from '../queues/throughput-chart';
import { Link } from '../router';
import { formatDuration, RelativeTime } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';
import { useRequest } from '../ui/use-request';
import '../queues/queues.css';

/** Throughput, workers and active jobs are not in `queueStats`: re-request them at most this often while counts move. */
const REFRESH_MS = 3000;

/** `/queues/<name>`: one queue's live counts, last hour, limits, workers, running jobs and (admin) actions. */
export function QueuePage({ client, caller, name }: PageProps & { name: string }) {
  if (!readsAll(caller)) return <NeedsReader what="The queue page" />;
  return <QueueDetail client={client} name={name} admin={isAdmin(caller)} />;
}

function QueueDetail({ client, name, admin }: { client: JobgateClient; name: string; admin: boolean }) {
  const { data, error, reload } = useRequest(client, ConsoleQueueDocument, { name });
  const refresh = useThrottled(reload, REFRESH_MS);
  const { live } = useLiveCounts(client, name, refresh);
  const queue = data?.queue;
  const counts = live?.counts ?? queue?.counts;
  const paused = live?.paused ?? queue?.paused ?? false;

  return (
    <section
      className="console-section"
      aria-labelledby="queue-title"
      data-testid="queue-page"
      data-paused={queue === undefined ? undefined : paused}
    >
      <p>
        <Link to="/queues">← Queues</Link>
      </p>
      <h1 id="queue-title">
        {name} {paused && <span className="state state-paused">paused</span>}
      </h1>
      {error !== undefined && <Failure message={error} />}
      {counts !== undefined && (
        <dl className="count-grid" aria-label="Jobs by state, live">
          {COUNT_COLUMNS.map((column) => (
            <div key={column} data-testid={`count-${column}`}>
              <dt>{column === 'paused' ? 'held by pause' : column === 'waitingChildren' ? 'waiting children' : column}</dt>
              <dd className="num">{counts[column]}</dd>
            </div>
          ))}
        </dl>
      )}
      {queue !== undefined && (
        <div className="queue-panels">
          <section className="panel" aria-labelledby="throughput-title">
            <h2 id="throughput-title">
              Last hour{' '}
              <span className="muted">
                ({queue.completed.total} completed, {queue.failed.total} failed in all)
              </span>
            </h2>
            <ThroughputChart throughput={{ completed: queue.completed.perMinute, failed: queue.failed.perMinute }} />
          </section>
          <QueueLimits client={client} queue={name} limits={queue} admin={admin} onDone={reload} />
          <section className="panel" aria-labelledby="queue-workers-title">
            <h2 id="queue-workers-title">
              Workers ({queue.workerCount}) <Link to="/workers">all worker processes</Link>
            </h2>
            {data?.workers.length === 0 ? (
              <p className="muted">No worker serves this queue now.</p>
            ) : (
              <div className="table-scroll">
                <table className="dense" data-testid="queue-workers">
                  <thead>
                    <tr>
                      <th scope="col">worker</th>
                      <th scope="col">connected</th>
                      <th scope="col">idle</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data?.workers.map((worker) => (
                      <tr key={worker.address}>
                        <td>{worker.name ?? worker.address}</td>
                        <td>{formatDuration(worker.ageSeconds * 1000)}</td>
                        <td>{formatDuration(worker.idleSeconds * 1000)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="panel" aria-labelledby="active-jobs-title">
            <h2 id="active-jobs-title">Running now</h2>
            {queue.activeJobs.length === 0 ? (
              <p className="muted">No job runs now.</p>
            ) : (
              <ul className="job-links" data-testid="active-jobs">
                {queue.activeJobs.map((job) => (
                  <li key={job.id}>
                    <Link to={`/jobs/${encodeURIComponent(job.id)}`}>{job.type}</Link> <StateBadge state={job.state} />{' '}
                    <span className="muted">
                      {job.worker ?? ''} started <RelativeTime at={job.startedAt} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
          {admin && <QueueActions client={client} queue={name} paused={paused} onDone={reload} />}
        </div>
      )}
    </section>
  );
}
