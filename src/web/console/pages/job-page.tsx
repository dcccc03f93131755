import '../job-page/job-page.css';
import type { PageProps } from '../page-props';
import { Link } from '../router';
import { ProgressBar } from '../ui/progress-bar';
import { StateBadge } from '../ui/state-badge';
import { CopyAs } from '../job-page/copy-as';
import { JobActions, jobPath } from '../job-page/job-actions';
import { JobAttempts } from '../job-page/job-attempts';
import { JobLogs } from '../job-page/job-logs';
import { JobResult } from '../job-page/job-result';
import { JobTimes } from '../job-page/job-times';
import { useLiveJob, type PageJob } from '../job-page/use-live-job';

const pretty = (value: unknown): string => JSON.stringify(value, null, 2);

/** The job's place in a flow: its parent and its children, each a link to its page. */
function FlowLinks({ job }: { job: PageJob }) {
  const children = job.children.edges.map((edge) => edge.node);
  if (job.parent === null && children.length === 0) return null;
  return (
    <section aria-labelledby="job-flow">
      <h2 id="job-flow">Flow</h2>
      {job.parent !== null && (
        <p>
          Parent: <Link to={jobPath(job.parent.id)}>{job.parent.type}</Link> <StateBadge state={job.parent.state} />
        </p>
      )}
      {children.length > 0 && (
        <ul className="job-children">
          {children.map((child) => (
            <li key={child.id}>
              <Link to={jobPath(child.id)}>{child.type}</Link> <code>{child.id}</code> <StateBadge state={child.state} />
            </li>
          ))}
          {job.children.totalCount > children.length && <li className="muted">and {job.children.totalCount - children.length} more</li>}
        </ul>
      )}
    </section>
  );
}

/**
 * One job, at a link anyone can share (`/jobs/<url-encoded id>`): what it was given, who asked,
 * when it waited and ran, each attempt, its log lines by attempt, its result or error, live.
 */
export function JobPage({ client, id }: PageProps & { id: string }) {
  const { job, error, loading, watchError, refresh } = useLiveJob(client, id);
  if (job === undefined) {
    return (
      <main className="job-page">{error !== undefined ? <p className="banner banner-bad">{error}</p> : loading && <p>Loading…</p>}</main>
    );
  }
  if (job === null) {
    return (
      <main className="job-page" data-testid="job-page">
        <p className="banner" data-testid="job-missing">
          No job <code>{id}</code> (or not yours).
        </p>
        <Link to="/">All jobs</Link>
      </main>
    );
  }
  const percent = job.progress?.percent ?? (job.state === 'COMPLETED' ? 100 : 0);
  const options = (job.options ?? {}) as Record<string, unknown>;
  return (
    <main className="job-page" data-testid="job-page" data-job-id={job.id} data-state={job.state}>
      <header className="job-head">
        <h1>
          {job.type} <code className="job-id">{job.id}</code>
        </h1>
        <p className="job-head-line">
          <span data-testid="job-state">
            <StateBadge state={job.state} />
          </span>{' '}
          in <Link to={`/queues/${encodeURIComponent(job.queue)}`}>{job.queue}</Link> · attempt {job.attempt}/{job.maxAttempts}
        </p>
        <div className="job-progress">
          <ProgressBar percent={percent} label={`Progress of ${job.type} ${job.id}`} />
          <span className="num">{Math.round(percent)}%</span>
          {job.progress?.message != null && <span data-testid="job-progress-message">{job.progress.message}</span>}
        </div>
        {job.canControl && <JobActions client={client} job={job} onChanged={refresh} />}
        <CopyAs recipe={{ type: job.type, data: job.data, options }} />
        {watchError !== undefined && <p className="banner banner-bad">Live updates stopped: {watchError}</p>}
      </header>

      <div className="job-columns">
        <section aria-labelledby="job-about">
          <h2 id="job-about">About</h2>
          <dl className="job-facts">
            <dt>Owner</dt>
            <dd data-testid="job-owner">{job.owner ?? '—'}</dd>
            <dt>Worker</dt>
            <dd>{job.worker === null ? '—' : <Link to="/workers">{job.worker}</Link>}</dd>
          </dl>
          <JobTimes job={job} />
        </section>
        <section aria-labelledby="job-attempts">
          <h2 id="job-attempts">Attempts</h2>
          <JobAttempts attempts={job.attempts} maxAttempts={job.maxAttempts} />
        </section>
      </div>

      <section aria-labelledby="job-outcome">
        <h2 id="job-outcome">{job.state === 'COMPLETED' ? 'Result' : 'Result or error'}</h2>
        <JobResult job={job} />
      </section>

      <section aria-labelledby="job-log">
        <h2 id="job-log">Log</h2>
        <JobLogs entries={job.logEntries} />
      </section>

      <div className="job-columns">
        <section aria-labelledby="job-data">
          <h2 id="job-data">Input data</h2>
          <pre className="job-json" data-testid="job-data">
            {pretty(job.data)}
          </pre>
        </section>
        <section aria-labelledby="job-options">
          <h2 id="job-options">Options</h2>
          <pre className="job-json" data-testid="job-options">
            {pretty(options)}
          </pre>
        </section>
      </div>

      <FlowLinks job={job} />
    </main>
  );
}
