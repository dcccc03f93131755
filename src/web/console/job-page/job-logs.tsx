import type { LogEntry } from './use-live-job';

/** Consecutive lines of one attempt (a retried job counts from 1 again: its runs stay apart). */
interface LogGroup {
  attempt: number | null;
  entries: LogEntry[];
}

function groupsOf(entries: readonly LogEntry[]): LogGroup[] {
  const groups: LogGroup[] = [];
  for (const entry of entries) {
    const last = groups.at(-1);
    if (last !== undefined && last.attempt === entry.attempt) last.entries.push(entry);
    else groups.push({ attempt: entry.attempt, entries: [entry] });
  }
  return groups;
}

/** `14:03:07.250` in the browser's time zone: log lines are read against each other. */
const clock = (at: string): string =>
  new Date(at).toLocaleTimeString(undefined, {
    hour12: false,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
  });

/** The job's log lines with their times, grouped by the attempt that wrote them. */
export function JobLogs({ entries }: { entries: readonly LogEntry[] }) {
  if (entries.length === 0) return <p className="muted">No log lines.</p>;
  return (
    <div className="job-logs" data-testid="job-logs">
      {groupsOf(entries).map((group, index) => (
        <section key={index} data-testid="job-log-group" data-attempt={group.attempt ?? ''}>
          <h3>{group.attempt === null ? 'Earlier lines' : `Attempt ${group.attempt}`}</h3>
          <ol>
            {group.entries.map((entry, line) => (
              <li key={line} data-testid="job-log-line">
                {entry.at !== null && (
                  <time dateTime={entry.at} title={new Date(entry.at).toLocaleString()}>
                    {clock(entry.at)}
                  </time>
                )}{' '}
                <span className="job-log-message">{entry.message}</span>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
