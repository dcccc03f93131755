import { useState } from 'react';

/** The outcome of the last admin action on a page: what it did, or why it failed. */
export interface ActionOutcome {
  message: string;
  failed: boolean;
}

/**
 * Runs admin actions one at a time and keeps the outcome of the last one: `describe` turns the
 * mutation's answer into what the user reads ("3 jobs retried"); `onDone` re-requests the page's data.
 */
export function useAction(onDone: () => void): {
  outcome: ActionOutcome | undefined;
  run: <T>(action: () => Promise<T>, describe: (answer: T) => string) => Promise<void>;
  /** Shows the outcome of an action run elsewhere (a form's own submit). */
  report: (outcome: ActionOutcome) => void;
} {
  const [outcome, setOutcome] = useState<ActionOutcome>();
  const run = async <T,>(action: () => Promise<T>, describe: (answer: T) => string): Promise<void> => {
    try {
      setOutcome({ message: describe(await action()), failed: false });
    } catch (failure: unknown) {
      setOutcome({ message: failure instanceof Error ? failure.message : String(failure), failed: true });
    }
    onDone();
  };
  return { outcome, run, report: setOutcome };
}

/** The outcome of the last action, announced to screen readers as it changes. */
export function ActionResult({ outcome }: { outcome: ActionOutcome | undefined }) {
  return (
    <p
      role="status"
      aria-live="polite"
      className={outcome?.failed === true ? 'action-result error' : 'action-result'}
      data-testid="action-result"
    >
      {outcome?.message}
    </p>
  );
}

/** `1 job` / `3 jobs`. */
export const jobCount = (count: number): string => `${count} ${count === 1 ? 'job' : 'jobs'}`;
