import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import type { JobPageEventsSubscription, JobPageQuery } from '@jobgate/client/gql';
import { useRequest } from '../ui/use-request';
import { useSubscription } from '../ui/use-subscription';
import { JobPageDocument, JobPageEventsDocument } from './operations';

export type PageJob = NonNullable<JobPageQuery['job']>;
export type LogEntry = PageJob['logEntries'][number];
type LiveEvent = JobPageEventsSubscription['jobEvents'];

/** Events that change only what the page already updates in place; every other one re-reads the job (result, attempts, times). */
const IN_PLACE = new Set(['SNAPSHOT', 'PROGRESS', 'LOG']);

/** What the job's events said since it was last read. */
interface Overlay {
  event?: LiveEvent;
  logs: LogEntry[];
}

/**
 * The lines of `live` (received since the last read, in order) that `read` does not hold: a read
 * ends with the first of them it saw, whatever the order in which the read and the events arrived.
 */
function unread(read: readonly LogEntry[], live: readonly LogEntry[]): LogEntry[] {
  for (let seen = Math.min(read.length, live.length); seen > 0; seen--) {
    const tail = read.slice(read.length - seen);
    if (tail.every((entry, index) => entry.message === live[index].message)) return live.slice(seen);
  }
  return [...live];
}

/** The job as last read, with what its events said since: state, attempt, progress, new log lines. */
export interface LiveJob {
  job: PageJob | null | undefined;
  error: string | undefined;
  loading: boolean;
  /** The watch ended on an error (the job is still shown as last known). */
  watchError: string | undefined;
  /** Reads the job again and, when its watch has ended (a retried job), watches it anew. */
  refresh: () => void;
}

/**
 * One job kept live without polling: read once, then its `jobEvents` update state and progress in
 * place and append log lines; an event that moves the job (ACTIVE, RETRYING, COMPLETED…) re-reads it
 * once, and so does a SNAPSHOT in another state than the read. A read replaces the state and
 * progress the events had set (a read in flight when such an event comes is dropped for the one it
 * starts), and keeps the log lines it missed.
 */
export function useLiveJob(client: JobgateClient, id: string): LiveJob {
  const { data, error, loading, reload } = useRequest(client, JobPageDocument, { id });
  const [overlay, setOverlay] = useState<Overlay>({ logs: [] });
  // A watch completes after a final event: a retried job is watched anew by pausing the watch for one render.
  const [paused, setPaused] = useState(false);
  const [watchError, setWatchError] = useState<string>();
  const readState = useRef<string | undefined>(undefined);
  useEffect(() => {
    readState.current = data?.job?.state;
    // The read is as fresh as the events before it: only log lines it missed stay.
    setOverlay((current) => ({ logs: unread(data?.job?.logEntries ?? [], current.logs) }));
  }, [data]);
  // Another job: nothing its events said holds.
  useEffect(() => setOverlay({ logs: [] }), [id]);
  useEffect(() => {
    if (paused) setPaused(false);
  }, [paused]);

  const onEvent = useCallback(
    ({ jobEvents: event }: JobPageEventsSubscription) => {
      setOverlay((current) => ({
        event,
        logs:
          event.type === 'LOG' && event.log !== null
            ? [...current.logs, { at: event.at, attempt: event.job.attempt, message: event.log }]
            : current.logs,
      }));
      // A SNAPSHOT newer than the read (a job that finished meanwhile sends no event after it) is read again too.
      if (!IN_PLACE.has(event.type) || (event.type === 'SNAPSHOT' && event.job.state !== readState.current)) reload();
    },
    [reload],
  );
  useSubscription(client, JobPageEventsDocument, paused ? undefined : { id }, onEvent, setWatchError);

  const refresh = useCallback(() => {
    setWatchError(undefined);
    setPaused(true);
    reload();
  }, [reload]);

  // While another job's answer is still the last one (after following a retry), there is none yet.
  const base = data?.job?.id === id || data?.job === null ? data.job : undefined;
  const live = overlay.event?.job;
  const job = base && {
    ...base,
    ...(live?.id === base.id && { state: live.state, attempt: live.attempt, progress: live.progress }),
    logEntries: [...base.logEntries, ...overlay.logs],
  };
  return { job, error, loading, watchError, refresh };
}
