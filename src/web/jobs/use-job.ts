import { useEffect, useRef, useState } from 'react';
import type { Job, JobEvent, JobEventType, JobgateClient } from '../../client';

/** What the page knows of a watched job. */
export interface JobView {
  job: Job & { logs: readonly string[] };
  /** Type of the last event received; undefined until the first one. */
  lastEvent: JobEventType | undefined;
  /** Cursor of the last event: where the stream resumes after a restart or a retry. */
  cursor: string | undefined;
  /** Events received so far, across reconnects. */
  events: number;
  /** True while a subscription is open for the job. */
  watching: boolean;
  /** Why the watch stopped early (the gateway refused it, or reconnecting gave up). */
  error: string | undefined;
}

/**
 * The log as of `event`: a SNAPSHOT brings the whole recent log, a LOG event one more line.
 * Only SNAPSHOTs are trusted for the whole list, so lines are never shown twice or lost
 * whatever the gateway puts in the other events' `job.logs`.
 */
function logsAfter(logs: readonly string[], event: JobEvent): readonly string[] {
  if (event.type === 'SNAPSHOT') return event.job.logs ?? logs;
  return event.type === 'LOG' && event.log !== null ? [...logs, event.log] : logs;
}

/**
 * Watches a job live and keeps its latest view. `restart()` opens a new watch after the
 * last cursor seen, for a job that runs again after `retryJob`.
 */
export function useJob(client: JobgateClient, initial: Job): { view: JobView; restart: () => void } {
  const [view, setView] = useState<JobView>({
    job: { ...initial, logs: [] },
    lastEvent: undefined,
    cursor: undefined,
    events: 0,
    watching: true,
    error: undefined,
  });
  const [generation, setGeneration] = useState(0);
  // Read by the next watch only: not state, because a new cursor must not restart the effect.
  const cursor = useRef<string | undefined>(undefined);

  useEffect(() => {
    const events = client.watch(initial.id, { since: cursor.current, withLogs: true });
    let stopped = false;
    const apply = (event: JobEvent): void => {
      cursor.current = event.cursor;
      setView((previous) => ({
        job: { ...event.job, logs: logsAfter(previous.job.logs, event) },
        lastEvent: event.type,
        cursor: event.cursor,
        events: previous.events + 1,
        watching: true,
        error: undefined,
      }));
    };
    setView((previous) => ({ ...previous, watching: true, error: undefined }));
    void (async () => {
      try {
        for await (const event of events) {
          if (stopped) return;
          apply(event);
        }
        if (!stopped) setView((previous) => ({ ...previous, watching: false }));
      } catch (failure) {
        if (!stopped) {
          const error = failure instanceof Error ? failure.message : String(failure);
          setView((previous) => ({ ...previous, watching: false, error }));
        }
      }
    })();
    return () => {
      stopped = true;
      void events.return();
    };
  }, [client, initial.id, generation]);

  return { view, restart: () => setGeneration((value) => value + 1) };
}
