import type { JobState } from '@jobgate/client/gql';

/** Every state a job can be filtered by, in the order a person scans them. */
export const FILTER_STATES: readonly JobState[] = [
  'WAITING',
  'PRIORITIZED',
  'DELAYED',
  'WAITING_CHILDREN',
  'ACTIVE',
  'COMPLETED',
  'FAILED',
  'CANCELLED',
];

/** What the jobs list shows: kept in the URL query (`?queue=&state=A,B&type=`) so a filtered view is a link. */
export interface JobFilters {
  queue: string | undefined;
  states: readonly JobState[];
  type: string | undefined;
}

const isState = (value: string): value is JobState => (FILTER_STATES as readonly string[]).includes(value);

/** Reads the filters from the URL query; unknown states are ignored rather than sent to the gateway. */
export function filtersFromSearch(search: URLSearchParams): JobFilters {
  const states = (search.get('state') ?? '')
    .split(',')
    .map((value) => value.trim().toUpperCase())
    .filter(isState);
  return { queue: search.get('queue') || undefined, states, type: search.get('type') || undefined };
}

/** The URL path and query of the jobs list with `filters`. */
export function filtersToHref(filters: JobFilters): string {
  const search = new URLSearchParams();
  if (filters.queue !== undefined) search.set('queue', filters.queue);
  if (filters.states.length > 0) search.set('state', filters.states.join(','));
  if (filters.type !== undefined) search.set('type', filters.type);
  const query = search.toString();
  return query === '' ? '/' : `/?${query}`;
}

/** Whether a job with these fields belongs in the list filtered by `filters`. */
export function matchesFilters(job: { queue: string; state: string; type: string }, filters: JobFilters): boolean {
  return (
    (filters.queue === undefined || job.queue === filters.queue) &&
    (filters.type === undefined || job.type === filters.type) &&
    (filters.states.length === 0 || (filters.states as readonly string[]).includes(job.state))
  );
}
