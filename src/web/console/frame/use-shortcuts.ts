import { useEffect } from 'react';
import { OPEN_JOB_INPUT_ID } from '../jobs-list/open-job-form';
import { navigate } from '../router';

/** `g` then one of these keys goes to the page. */
const GO_TO: Readonly<Record<string, string>> = { j: '/', q: '/queues', w: '/workers', s: '/schedules', e: '/enqueue' };
/** How long after `g` the second key counts. */
const CHORD_MS = 1500;

const isTyping = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));

/** Focuses the "open job by id" box, on the jobs page (going there first from any other page). */
function focusOpenJob(): void {
  const input = document.getElementById(OPEN_JOB_INPUT_ID);
  if (input !== null) {
    input.focus();
    return;
  }
  navigate('/');
  requestAnimationFrame(() => document.getElementById(OPEN_JOB_INPUT_ID)?.focus());
}

/** `/` focuses "open job by id"; `g j` / `g q` / `g w` / `g s` / `g e` go to Jobs, Queues, Workers, Schedules, Enqueue. */
export function useShortcuts(): void {
  useEffect(() => {
    let chordUntil = 0;
    const onKey = (event: KeyboardEvent): void => {
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      if (event.key === '/') {
        event.preventDefault();
        focusOpenJob();
      } else if (event.key === 'g') {
        chordUntil = Date.now() + CHORD_MS;
      } else if (Date.now() < chordUntil && GO_TO[event.key] !== undefined) {
        chordUntil = 0;
        event.preventDefault();
        navigate(GO_TO[event.key]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
