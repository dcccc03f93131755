import { useState } from 'react';
import { navigate } from '../router';

/** The id of the "open job by id" box: the console's `/` shortcut focuses it. */
export const OPEN_JOB_INPUT_ID = 'open-job-id';

/** Goes to a job's page by its id. */
export function OpenJobForm() {
  const [id, setId] = useState('');
  return (
    <form
      className="jobs-open"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        const wanted = id.trim();
        if (wanted !== '') navigate(`/jobs/${encodeURIComponent(wanted)}`);
      }}
    >
      <label htmlFor={OPEN_JOB_INPUT_ID}>Open job by id</label>
      <input
        id={OPEN_JOB_INPUT_ID}
        type="text"
        autoComplete="off"
        spellCheck={false}
        placeholder="job id (press /)"
        value={id}
        onChange={(event) => setId(event.target.value)}
      />
      <button type="submit" disabled={id.trim() === ''}>
        Open
      </button>
    </form>
  );
}
