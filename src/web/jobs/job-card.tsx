import { useState } from 'react';
import type { Job, JobgateClient } from '@jobgate/client';
import { downloadOf, FINISHED, percentOf, RETRYABLE } from './job-format';
import { useJob } from '@jobgate/client/react';

/** One job, live: progress bar, state, log lines, result or error, cancel and retry. */
export function JobCard({ client, initial }: { client: JobgateClient; initial: Job }) {
  const view = useJob(initial.id, { client, initial, withLogs: true });
  const { restart } = view;
  const [actionError, setActionError] = useState<string>();
  const job = { ...(view.job ?? initial), logs: view.logs };
  const percent = percentOf(job);
  const download = downloadOf(job.result);
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
      {job.logs.length > 0 && (
        <ol className="logs" aria-label="Log lines" data-testid="job-logs">
          {job.logs.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ol>
      )}
      {job.result !== null && job.result !== undefined && (
        <pre className="result" data-testid="job-result">
          {JSON.stringify(job.result, null, 2)}
        </pre>
      )}
      {download && (
        <a href={download.url} download data-testid="job-download">
          Download {download.name}
        </a>
      )}
      {job.failedReason && (
        <p role="alert" className="error" data-testid="job-error">
          {job.failedReason}
        </p>
      )}
      {(view.error?.message ?? actionError) && (
        <p role="alert" className="error">
          {view.error?.message ?? actionError}
        </p>
      )}
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
