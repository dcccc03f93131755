import { formatDuration, RelativeTime, useNow } from '../ui/relative-time';
import type { PageJob } from './use-live-job';

const span = (from: string | null, to: string | null | number): number | undefined =>
  from === null || to === null ? undefined : (typeof to === 'number' ? to : Date.parse(to)) - Date.parse(from);

/**
 * When the job was created, started and finished, with how long it waited (start − creation) and
 * ran (end − start; for a running job, so far), and when it is due to start, runs again or expires.
 */
export function JobTimes({ job }: { job: PageJob }) {
  const now = useNow();
  const running = job.state === 'ACTIVE' && job.finishedAt === null;
  const wait = span(job.createdAt, job.startedAt);
  const run = span(job.startedAt, running ? now : job.finishedAt);
  return (
    <dl className="job-facts" data-testid="job-times">
      <dt>Created</dt>
      <dd>
        <RelativeTime at={job.createdAt} />
      </dd>
      <dt>Started</dt>
      <dd>
        <RelativeTime at={job.startedAt} />
        {wait !== undefined && <span className="muted"> · waited {formatDuration(wait)}</span>}
      </dd>
      <dt>Finished</dt>
      <dd>
        <RelativeTime at={job.finishedAt} />
        {run !== undefined && (
          <span className="muted" data-testid="job-run-duration">
            {' '}
            · {running ? 'running for' : 'ran'} {formatDuration(run)}
          </span>
        )}
      </dd>
      {job.runAt !== null && job.startedAt === null && (
        <>
          <dt>Run at</dt>
          <dd>
            <RelativeTime at={job.runAt} />
          </dd>
        </>
      )}
      {job.nextRetryAt !== null && (
        <>
          <dt>Next retry</dt>
          <dd data-testid="job-next-retry">
            <RelativeTime at={job.nextRetryAt} />
          </dd>
        </>
      )}
      {job.expiresAt !== null && (
        <>
          <dt>Expires</dt>
          <dd>
            <RelativeTime at={job.expiresAt} />
          </dd>
        </>
      )}
    </dl>
  );
}
