import { Link } from '../router';
import { formatDuration, RelativeTime, useNow } from '../ui/relative-time';
import type { WorkerRow as Row } from './use-worker-list';

const MIB = 1024 * 1024;

/** ONLINE, LOST (red: it stopped heartbeating without saying goodbye) or STOPPED (cleanly). */
function Status({ row }: { row: Row }) {
  if (row.stopped) return <span className="state state-stopped">stopped</span>;
  return row.status === 'LOST' ? <span className="state state-lost">LOST</span> : <span className="state state-online">online</span>;
}

/** One worker process; its uptime ticks while it is online and stops at its last heartbeat otherwise. */
export function WorkerRow({ row }: { row: Row }) {
  const now = useNow();
  const alive = row.status === 'ONLINE' && !row.stopped;
  const until = alive ? Math.max(now, Date.parse(row.lastHeartbeatAt)) : Date.parse(row.lastHeartbeatAt);
  return (
    <tr
      data-testid="worker-row"
      data-worker-id={row.id}
      data-pid={row.pid}
      data-status={row.stopped ? 'STOPPED' : row.status}
      className={alive ? undefined : 'worker-gone'}
    >
      <th scope="row">
        <span className="worker-id">{row.id}</span>
      </th>
      <td>
        <Status row={row} />
      </td>
      <td className="num col-pid">{row.pid}</td>
      <td className="col-queues">
        {row.queues.map((queue, index) => (
          <span key={queue}>
            {index > 0 && ', '}
            <Link to={`/queues/${encodeURIComponent(queue)}`}>{queue}</Link>
          </span>
        ))}
      </td>
      <td className="num col-concurrency">{row.concurrency}</td>
      <td className="col-uptime">{formatDuration(until - Date.parse(row.startedAt))}</td>
      <td className="col-active">
        {row.activeJobs.length === 0 ? (
          <span className="muted">idle</span>
        ) : (
          row.activeJobs.map((job, index) => (
            <span key={job.id}>
              {index > 0 && ', '}
              <Link to={`/jobs/${encodeURIComponent(job.id)}`} title={`a job of ${job.queue}`}>
                {job.id}
              </Link>
            </span>
          ))
        )}
      </td>
      <td className="num">{row.processed}</td>
      <td className="num">{row.failed}</td>
      <td className="num col-cpu">{row.cpuPercent.toFixed(1)}</td>
      <td className="num col-memory">{(row.rssBytes / MIB).toFixed(0)}</td>
      <td>
        <RelativeTime at={row.lastHeartbeatAt} />
      </td>
    </tr>
  );
}
