import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import { applyEvents, mergePage, type LoadedJobs, type RowEvent } from './apply-events';
import { recordBatch } from './burst-metrics';
import type { JobFilters } from './filters';
import { RecentJobsDocument } from './operations';

/** Rows per page of `recentJobs`. */
export const PAGE_SIZE = 50;

/** The live jobs list: the loaded rows, and what the page may do with them. */
export interface LiveJobs {
  loaded: LoadedJobs | undefined;
  error: string | undefined;
  loadingMore: boolean;
  /** Queues an event for the next animation frame (one render per frame, however many events arrive). */
  push: (event: RowEvent) => void;
  loadMore: () => void;
  /** Fetches the first page again and merges it in (after a reconnect, when events may have been missed). */
  refresh: () => void;
}

const message = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));

/**
 * The jobs matching `filters`, newest first, kept live by the events given to `push`. Events are
 * collected and applied once per animation frame, so a burst over 1,000 rows costs one render.
 * Events that arrive before the first page are kept and applied to it.
 */
export function useLiveJobs(client: JobgateClient, filters: JobFilters): LiveJobs {
  const [loaded, setLoaded] = useState<LoadedJobs>();
  const [error, setError] = useState<string>();
  const [loadingMore, setLoadingMore] = useState(false);
  const pending = useRef<RowEvent[]>([]);
  const firstPendingAt = useRef(0);
  const frame = useRef<number | undefined>(undefined);
  const isLoaded = useRef(false);
  const applying = useRef<{ events: number; firstEventAt: number; flushedAt: number } | undefined>(undefined);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const key = JSON.stringify(filters);

  const flush = useCallback((): void => {
    frame.current = undefined;
    if (!isLoaded.current || pending.current.length === 0) return;
    const events = pending.current;
    pending.current = [];
    applying.current = { events: events.length, firstEventAt: firstPendingAt.current, flushedAt: performance.now() };
    setLoaded((previous) => previous && applyEvents(previous, events, filtersRef.current));
  }, []);

  const push = useCallback(
    (event: RowEvent): void => {
      if (pending.current.length === 0) firstPendingAt.current = performance.now();
      pending.current.push(event);
      frame.current ??= requestAnimationFrame(flush);
    },
    [flush],
  );

  useLayoutEffect(() => {
    const batch = applying.current;
    if (batch === undefined) return;
    applying.current = undefined;
    const committedAt = performance.now();
    recordBatch({ events: batch.events, firstEventAt: batch.firstEventAt, committedAt, workMs: committedAt - batch.flushedAt });
  }, [loaded]);

  useEffect(() => {
    let current = true;
    const wanted = JSON.parse(key) as JobFilters;
    isLoaded.current = false;
    pending.current = [];
    setLoaded(undefined);
    setError(undefined);
    client.request(RecentJobsDocument, { ...variablesOf(wanted), first: PAGE_SIZE }).then(
      ({ recentJobs }) => {
        if (!current) return;
        isLoaded.current = true;
        setLoaded({
          jobs: recentJobs.edges.map((edge) => edge.node),
          removed: new Set(),
          hasNextPage: recentJobs.pageInfo.hasNextPage,
          endCursor: recentJobs.pageInfo.endCursor ?? null,
        });
        flush();
      },
      (failure: unknown) => {
        if (current) setError(message(failure));
      },
    );
    return () => {
      current = false;
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      frame.current = undefined;
    };
  }, [client, key, flush]);

  const loadMore = useCallback((): void => {
    if (loaded === undefined || !loaded.hasNextPage || loadingMore) return;
    setLoadingMore(true);
    client.request(RecentJobsDocument, { ...variablesOf(filtersRef.current), first: PAGE_SIZE, after: loaded.endCursor }).then(
      ({ recentJobs }) => {
        setLoadingMore(false);
        setLoaded((previous) => {
          if (previous === undefined) return previous;
          const known = new Set(previous.jobs.map((job) => job.id));
          return {
            ...previous,
            jobs: [...previous.jobs, ...recentJobs.edges.map((edge) => edge.node).filter((job) => !known.has(job.id))],
            hasNextPage: recentJobs.pageInfo.hasNextPage,
            endCursor: recentJobs.pageInfo.endCursor ?? null,
          };
        });
      },
      (failure: unknown) => {
        setLoadingMore(false);
        setError(message(failure));
      },
    );
  }, [client, loaded, loadingMore]);

  const refresh = useCallback((): void => {
    if (!isLoaded.current) return;
    client.request(RecentJobsDocument, { ...variablesOf(filtersRef.current), first: PAGE_SIZE }).then(
      ({ recentJobs }) =>
        setLoaded(
          (previous) =>
            previous &&
            mergePage(
              previous,
              recentJobs.edges.map((edge) => edge.node),
              filtersRef.current,
            ),
        ),
      (failure: unknown) => setError(message(failure)),
    );
  }, [client]);

  return { loaded, error, loadingMore, push, loadMore, refresh };
}

/** The `recentJobs` arguments for `filters`. */
function variablesOf(filters: JobFilters): { queue?: string; states?: JobFilters['states'][number][]; type?: string } {
  return {
    ...(filters.queue === undefined ? {} : { queue: filters.queue }),
    ...(filters.states.length === 0 ? {} : { states: [...filters.states] }),
    ...(filters.type === undefined ? {} : { type: filters.type }),
  };
}
