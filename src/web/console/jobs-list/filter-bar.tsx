import { navigate } from '../router';
import { FILTER_STATES, filtersToHref, type JobFilters } from './filters';
import type { FilterOptions } from './use-filter-options';

/** Queue, type and state filters; each change goes to the URL, so the filtered view is a link. */
export function FilterBar({ filters, options }: { filters: JobFilters; options: FilterOptions }) {
  const go = (next: Partial<JobFilters>): void => navigate(filtersToHref({ ...filters, ...next }));
  const queues =
    filters.queue === undefined || options.queues.includes(filters.queue) ? options.queues : [filters.queue, ...options.queues];
  const typeNames = options.types.filter((type) => filters.queue === undefined || type.queue === filters.queue).map((type) => type.name);
  const types = filters.type === undefined || typeNames.includes(filters.type) ? typeNames : [filters.type, ...typeNames];
  const toggle = (state: JobFilters['states'][number]): void =>
    go({ states: filters.states.includes(state) ? filters.states.filter((each) => each !== state) : [...filters.states, state] });
  return (
    <form className="jobs-filters" aria-label="Filters" onSubmit={(event) => event.preventDefault()}>
      <label>
        Queue{' '}
        <select data-testid="filter-queue" value={filters.queue ?? ''} onChange={(event) => go({ queue: event.target.value || undefined })}>
          <option value="">All queues</option>
          {queues.map((queue) => (
            <option key={queue} value={queue}>
              {queue}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type{' '}
        <select data-testid="filter-type" value={filters.type ?? ''} onChange={(event) => go({ type: event.target.value || undefined })}>
          <option value="">All types</option>
          {types.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </label>
      <fieldset className="jobs-states">
        <legend>States</legend>
        {FILTER_STATES.map((state) => (
          <button
            key={state}
            type="button"
            className={filters.states.includes(state) ? 'chip chip-on' : 'chip'}
            aria-pressed={filters.states.includes(state)}
            data-state-filter={state}
            onClick={() => toggle(state)}
          >
            {state.toLowerCase().replace(/_/g, ' ')}
          </button>
        ))}
      </fieldset>
      {(filters.queue !== undefined || filters.type !== undefined || filters.states.length > 0) && (
        <button type="button" className="secondary" onClick={() => navigate('/')}>
          Clear filters
        </button>
      )}
    </form>
  );
}
