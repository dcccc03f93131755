import { useState } from 'react';
import { JobOutcome } from './job-outcome';
import type { Job, JobgateClient } from '@jobgate/client';
import { FINISHED, percentOf, RETRYABLE } from './job-format';
import { useJob } from '@jobgate/client/react';

/** One job, live: progress bar, state, log lines, result or error, cancel and retry. */
export function JobCard({ client, initial }: { client: JobgateClient; initial: Job }) {
  const view = useJob(initial.id, { client, initial, withLogs: true });
  const { restart } = view;
  const [actionError, setActionError] = useState<string>();
  const job = { ...(view.job ?? initial), logs: view.logs };
  const percent = percentOf(job);
  const titleId = `job-${job.id}-title`;

  const act = async (action: 'cancel' | 'retry'): Promise<void> => {
    setActionError(undefined);
    try {
      if (action === 'cancel') await client.cancel(job.id);
      else {
        await client.retry(job.id);
        restart();
      }
    } catch (failure) {
      setActionError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <article className="job" data-testid="job-card" data-job-id={job.id} data-state={job.state} aria-labelledby={titleId}>
      <header>
        <h3 id={titleId}>
          {job.type} <code>{job.id}</code>
        </h3>
        <span className={`state state-${job.state.toLowerCase()}`} data-testid="job-state">
          {job.state}
        </span>
      </header>
      <div
        className="bar"
        role="progressbar"
        aria-label={`Progress of ${job.type} ${job.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        data-testid="job-progress"
      >
        <div className="bar-fill" style={{ width: `${percent}%` }} />
        <span className="bar-text">{percent}%</span>
      </div>
      <p className="meta">
        {job.progress?.current != null && job.progress.total != null ? `${job.progress.current}/${job.progress.total} · ` : ''}
        attempt {job.attemptsMade}/{job.maxAttempts} · {view.eventCount} events
        {view.watching ? ' · live' : ''}
      </p>
      <JobOutcome logs={job.logs} result={job.result} failedReason={job.failedReason} error={view.error?.message ?? actionError} />
      <div className="actions">
        <button type="button" onClick={() => void act('cancel')} disabled={FINISHED.has(job.state)} data-testid="job-cancel">
          Cancel
        </button>
        <button type="button" onClick={() => void act('retry')} disabled={!RETRYABLE.has(job.state)} data-testid="job-retry">
          Retry
        </button>
      </div>
    </article>
  );
}
