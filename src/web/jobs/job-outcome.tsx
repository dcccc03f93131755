import { downloadOf } from './job-format';

/** What a job left to show, shared by the job card and the flow card's root: log lines, result, file, failure, and the card's own error. */
export function JobOutcome({
  logs,
  result,
  failedReason,
  error,
}: {
  logs: readonly string[];
  result: unknown;
  failedReason: string | null | undefined;
  /** The watch's or an action's error, if any. */
  error: string | null | undefined;
}) {
  const download = downloadOf(result);
  return (
    <>
      {logs.length > 0 && (
        <ol className="logs" aria-label="Log lines" data-testid="job-logs">
          {logs.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ol>
      )}
      {result !== null && result !== undefined && (
        <pre className="result" data-testid="job-result">
          {JSON.stringify(result, null, 2)}
        </pre>
      )}
      {download && (
        <a href={download.url} download data-testid="job-download">
          Download {download.name}
        </a>
      )}
      {failedReason && (
        <p role="alert" className="error" data-testid="job-error">
          {failedReason}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </>
  );
}
