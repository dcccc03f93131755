import { useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import { ConfirmButton } from '../ui/confirm-button';
import { navigate } from '../router';
import { JobPageCancelDocument, JobPagePromoteDocument, JobPageRemoveDocument, JobPageRetryDocument } from './operations';
import type { PageJob } from './use-live-job';

const FINAL = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);
const RETRYABLE = new Set(['FAILED', 'CANCELLED']);

/** The page of job `id`. */
export const jobPath = (id: string): string => `/jobs/${encodeURIComponent(id)}`;

/**
 * Cancel, retry, promote and remove, for a caller who may control the job. Retry follows the job
 * `retryJob` returns: a job cancelled before it ran is run as a new job, with an id of its own.
 */
export function JobActions({ client, job, onChanged }: { client: JobgateClient; job: PageJob; onChanged: () => void }) {
  const [error, setError] = useState<string>();
  const run = async (action: () => Promise<void>): Promise<void> => {
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const retry = (): Promise<void> =>
    run(async () => {
      const { retryJob } = await client.request(JobPageRetryDocument, { id: job.id });
      if (retryJob.id === job.id) onChanged();
      else navigate(jobPath(retryJob.id));
    });
  return (
    <div className="job-actions" role="group" aria-label="Job actions">
      {!FINAL.has(job.state) && (
        <ConfirmButton
          question="Cancel this job?"
          onConfirm={() => run(async () => void (await client.request(JobPageCancelDocument, { id: job.id })))}
        >
          Cancel
        </ConfirmButton>
      )}
      {RETRYABLE.has(job.state) && (
        <button type="button" data-testid="job-retry" onClick={() => void retry()}>
          Retry
        </button>
      )}
      {job.state === 'DELAYED' && (
        <button
          type="button"
          className="secondary"
          onClick={() => void run(async () => void (await client.request(JobPagePromoteDocument, { id: job.id })))}
        >
          Run now
        </button>
      )}
      {job.state !== 'ACTIVE' && (
        <ConfirmButton
          question="Remove this job?"
          onConfirm={() =>
            run(async () => {
              await client.request(JobPageRemoveDocument, { id: job.id });
              navigate('/');
            })
          }
        >
          Remove
        </ConfirmButton>
      )}
      {error !== undefined && (
        <p className="job-action-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
