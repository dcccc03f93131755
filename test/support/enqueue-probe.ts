import { IMPORT_PARTS, type EnqueuedJob } from '../integration/operations';
import { gql, within } from './graphql';
import type { Stack } from './stack';

/** What {@link enqueueContinuously} saw. */
export interface EnqueueProbe {
  acknowledged: string[];
  refusals: { code: string | undefined; at: number }[];
  /** Longest time between two acknowledged enqueues, ms. */
  longestGapMs: number;
  /** Slowest answer, ms. */
  slowestMs: number;
  /** Stops the loop; resolves once the request in flight is answered. */
  stop(): Promise<void>;
}

/** Enqueues tiny imports one after another (20 ms apart) until stopped, recording every answer. */
export function enqueueContinuously(stack: Stack): EnqueueProbe {
  const probe: EnqueueProbe = { acknowledged: [], refusals: [], longestGapMs: 0, slowestMs: 0, stop: () => loop };
  let stopped = false;
  const loop = (async () => {
    let lastSuccess = Date.now();
    for (let attempt = 0; attempt < 2000 && !stopped; attempt++) {
      const sentAt = Date.now();
      const input = { project: 'F', phase: 'A', stage: '1', items: 1, msPerItem: 0 };
      const response = await within(gql<{ importParts: EnqueuedJob }>(stack.url, IMPORT_PARTS, { input }), 10_000, 'an enqueue');
      const now = Date.now();
      probe.slowestMs = Math.max(probe.slowestMs, now - sentAt);
      if (response.data?.importParts) {
        probe.acknowledged.push(response.data.importParts.id);
        probe.longestGapMs = Math.max(probe.longestGapMs, now - lastSuccess);
        lastSuccess = now;
      } else {
        probe.refusals.push({ code: response.errors?.[0]?.extensions?.code, at: now });
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  probe.stop = () => {
    stopped = true;
    return loop;
  };
  return probe;
}
