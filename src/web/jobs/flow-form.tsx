import { useState, type FormEvent } from 'react';
import { chain, JobgateClientError, step, type EnqueuedJob, type FlowInput, type JobgateClient } from '@jobgate/client';
import { messageOf } from './job-format';

/** What the form starts with: a chain of three steps, each reading the results of the one before. */
const EXAMPLE = JSON.stringify(
  chain([
    step('processListBatch', { ids: [1, 2, 3], msPerItem: 300 }),
    step('processList', { ids: [4, 5, 6], msPerItem: 300 }),
    step('processList', { ids: [7, 8, 9], msPerItem: 300 }),
  ]),
  null,
  2,
);

/** Reads the text as a FlowInput, or says what is wrong with it (the gateway checks the rest). */
function parseFlow(text: string): { ok: true; flow: FlowInput } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (failure) {
    return { ok: false, message: `Expected JSON: ${messageOf(failure)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || typeof (value as { type?: unknown }).type !== 'string') {
    return { ok: false, message: 'Expected an object with a "type", "data" and optional "children" and "options"' };
  }
  return { ok: true, flow: value as FlowInput };
}

/** Enqueues a flow given as JSON (`FlowInput`: `type`, `data`, `options`, `children`) with `enqueueFlow`. */
export function FlowForm({ client, onEnqueued }: { client: JobgateClient; onEnqueued: (job: EnqueuedJob) => void }) {
  const [text, setText] = useState(EXAMPLE);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const parsed = parseFlow(text);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      onEnqueued(await client.enqueueFlow(parsed.flow));
    } catch (failure) {
      const field = failure instanceof JobgateClientError ? failure.field : undefined;
      setError(field === undefined ? messageOf(failure) : `${messageOf(failure)} (at ${field})`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <details className="panel flow-form">
      <summary>Enqueue a flow (JSON)</summary>
      <form onSubmit={(event) => void submit(event)} data-testid="flow-form">
        <div className="field">
          <label htmlFor="flow-json">Flow</label>
          <textarea
            id="flow-json"
            rows={14}
            spellCheck={false}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-describedby={error ? 'flow-json-hint flow-json-error' : 'flow-json-hint'}
            aria-invalid={error ? true : undefined}
            data-testid="flow-json"
          />
          <small id="flow-json-hint" className="muted">
            A job with its children: each runs once its children completed and reads their results.
          </small>
          {error && (
            <small id="flow-json-error" role="alert" className="error" data-testid="flow-error">
              {error}
            </small>
          )}
        </div>
        <button type="submit" disabled={busy} data-testid="flow-submit">
          Enqueue flow
        </button>
      </form>
    </details>
  );
}
