import { memo } from 'react';
import { ConfirmButton } from '../ui/confirm-button';
import { ProgressBar } from '../ui/progress-bar';
import { formatDuration, RelativeTime, useNow } from '../ui/relative-time';
import { StateBadge } from '../ui/state-badge';
import { Link } from '../router';
import type { JobRow as Job } from './apply-events';
import { actionsFor, type RowAction } from './row-actions';

const ACTION_LABEL: Readonly<Record<RowAction, string>> = { cancel: 'Cancel', retry: 'Retry', promote: 'Promote', remove: 'Remove' };

/** How long a running job has run so far: ticks with the page's one clock. */
function RunningFor({ since }: { since: string }) {
  const now = useNow();
  return <>{formatDuration(now - Date.parse(since))}</>;
}

/** finishedAt − startedAt, or the running time of a job still running. */
function Duration({ job }: { job: Job }) {
  if (job.startedAt === null) return <span className="muted">—</span>;
  if (job.finishedAt !== null) return <>{formatDuration(Date.parse(job.finishedAt) - Date.parse(job.startedAt))}</>;
  return job.state === 'ACTIVE' ? <RunningFor since={job.startedAt} /> : <span className="muted">—</span>;
}

export interface JobRowProps {
  job: Job;
  removed: boolean;
  selected: boolean;
  /** Whether the list offers selection and actions at all (not for a read-only viewer). */
  controls: boolean;
  error: string | undefined;
  onSelect: (id: string, selected: boolean) => void;
  onAction: (id: string, action: RowAction) => void;
}

/** One dense row; memoised, so an event re-renders only the row of its job. */
export const JobRow = memo(function JobRow({ job, removed, selected, controls, error, onSelect, onAction }: JobRowProps) {
  const actionable = controls && job.canControl && !removed;
  const percent = job.state === 'COMPLETED' ? 100 : (job.progress?.percent ?? 0);
  return (
    <tr role="row" data-job-id={job.id} data-state={removed ? 'REMOVED' : job.state} className={removed ? 'jobs-row-removed' : undefined}>
      {controls && (
        <td role="cell">
          {actionable && (
            <input
              type="checkbox"
              aria-label={`Select job ${job.id}`}
              checked={selected}
              onChange={(event) => onSelect(job.id, event.target.checked)}
            />
          )}
        </td>
      )}
      <td role="cell" className="jobs-id">
        <Link to={`/jobs/${encodeURIComponent(job.id)}`} className="jobs-row-link">
          {job.id}
        </Link>
      </td>
      <td role="cell" data-testid="row-type">
        {job.type}
      </td>
      <td role="cell" className="jobs-col-queue" data-testid="row-queue">
        {job.queue}
      </td>
      <td role="cell">
        <StateBadge state={removed ? 'REMOVED' : job.state} />
      </td>
      <td role="cell" className="jobs-col-progress">
        <ProgressBar percent={percent} label={`Progress of job ${job.id}`} />
      </td>
      <td role="cell" className="jobs-col-age">
        <RelativeTime at={job.createdAt} />
      </td>
      <td role="cell" className="num jobs-col-duration">
        <Duration job={job} />
      </td>
      <td role="cell" className="num jobs-col-attempts">
        {job.attempt}/{job.maxAttempts}
      </td>
      {controls && (
        <td role="cell" className="jobs-actions">
          {actionable &&
            actionsFor(job).map((action) =>
              action === 'remove' ? (
                <ConfirmButton key={action} question="Remove?" onConfirm={() => onAction(job.id, action)}>
                  {ACTION_LABEL[action]}
                </ConfirmButton>
              ) : (
                <button key={action} type="button" className="secondary" data-action={action} onClick={() => onAction(job.id, action)}>
                  {ACTION_LABEL[action]}
                </button>
              ),
            )}
          {error !== undefined && (
            <span role="alert" className="error">
              {error}
            </span>
          )}
        </td>
      )}
    </tr>
  );
});
