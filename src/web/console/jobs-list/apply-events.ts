import type { JobRowFieldsFragment } from '@jobgate/client/gql';
import { matchesFilters, type JobFilters } from './filters';

/** A job as a row shows it. */
export type JobRow = JobRowFieldsFragment;

/** A `queueEvents` event as the list selects it. */
export interface RowEvent {
  type: string;
  at: string;
  job: JobRow;
}

/** The jobs loaded so far, newest first, and where the next page starts. */
export interface LoadedJobs {
  jobs: readonly JobRow[];
  /** Ids whose job was deleted since it was listed: the row stays, greyed, so the list does not jump. */
  removed: ReadonlySet<string>;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** Newest first by creation, then by id, like `recentJobs`. */
const newestFirst = (a: JobRow, b: JobRow): number => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1);

/** Whether `job` falls inside the loaded window: older jobs belong to pages not loaded yet. */
function inWindow(loaded: LoadedJobs, job: JobRow): boolean {
  const oldest = loaded.jobs.at(-1);
  return !loaded.hasNextPage || oldest === undefined || Date.parse(job.createdAt) >= Date.parse(oldest.createdAt);
}

/**
 * Whether an event is older than what the row shows: a finished job is not set back to running
 * by an event from before it finished (events received while the first page was loading).
 */
function isStale(shown: JobRow, event: RowEvent): boolean {
  return shown.finishedAt !== null && event.job.finishedAt === null && Date.parse(event.at) < Date.parse(shown.finishedAt);
}

/**
 * The list after `events`, in one pass: a listed job's row is replaced (rows keep their place);
 * a job not listed that matches the filters and falls inside the loaded window is inserted in
 * order. Unchanged rows keep their object, so memoised rows skip rendering.
 */
export function applyEvents(loaded: LoadedJobs, events: readonly RowEvent[], filters: JobFilters): LoadedJobs {
  if (events.length === 0) return loaded;
  const positions = new Map(loaded.jobs.map((job, index) => [job.id, index]));
  const jobs = [...loaded.jobs];
  const inserted = new Map<string, JobRow>();
  let removed = loaded.removed;
  const setRemoved = (id: string, isRemoved: boolean): void => {
    if (removed.has(id) === isRemoved) return;
    const next = new Set(removed);
    if (isRemoved) next.add(id);
    else next.delete(id);
    removed = next;
  };
  for (const event of events) {
    const { id } = event.job;
    const position = positions.get(id);
    if (event.type === 'REMOVED') {
      if (position !== undefined) setRemoved(id, true);
      inserted.delete(id);
      continue;
    }
    if (position !== undefined) {
      if (isStale(jobs[position], event)) continue;
      jobs[position] = event.job;
      setRemoved(id, false);
    } else if (inserted.has(id) || (matchesFilters(event.job, filters) && inWindow(loaded, event.job))) {
      inserted.set(id, event.job);
    }
  }
  if (inserted.size > 0) {
    jobs.push(...inserted.values());
    jobs.sort(newestFirst);
  }
  return { ...loaded, jobs, removed };
}

/** The list with a freshly fetched page merged in: known rows replaced, new ones inserted in order. */
export function mergePage(loaded: LoadedJobs, page: readonly JobRow[], filters: JobFilters): LoadedJobs {
  const at = new Date().toISOString();
  return applyEvents(
    loaded,
    page.map((job) => ({ type: 'SNAPSHOT', at, job })),
    filters,
  );
}
