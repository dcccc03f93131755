import { Presets, SingleBar } from 'cli-progress';
import type { JobgateClient } from '../client.js';
import { JobgateClientError } from '../errors.js';
import { isFinalEvent, type JobEvent, type JobState } from '../types.js';

/** Exit codes of `watch`: 0 COMPLETED, 1 FAILED (or gone), 130 CANCELLED, as a shell reports Ctrl-C. */
export const EXIT_CODES: Readonly<Record<string, number>> = { COMPLETED: 0, FAILED: 1, REMOVED: 1, CANCELLED: 130 };
/** Codes after which a watch is opened again after its last cursor: the link failed, not the gateway's answer. */
const RESUMABLE = new Set(['NETWORK_ERROR', 'CONNECTION_CLOSED']);
/** How many times in a row a failed link is resumed before giving up. */
const MAX_RESUMES = 20;

/** Where a watch ended: the final event's type (or the final state of a SNAPSHOT). */
function outcome(event: JobEvent): string {
  return event.type === 'SNAPSHOT' ? event.job.state : event.type;
}

/** The bar on a terminal: percent, ETA, state and the latest log line. */
function createBar(): { update(event: JobEvent): void; stop(): void } {
  const bar = new SingleBar(
    {
      format: '{bar} {percentage}% | ETA {eta_formatted} | {state} | {log}',
      hideCursor: true,
      etaBuffer: 20,
      fps: 10,
      stream: process.stdout,
    },
    Presets.shades_classic,
  );
  let log = '';
  let started = false;
  return {
    update(event) {
      if (event.log !== null) log = event.log.length > 60 ? `${event.log.slice(0, 59)}…` : event.log;
      const percent = Math.round(event.job.progress?.percent ?? (event.job.state === 'COMPLETED' ? 100 : 0));
      const payload = { state: event.job.state as JobState, log };
      if (!started) {
        started = true;
        bar.start(100, percent, payload);
      } else bar.update(percent, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * Watches `id` to its final event and returns the exit code of its outcome. On a terminal it
 * draws a bar, else it prints each event as a JSON line. When the link fails for good, it
 * watches again after the last cursor received, so nothing is lost or repeated.
 */
export async function watchToEnd(jobgate: JobgateClient, id: string, options: { tty: boolean; since?: string }): Promise<number> {
  const bar = options.tty ? createBar() : undefined;
  let since = options.since;
  let last: JobEvent | undefined;
  let resumes = 0;
  try {
    for (;;) {
      try {
        for await (const event of jobgate.watch(id, { since })) {
          since = event.cursor;
          last = event;
          resumes = 0;
          if (bar) bar.update(event);
          else process.stdout.write(`${JSON.stringify(event)}\n`);
        }
        break;
      } catch (failure) {
        if (!(failure instanceof JobgateClientError) || !RESUMABLE.has(failure.code) || ++resumes > MAX_RESUMES) throw failure;
      }
    }
  } finally {
    bar?.stop();
  }
  if (last === undefined || !isFinalEvent(last)) {
    throw new JobgateClientError('CONNECTION_CLOSED', `the watch of ${id} ended before the job did`);
  }
  const end = outcome(last);
  if (bar) {
    const detail = end === 'COMPLETED' ? JSON.stringify(last.job.result) : (last.job.failedReason ?? '');
    process.stdout.write(`${end} ${id}${detail === '' ? '' : ` ${detail}`}\n`);
  }
  return EXIT_CODES[end] ?? 1;
}
