import { useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import type { JobState } from '@jobgate/client/gql';
import { ConfirmButton } from '../ui/confirm-button';
import { ActionResult, jobCount, useAction } from './action-result';
import {
  ConsoleCleanQueueDocument,
  ConsoleDrainQueueDocument,
  ConsolePauseQueueDocument,
  ConsoleResumeQueueDocument,
  ConsoleRetryFailedDocument,
} from './operations';

/** The states `cleanQueue` accepts. */
const CLEANABLE: readonly JobState[] = ['COMPLETED', 'FAILED', 'WAITING', 'DELAYED', 'PRIORITIZED'];

/** Pause/resume, drain, clean and retry-all-failed for one queue (admin), each asking before it runs. */
export function QueueActions({
  client,
  queue,
  paused,
  onDone,
}: {
  client: JobgateClient;
  queue: string;
  paused: boolean;
  onDone: () => void;
}) {
  const { outcome, run } = useAction(onDone);
  const [withDelayed, setWithDelayed] = useState(false);
  const [cleanState, setCleanState] = useState<JobState>('COMPLETED');
  const [olderThanMinutes, setOlderThanMinutes] = useState('60');
  const olderThanSeconds = Math.round(Number(olderThanMinutes) * 60);
  const cleanValid = olderThanMinutes.trim() !== '' && Number.isFinite(olderThanSeconds) && olderThanSeconds >= 0;

  return (
    <section className="panel queue-actions" aria-labelledby="queue-actions-title">
      <h2 id="queue-actions-title">Actions</h2>
      <div className="action-row">
        {paused ? (
          <ConfirmButton
            question={`Resume ${queue}?`}
            onConfirm={() =>
              run(
                () => client.request(ConsoleResumeQueueDocument, { queue }),
                () => `${queue} resumed`,
              )
            }
          >
            Resume
          </ConfirmButton>
        ) : (
          <ConfirmButton
            question={`Pause ${queue}? Workers start no new job.`}
            onConfirm={() =>
              run(
                () => client.request(ConsolePauseQueueDocument, { queue }),
                () => `${queue} paused`,
              )
            }
          >
            Pause
          </ConfirmButton>
        )}
        <ConfirmButton
          question={`Move every failed job of ${queue} back to waiting?`}
          onConfirm={() =>
            run(
              () => client.request(ConsoleRetryFailedDocument, { queue }),
              ({ retryFailed }) => `${jobCount(retryFailed)} retried`,
            )
          }
        >
          Retry all failed
        </ConfirmButton>
      </div>
      <div className="action-row">
        <label className="inline">
          <input type="checkbox" checked={withDelayed} onChange={(event) => setWithDelayed(event.target.checked)} /> include delayed
        </label>
        <ConfirmButton
          question={`Delete every waiting${withDelayed ? ' and delayed' : ''} job of ${queue}?`}
          onConfirm={() =>
            run(
              () => client.request(ConsoleDrainQueueDocument, { queue, delayed: withDelayed }),
              () => `${queue} drained${withDelayed ? ' (delayed jobs too)' : ''}`,
            )
          }
        >
          Drain
        </ConfirmButton>
      </div>
      <div className="action-row">
        <label className="inline">
          state{' '}
          <select value={cleanState} onChange={(event) => setCleanState(event.target.value as JobState)}>
            {CLEANABLE.map((state) => (
              <option key={state} value={state}>
                {state.toLowerCase()}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          older than{' '}
          <input
            type="number"
            min={0}
            step="any"
            inputMode="decimal"
            className="narrow"
            value={olderThanMinutes}
            onChange={(event) => setOlderThanMinutes(event.target.value)}
          />{' '}
          min
        </label>
        <ConfirmButton
          disabled={!cleanValid}
          question={`Delete the ${cleanState.toLowerCase()} jobs of ${queue} older than ${olderThanMinutes} min?`}
          onConfirm={() =>
            run(
              () => client.request(ConsoleCleanQueueDocument, { queue, state: cleanState, olderThanSeconds }),
              ({ cleanQueue }) => `${jobCount(cleanQueue)} cleaned`,
            )
          }
        >
          Clean
        </ConfirmButton>
      </div>
      <ActionResult outcome={outcome} />
    </section>
  );
}
