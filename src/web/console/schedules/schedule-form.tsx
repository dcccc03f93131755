import { useState, type FormEvent } from 'react';
import type { JobgateClient } from '@jobgate/client';
import type { ConsoleSchedulesQuery } from '@jobgate/client/gql';
import { ConsoleUpsertScheduleDocument } from './operations';

export type ScheduleRow = ConsoleSchedulesQuery['schedules'][number];
type JobTypeOption = ConsoleSchedulesQuery['jobTypes'][number];

/** The JSON in the data box, or why it is not JSON. */
function parseData(text: string): { value: unknown } | { problem: string } {
  if (text.trim() === '') return { value: {} };
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (failure: unknown) {
    return { problem: failure instanceof Error ? failure.message : String(failure) };
  }
}

/**
 * Creates a schedule, or edits `editing` (its id stays): cron or an interval in seconds, a time
 * zone, and the data of each job as JSON, checked before it is sent. The gateway checks the rest.
 */
export function ScheduleForm({
  client,
  jobTypes,
  editing,
  onSaved,
  onCancel,
}: {
  client: JobgateClient;
  jobTypes: readonly JobTypeOption[];
  editing: ScheduleRow | undefined;
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const [id, setId] = useState(editing?.id ?? '');
  const [type, setType] = useState(editing?.type ?? jobTypes[0]?.name ?? '');
  const [kind, setKind] = useState<'cron' | 'every'>(typeof editing?.everyMs === 'number' ? 'every' : 'cron');
  const [cron, setCron] = useState(editing?.cron ?? '');
  const [everySeconds, setEverySeconds] = useState(typeof editing?.everyMs === 'number' ? String(editing.everyMs / 1000) : '60');
  const [timeZone, setTimeZone] = useState(editing?.timeZone ?? '');
  const [data, setData] = useState(editing === undefined ? '{}' : JSON.stringify(editing.data, null, 2));
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const parsed = parseData(data);
  const everyMs = Math.round(Number(everySeconds) * 1000);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if ('problem' in parsed) return;
    setSaving(true);
    try {
      const schedule = {
        id: id.trim(),
        type,
        data: parsed.value,
        timeZone: timeZone.trim() === '' ? undefined : timeZone.trim(),
        ...(kind === 'cron' ? { cron: cron.trim() } : { everyMs }),
      };
      await client.request(ConsoleUpsertScheduleDocument, { schedule });
      onSaved(editing === undefined ? `schedule ${schedule.id} created` : `schedule ${schedule.id} saved`);
    } catch (failure: unknown) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="panel schedule-form"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="schedule-form-title"
      data-testid="schedule-form"
    >
      <h2 id="schedule-form-title">{editing === undefined ? 'New schedule' : `Edit ${editing.id}`}</h2>
      <div className="field">
        <label htmlFor="schedule-id">id</label>
        <input id="schedule-id" required value={id} readOnly={editing !== undefined} onChange={(event) => setId(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="schedule-type">job type</label>
        <select id="schedule-type" value={type} onChange={(event) => setType(event.target.value)}>
          {jobTypes.map((jobType) => (
            <option key={jobType.name} value={jobType.name}>
              {jobType.name} ({jobType.queue})
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field">
        <legend>runs</legend>
        <label className="inline">
          <input type="radio" name="schedule-kind" checked={kind === 'cron'} onChange={() => setKind('cron')} /> on a cron pattern
        </label>
        <label className="inline">
          <input type="radio" name="schedule-kind" checked={kind === 'every'} onChange={() => setKind('every')} /> every N seconds
        </label>
        {kind === 'cron' ? (
          <input
            aria-label="cron pattern"
            placeholder="0 2 * * *"
            required
            value={cron}
            onChange={(event) => setCron(event.target.value)}
          />
        ) : (
          <input
            aria-label="interval in seconds"
            type="number"
            min={1}
            step="any"
            required
            value={everySeconds}
            onChange={(event) => setEverySeconds(event.target.value)}
          />
        )}
      </fieldset>
      <div className="field">
        <label htmlFor="schedule-tz">time zone</label>
        <input
          id="schedule-tz"
          placeholder="the gateway's SCHEDULE_TZ"
          value={timeZone}
          onChange={(event) => setTimeZone(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="schedule-data">data (JSON)</label>
        <textarea
          id="schedule-data"
          rows={4}
          value={data}
          aria-invalid={'problem' in parsed}
          aria-describedby="schedule-data-problem"
          onChange={(event) => setData(event.target.value)}
        />
        <span id="schedule-data-problem" className="error">
          {'problem' in parsed ? `not JSON: ${parsed.problem}` : ''}
        </span>
      </div>
      {error !== undefined && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <div className="action-row">
        <button type="submit" disabled={saving || 'problem' in parsed} data-testid="schedule-save">
          {editing === undefined ? 'Create' : 'Save'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
