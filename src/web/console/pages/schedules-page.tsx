import { useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import { isAdmin, readsAll, type PageProps } from '../page-props';
import { ActionResult, useAction } from '../queues/action-result';
import { Failure, NeedsReader } from '../queues/needs-reader';
import { Link } from '../router';
import { LastRun } from '../schedules/last-run';
import { ConsoleRemoveScheduleDocument, ConsoleSchedulesDocument } from '../schedules/operations';
import { ScheduleForm, type ScheduleRow } from '../schedules/schedule-form';
import { ConfirmButton } from '../ui/confirm-button';
import { formatDuration, RelativeTime } from '../ui/relative-time';
import { useRequest } from '../ui/use-request';
import '../queues/queues.css';
import '../schedules/schedules.css';

/** What the form shows: nothing, a new schedule, or one being edited. */
type Editing = { kind: 'none' } | { kind: 'new' } | { kind: 'edit'; schedule: ScheduleRow };

/** `/schedules`: every schedule, its next and last run; an admin creates, edits and removes them. */
export function SchedulesPage({ client, caller }: PageProps) {
  if (!readsAll(caller)) return <NeedsReader what="The schedules page" />;
  return <Schedules client={client} admin={isAdmin(caller)} />;
}

function Schedules({ client, admin }: { client: JobgateClient; admin: boolean }) {
  const { data, error, reload } = useRequest(client, ConsoleSchedulesDocument, {});
  const [editing, setEditing] = useState<Editing>({ kind: 'none' });
  const { outcome, run, report } = useAction(reload);

  const remove = (id: string): Promise<void> =>
    run(
      () => client.request(ConsoleRemoveScheduleDocument, { id }),
      ({ removeSchedule }) => (removeSchedule ? `schedule ${id} removed` : `schedule ${id} was already gone`),
    );

  return (
    <section className="console-section" aria-labelledby="schedules-title">
      <h1 id="schedules-title">Schedules</h1>
      {error !== undefined && <Failure message={error} />}
      {admin && editing.kind === 'none' && (
        <p>
          <button type="button" onClick={() => setEditing({ kind: 'new' })} data-testid="schedule-new">
            New schedule
          </button>
        </p>
      )}
      {admin && editing.kind !== 'none' && data !== undefined && (
        <ScheduleForm
          key={editing.kind === 'edit' ? editing.schedule.id : ''}
          client={client}
          jobTypes={data.jobTypes}
          editing={editing.kind === 'edit' ? editing.schedule : undefined}
          onSaved={(message) => {
            report({ message, failed: false });
            setEditing({ kind: 'none' });
            reload();
          }}
          onCancel={() => setEditing({ kind: 'none' })}
        />
      )}
      <ActionResult outcome={outcome} />
      {data === undefined ? (
        error === undefined && <p className="muted">Loading…</p>
      ) : data.schedules.length === 0 ? (
        <p className="muted">No schedules.</p>
      ) : (
        <div className="table-scroll">
          <table className="dense schedules-table" data-testid="schedules-table">
            <thead>
              <tr>
                <th scope="col">id</th>
                <th scope="col">type</th>
                <th scope="col" className="col-queue">
                  queue
                </th>
                <th scope="col">runs</th>
                <th scope="col" className="col-tz">
                  time zone
                </th>
                <th scope="col">next run</th>
                <th scope="col">last run</th>
                {admin && <th scope="col">actions</th>}
              </tr>
            </thead>
            <tbody>
              {data.schedules.map((schedule) => (
                <tr key={schedule.id} data-testid={`schedule-${schedule.id}`}>
                  <th scope="row">{schedule.id}</th>
                  <td>{schedule.type}</td>
                  <td className="col-queue">
                    <Link to={`/queues/${encodeURIComponent(schedule.queue)}`}>{schedule.queue}</Link>
                  </td>
                  <td>{schedule.cron !== null ? <code>{schedule.cron}</code> : `every ${formatDuration(schedule.everyMs ?? 0)}`}</td>
                  <td className="col-tz">{schedule.timeZone ?? <span className="muted">default</span>}</td>
                  <td>
                    <RelativeTime at={schedule.nextRunAt} />
                  </td>
                  <td>
                    {schedule.lastJobId === null ? (
                      <span className="muted">not yet</span>
                    ) : (
                      <LastRun client={client} jobId={schedule.lastJobId} />
                    )}
                  </td>
                  {admin && (
                    <td>
                      <div className="row-actions">
                        <button type="button" className="secondary" onClick={() => setEditing({ kind: 'edit', schedule })}>
                          Edit
                        </button>
                        <ConfirmButton question={`Remove schedule ${schedule.id}?`} onConfirm={() => remove(schedule.id)}>
                          Remove
                        </ConfirmButton>
                      </div>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
