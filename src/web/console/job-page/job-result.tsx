import type { PageJob } from './use-live-job';

/** A result's link to what the job produced (e.g. exportReport's `downloadUrl`), when it names one. */
function downloadOf(result: unknown): string | undefined {
  if (result === null || typeof result !== 'object') return undefined;
  const fields = result as Record<string, unknown>;
  const url = fields.downloadUrl ?? fields.url;
  return typeof url === 'string' && /^(\/|https?:\/\/)/.test(url) ? url : undefined;
}

/** The result of a completed job, or the error and stack traces of a failed one. */
export function JobResult({ job }: { job: PageJob }) {
  if (job.state === 'COMPLETED') {
    const download = downloadOf(job.result);
    return (
      <>
        <pre className="job-json" data-testid="job-result">
          {JSON.stringify(job.result, null, 2)}
        </pre>
        {download !== undefined && (
          <a href={download} download>
            Download
          </a>
        )}
      </>
    );
  }
  if (job.failedReason === null) return <p className="muted">No result yet.</p>;
  return (
    <>
      <p className="job-error" data-testid="job-error">
        {job.failedReason}
      </p>
      {(job.stacktrace ?? []).map((stack, index, all) => (
        <details key={index} open={index === all.length - 1}>
          <summary>Stack trace {all.length > 1 ? `${index + 1} of ${all.length}` : ''}</summary>
          <pre className="job-stack" data-testid="job-stack">
            {stack}
          </pre>
        </details>
      ))}
    </>
  );
}
