import { useSyncExternalStore } from 'react';

/** One clock for every relative time on the page: a timer per row would cost 1,000 timers for 1,000 rows. */
const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const each of listeners) each();
  }, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The time now, updated once a second for every subscriber at once. */
export const useNow = (): number => useSyncExternalStore(subscribe, () => now);

/** `42 s`, `3 min`, `2 h 5 min`, `4 d`: a duration as a person reads it. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d`;
}

/** `3 min ago` / `in 20 s`, with the exact time as a tooltip and for screen readers. */
export function RelativeTime({ at }: { at: string | null | undefined }) {
  const current = useNow();
  if (at === null || at === undefined) return <span className="muted">—</span>;
  const time = Date.parse(at);
  const delta = current - time;
  const text = Math.abs(delta) < 1000 ? 'now' : delta > 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(-delta)}`;
  return (
    <time dateTime={at} title={new Date(time).toLocaleString()}>
      {text}
    </time>
  );
}
