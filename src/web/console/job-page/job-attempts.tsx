import { formatDuration, RelativeTime } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';
import type { PageJob } from './use-live-job';

/** Each attempt of the job, oldest first: when it started, how long it ran, how it ended and why it failed. */
export function JobAttempts({ attempts, maxAttempts }: { attempts: PageJob['attempts']; maxAttempts: number }) {
  if (attempts.length === 0) return <p className="muted">No attempt yet.</p>;
  return (
    <ul className="job-attempts" data-testid="job-attempts">
      {attempts.map((attempt, index) => (
        <li key={index} data-testid="job-attempt" data-outcome={attempt.outcome}>
          <span className="job-attempt-number">
            Attempt {attempt.number}/{maxAttempts}
          </span>{' '}
          <StateBadge state={attempt.outcome} /> <RelativeTime at={attempt.startedAt} />
          {attempt.startedAt !== null && attempt.finishedAt !== null && (
            <span className="muted"> · {formatDuration(Date.parse(attempt.finishedAt) - Date.parse(attempt.startedAt))}</span>
          )}
          {attempt.error !== null && <p className="job-attempt-error">{attempt.error}</p>}
        </li>
      ))}
    </ul>
  );
}
