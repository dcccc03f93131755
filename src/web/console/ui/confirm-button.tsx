import { useState, type ReactNode } from 'react';

/**
 * A button for a destructive or fleet-wide action: the first click asks, the second (on
 * "Confirm") runs it. No modal: the question stays next to what it is about.
 */
export function ConfirmButton({
  children,
  question,
  onConfirm,
  disabled,
}: {
  children: ReactNode;
  question: string;
  onConfirm: () => Promise<unknown> | void;
  disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [running, setRunning] = useState(false);
  if (!asking)
    return (
      <button type="button" className="secondary" disabled={disabled === true || running} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  const confirm = async (): Promise<void> => {
    setRunning(true);
    try {
      await onConfirm();
    } finally {
      setRunning(false);
      setAsking(false);
    }
  };
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button type="button" className="danger" disabled={running} onClick={() => void confirm()}>
        Confirm
      </button>
      <button type="button" className="secondary" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
