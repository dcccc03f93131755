import type { JobgateClient } from '@jobgate/client';
import { Link } from '../router';
import { StateBadge } from '../ui/state-badge';
import { useRequest } from '../ui/use-request';
import { ConsoleScheduleLastJobDocument } from './operations';

/** The last job a schedule started, linked, with its state (a small request of its own). */
export function LastRun({ client, jobId }: { client: JobgateClient; jobId: string }) {
  const { data, error } = useRequest(client, ConsoleScheduleLastJobDocument, { id: jobId });
  return (
    <span className="last-run">
      <Link to={`/jobs/${encodeURIComponent(jobId)}`} title={jobId} className="last-run-id">
        {jobId}
      </Link>{' '}
      {data?.job ? (
        <StateBadge state={data.job.state} />
      ) : (
        (data !== undefined || error !== undefined) && <span className="muted">removed</span>
      )}
    </span>
  );
}
