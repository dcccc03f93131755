import { useEffect, useState } from 'react';
import type { EnqueuedJob, JobgateClient } from '@jobgate/client';
import { EnqueueForm, type JobTypeEntry } from './enqueue-form';
import { FlowCard } from './flow-card';
import { FlowForm } from './flow-form';
import { JobCard } from './job-card';
import { JobTypesDocument } from './operations';
import { QueuePanel } from './queue-panel';

/** The enqueue workbench: enqueue form, flow form, queue counts and a live card per job enqueued from here (a tree for a flow). */
export function EnqueueWorkbench({ client }: { client: JobgateClient }) {
  const [jobTypes, setJobTypes] = useState<JobTypeEntry[]>();
  const [loadError, setLoadError] = useState<string>();
  const [jobs, setJobs] = useState<EnqueuedJob[]>([]);

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
    <main>
      <h1 className="visually-hidden">Enqueue</h1>
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
        <h2 id="jobs-title">Enqueued from here</h2>
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
  );
}
