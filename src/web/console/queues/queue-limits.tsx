import { useState, type FormEvent } from 'react';
import type { JobgateClient } from '@jobgate/client';
import { ConfirmButton } from '../ui/confirm-button';
import { formatDuration } from '../ui/relative-time';
import { ActionResult, useAction } from './action-result';
import { ConsoleResetQueueLimitsDocument, ConsoleSetQueueGlobalConcurrencyDocument, ConsoleSetQueueRateLimitDocument } from './operations';

export interface Limits {
  rateLimit: { max: number; durationMs: number } | null;
  globalConcurrency: number | null;
  limitsOverridden: boolean;
}

const positiveInt = (text: string): number | undefined => (/^\d+$/.test(text.trim()) && Number(text) > 0 ? Number(text) : undefined);

/** The queue's rate limit and global concurrency; an admin sets, lifts or resets them. */
export function QueueLimits({
  client,
  queue,
  limits,
  admin,
  onDone,
}: {
  client: JobgateClient;
  queue: string;
  limits: Limits;
  admin: boolean;
  onDone: () => void;
}) {
  const { outcome, run } = useAction(onDone);
  const [max, setMax] = useState('');
  const [durationMs, setDurationMs] = useState('1000');
  const [concurrency, setConcurrency] = useState('');
  const rate = { max: positiveInt(max), durationMs: positiveInt(durationMs) };
  const cap = positiveInt(concurrency);

  const setRate = (event: FormEvent): void => {
    event.preventDefault();
    if (rate.max === undefined || rate.durationMs === undefined) return;
    const rateLimit = { max: rate.max, durationMs: rate.durationMs };
    void run(
      () => client.request(ConsoleSetQueueRateLimitDocument, { queue, rateLimit }),
      () => `rate limit set to ${rateLimit.max} per ${formatDuration(rateLimit.durationMs)}`,
    );
  };
  const setCap = (event: FormEvent): void => {
    event.preventDefault();
    if (cap === undefined) return;
    void run(
      () => client.request(ConsoleSetQueueGlobalConcurrencyDocument, { queue, concurrency: cap }),
      () => `global concurrency set to ${cap}`,
    );
  };

  return (
    <section className="panel" aria-labelledby="queue-limits-title">
      <h2 id="queue-limits-title">Limits</h2>
      <dl className="facts">
        <dt>rate limit</dt>
        <dd data-testid="rate-limit">
          {limits.rateLimit === null ? 'none' : `${limits.rateLimit.max} jobs per ${formatDuration(limits.rateLimit.durationMs)}`}
        </dd>
        <dt>global concurrency</dt>
        <dd data-testid="global-concurrency">{limits.globalConcurrency ?? 'uncapped'}</dd>
        <dt>set at runtime</dt>
        <dd>{limits.limitsOverridden ? 'yes (kept until reset)' : 'no (configuration)'}</dd>
      </dl>
      {admin && (
        <>
          <form className="action-row" onSubmit={setRate}>
            <label className="inline">
              max <input className="narrow" inputMode="numeric" value={max} onChange={(event) => setMax(event.target.value)} />
            </label>
            <label className="inline">
              per ms{' '}
              <input className="narrow" inputMode="numeric" value={durationMs} onChange={(event) => setDurationMs(event.target.value)} />
            </label>
            <button type="submit" disabled={rate.max === undefined || rate.durationMs === undefined}>
              Set rate limit
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void run(
                  () => client.request(ConsoleSetQueueRateLimitDocument, { queue, rateLimit: null }),
                  () => 'rate limit lifted',
                )
              }
            >
              No rate limit
            </button>
          </form>
          <form className="action-row" onSubmit={setCap}>
            <label className="inline">
              at once{' '}
              <input className="narrow" inputMode="numeric" value={concurrency} onChange={(event) => setConcurrency(event.target.value)} />
            </label>
            <button type="submit" disabled={cap === undefined}>
              Set concurrency
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() =>
                void run(
                  () => client.request(ConsoleSetQueueGlobalConcurrencyDocument, { queue, concurrency: null }),
                  () => 'concurrency cap lifted',
                )
              }
            >
              Uncapped
            </button>
          </form>
          <div className="action-row">
            <ConfirmButton
              question="Drop the limits set here and go back to the workers' configuration?"
              onConfirm={() =>
                run(
                  () => client.request(ConsoleResetQueueLimitsDocument, { queue }),
                  () => 'limits reset to the configuration',
                )
              }
            >
              Reset limits
            </ConfirmButton>
          </div>
          <ActionResult outcome={outcome} />
        </>
      )}
    </section>
  );
}
