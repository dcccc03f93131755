import { useCallback, useEffect, useRef, useState } from 'react';
import { useConnectionState } from '@jobgate/client/react';
import { FilterBar } from '../jobs-list/filter-bar';
import { filtersFromSearch } from '../jobs-list/filters';
import { JobsTable } from '../jobs-list/jobs-table';
import { OpenJobForm } from '../jobs-list/open-job-form';
import { QueueFeeds } from '../jobs-list/queue-feeds';
import { useFilterOptions } from '../jobs-list/use-filter-options';
import { useLiveJobs } from '../jobs-list/use-live-jobs';
import '../jobs-list/jobs-list.css';
import { readsAll, type PageProps } from '../page-props';
import { useLocation } from '../router';

/**
 * Every job the caller may see, newest first, filtered by the URL's query, paged by the server
 * and kept live by one `queueEvents` subscription per queue shown.
 */
export function JobsPage({ client, caller }: PageProps) {
  const { search } = useLocation();
  const filters = filtersFromSearch(search);
  const options = useFilterOptions(client, readsAll(caller));
  const live = useLiveJobs(client, filters);
  const [feedErrors, setFeedErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const onFeedError = useCallback(
    (queue: string, message: string) => setFeedErrors((previous) => new Map(previous).set(queue, message)),
    [],
  );
  // Controls for whoever may act on some job: an admin on every job, a submitter on their own.
  const controls = caller.roles.includes('ADMIN') || caller.roles.includes('SUBMITTER');
  const watched = filters.queue !== undefined ? [filters.queue] : options.ready ? options.queues : [];

  // Events sent while the socket was down are not replayed to a new subscription: after a
  // reconnect, one re-request of the first page brings the rows up to date.
  const connection = useConnectionState({ client });
  const wasDown = useRef(false);
  const { refresh } = live;
  useEffect(() => {
    if (connection === 'reconnecting' || connection === 'closed') wasDown.current = true;
    else if (connection === 'connected' && wasDown.current) {
      wasDown.current = false;
      refresh();
    }
  }, [connection, refresh]);

  return (
    <main className="jobs-list-page">
      <div className="jobs-list-head">
        <h1>Jobs</h1>
        <OpenJobForm />
      </div>
      <FilterBar filters={filters} options={options} />
      <QueueFeeds client={client} queues={watched} onEvent={live.push} onError={onFeedError} />
      {options.error !== undefined && (
        <p role="alert" className="error">
          Could not load the job types: {options.error}
        </p>
      )}
      {[...feedErrors].map(([queue, message]) => (
        <p key={queue} role="alert" className="error">
          Live updates of queue {queue} stopped: {message}
        </p>
      ))}
      {live.error !== undefined && (
        <p role="alert" className="error">
          Could not load the jobs: {live.error}
        </p>
      )}
      {live.loaded === undefined && live.error === undefined && <p className="muted">Loading jobs…</p>}
      {live.loaded !== undefined && live.loaded.jobs.length === 0 && (
        <p className="muted" data-testid="jobs-empty">
          {filters.queue !== undefined || filters.type !== undefined || filters.states.length > 0
            ? 'No job matches these filters yet; new ones appear here as they are enqueued.'
            : 'No jobs yet; new ones appear here as they are enqueued.'}
        </p>
      )}
      {live.loaded !== undefined && live.loaded.jobs.length > 0 && (
        <JobsTable client={client} loaded={live.loaded} controls={controls} apply={live.push} />
      )}
      {live.loaded?.hasNextPage === true && (
        <p>
          <button type="button" className="secondary" disabled={live.loadingMore} onClick={live.loadMore} data-testid="jobs-load-more">
            {live.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </main>
  );
}
