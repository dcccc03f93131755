import { useEffect, useState } from 'react';
import type { ConnectionState, EnqueuedJob, JobgateClient } from '@jobgate/client';
import { useConnectionState } from '@jobgate/client/react';
import { EnqueueForm, type JobTypeEntry } from './enqueue-form';
import { FlowCard } from './flow-card';
import { FlowForm } from './flow-form';
import { JobCard } from './job-card';
import { JobTypesDocument } from './operations';
import { QueuePanel } from './queue-panel';

const CONNECTION_TEXT: Readonly<Record<ConnectionState, string>> = {
  connecting: 'connecting…',
  connected: 'live',
  reconnecting: 'reconnecting…',
  closed: 'disconnected',
};

/** Bearer token for when the gateway requires one; kept for this tab only, read on each request and reconnect. */
function TokenField({ storageKey }: { storageKey: string }) {
  const [token, setToken] = useState(() => sessionStorage.getItem(storageKey) ?? '');
  const change = (value: string): void => {
    setToken(value);
    if (value === '') sessionStorage.removeItem(storageKey);
    else sessionStorage.setItem(storageKey, value);
  };
  return (
    <details className="token">
      <summary>Access token</summary>
      <form onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="token">Bearer token</label>
        <input id="token" type="password" autoComplete="off" value={token} onChange={(event) => change(event.target.value)} />
      </form>
    </details>
  );
}

/** The live jobs page: enqueue form, queue counts and a card per job enqueued from here (a tree for a flow). */
export function JobsPage({ client, tokenKey }: { client: JobgateClient; tokenKey: string }) {
  const [jobTypes, setJobTypes] = useState<JobTypeEntry[]>();
  const [loadError, setLoadError] = useState<string>();
  const [jobs, setJobs] = useState<EnqueuedJob[]>([]);
  const connection = useConnectionState({ client });

  useEffect(() => {
    let current = true;
    client.request(JobTypesDocument, {}).then(
      ({ jobTypes: types }) => {
        if (current) setJobTypes(types);
      },
      (failure: unknown) => {
        if (current) setLoadError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => {
      current = false;
    };
  }, [client]);

  const queues = [...new Set((jobTypes ?? []).map((type) => type.queue))];
  const show = (job: EnqueuedJob): void => setJobs((previous) => [job, ...previous.filter((other) => other.id !== job.id)]);

  return (
    <>
      <header className="top">
        <h1>Jobgate · live jobs</h1>
        <span role="status" className={`connection connection-${connection}`} data-testid="connection">
          {CONNECTION_TEXT[connection]}
        </span>
        <TokenField storageKey={tokenKey} />
        <a href="/graphiql">GraphiQL</a>
      </header>
      <main>
        {loadError && (
          <p role="alert" className="error">
            Could not load the job types: {loadError}
          </p>
        )}
        {jobTypes === undefined && loadError === undefined && <p className="muted">Loading job types…</p>}
        {jobTypes !== undefined && (
          <div className="columns">
            <EnqueueForm client={client} jobTypes={jobTypes} onEnqueued={show} />
            <QueuePanel client={client} queues={queues} />
          </div>
        )}
        {jobTypes !== undefined && <FlowForm client={client} onEnqueued={show} />}
        <section aria-labelledby="jobs-title">
          <h2 id="jobs-title">Jobs</h2>
          {jobs.length === 0 && <p className="muted">Jobs you enqueue appear here, live.</p>}
          <div className="jobs" data-testid="jobs">
            {/* A job with children (a type that declares some) is a flow's root: drawn as its tree, watched with flowEvents. */}
            {jobs.map((job) =>
              job.flow === null ? (
                <JobCard key={job.id} client={client} initial={job} />
              ) : (
                <FlowCard key={job.id} client={client} initial={job} />
              ),
            )}
          </div>
        </section>
      </main>
    </>
  );
}
