import { useCallback, useState, type KeyboardEvent } from 'react';
import type { JobgateClient } from '@jobgate/client';
import { ConfirmButton } from '../ui/confirm-button';
import type { LoadedJobs, RowEvent } from './apply-events';
import { JobRow } from './job-row';
import { actionsFor, runAction, type RowAction } from './row-actions';

/** Mutations in flight at once for a bulk action: enough to be quick, few enough not to flood the gateway. */
const BULK_CONCURRENCY = 8;

const message = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));

/** Moves focus to the id link of the row above or below with ↑/↓ (or k/j). */
function moveFocus(event: KeyboardEvent<HTMLTableSectionElement>): void {
  const step = event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0;
  if (step === 0 || !(event.target instanceof HTMLElement) || event.target.matches('input, button')) return;
  const row = event.target.closest('tr');
  const next = step === 1 ? row?.nextElementSibling : row?.previousElementSibling;
  const link = next?.querySelector<HTMLElement>('.jobs-row-link');
  if (link === null || link === undefined) return;
  event.preventDefault();
  link.focus();
}

/** The jobs as dense rows, with per-row actions, multi-select and bulk Cancel / Retry. */
export function JobsTable({
  client,
  loaded,
  controls,
  apply,
}: {
  client: JobgateClient;
  loaded: LoadedJobs;
  /** Whether to offer selection and actions (not for a read-only viewer). */
  controls: boolean;
  /** Shows an action's outcome at once, as an event would. */
  apply: (event: RowEvent) => void;
}) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [bulkError, setBulkError] = useState<string>();

  const setError = useCallback((id: string, error: string | undefined) => {
    setErrors((previous) => {
      if (previous.get(id) === error) return previous;
      const next = new Map(previous);
      if (error === undefined) next.delete(id);
      else next.set(id, error);
      return next;
    });
  }, []);

  const act = useCallback(
    async (id: string, action: RowAction): Promise<boolean> => {
      try {
        apply(await runAction(client, action, id));
        setError(id, undefined);
        return true;
      } catch (failure) {
        setError(id, message(failure));
        return false;
      }
    },
    [client, apply, setError],
  );
  const onAction = useCallback((id: string, action: RowAction) => void act(id, action), [act]);
  const onSelect = useCallback((id: string, isSelected: boolean) => {
    setSelected((previous) => {
      const next = new Set(previous);
      if (isSelected) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const selectable = loaded.jobs.filter((job) => job.canControl && !loaded.removed.has(job.id));
  const chosen = selectable.filter((job) => selected.has(job.id));
  const bulk = async (action: RowAction): Promise<void> => {
    const targets = chosen.filter((job) => actionsFor(job).includes(action)).map((job) => job.id);
    const queue = [...targets];
    let failed = 0;
    const runNext = async (): Promise<void> => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) if (!(await act(id, action))) failed++;
    };
    await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, targets.length) }, runNext));
    setBulkError(
      failed === 0
        ? undefined
        : `${failed} of ${targets.length} could not be ${action === 'cancel' ? 'cancelled' : 'retried'}; see their rows.`,
    );
    setSelected(new Set());
  };
  const allSelected = selectable.length > 0 && chosen.length === selectable.length;

  return (
    <>
      {controls && (
        <div className="jobs-bulk" role="group" aria-label="Selected jobs">
          <span className="muted">{chosen.length} selected</span>
          <ConfirmButton
            question={`Cancel ${chosen.length}?`}
            disabled={!chosen.some((job) => actionsFor(job).includes('cancel'))}
            onConfirm={() => bulk('cancel')}
          >
            Cancel selected
          </ConfirmButton>
          <ConfirmButton
            question={`Retry ${chosen.length}?`}
            disabled={!chosen.some((job) => actionsFor(job).includes('retry'))}
            onConfirm={() => bulk('retry')}
          >
            Retry selected
          </ConfirmButton>
          {bulkError !== undefined && (
            <span role="alert" className="error">
              {bulkError}
            </span>
          )}
        </div>
      )}
      <div className="table-scroll">
        <table role="table" className={controls ? 'dense jobs-table with-controls' : 'dense jobs-table'} data-testid="jobs-list">
          <thead role="rowgroup">
            <tr role="row">
              {controls && (
                <th role="columnheader" scope="col">
                  <input
                    type="checkbox"
                    aria-label="Select every job shown"
                    checked={allSelected}
                    disabled={selectable.length === 0}
                    onChange={(event) => setSelected(event.target.checked ? new Set(selectable.map((job) => job.id)) : new Set())}
                  />
                </th>
              )}
              <th role="columnheader" scope="col">
                Id
              </th>
              <th role="columnheader" scope="col">
                Type
              </th>
              <th role="columnheader" scope="col" className="jobs-col-queue">
                Queue
              </th>
              <th role="columnheader" scope="col">
                State
              </th>
              <th role="columnheader" scope="col" className="jobs-col-progress">
                Progress
              </th>
              <th role="columnheader" scope="col" className="jobs-col-age">
                Age
              </th>
              <th role="columnheader" scope="col" className="num jobs-col-duration">
                Duration
              </th>
              <th role="columnheader" scope="col" className="num jobs-col-attempts">
                Attempts
              </th>
              {controls && (
                <th role="columnheader" scope="col" className="jobs-actions">
                  Actions
                </th>
              )}
            </tr>
          </thead>
          <tbody role="rowgroup" onKeyDown={moveFocus}>
            {loaded.jobs.map((job) => (
              <JobRow
                key={job.id}
                job={job}
                removed={loaded.removed.has(job.id)}
                selected={selected.has(job.id)}
                controls={controls}
                error={errors.get(job.id)}
                onSelect={onSelect}
                onAction={onAction}
              />
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
