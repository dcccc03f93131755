/**
 * The subscription every figure uses and a job event shaped like the
 * gateway's answer to it, so baseline servers send messages of the same
 * shape and size as the gateway does.
 */

/** The jobEvents subscription the fleets open (graphql-ws, `$id` = job id). */
export const JOB_EVENTS_SUBSCRIPTION =
  'subscription Watch($id: ID!) { jobEvents(id: $id) { type cursor at job { id state progress { percent data } } } }';

/** A PROGRESS event as the subscription above selects it. */
export interface SampleJobEvent {
  type: 'PROGRESS';
  cursor: string;
  at: string;
  job: {
    id: string;
    state: 'ACTIVE';
    progress: { percent: number; data: { sentAt: number; seq: number } };
  };
}

/** A PROGRESS event for job `id`, stamped with the current time. */
export function sampleEvent(id: string, seq: number): SampleJobEvent {
  const sentAt = performance.timeOrigin + performance.now();
  return {
    type: 'PROGRESS',
    cursor: `${Math.floor(sentAt)}-${seq}`,
    at: new Date(sentAt).toISOString(),
    job: { id, state: 'ACTIVE', progress: { percent: seq % 100, data: { sentAt, seq } } },
  };
}

/** The graphql-transport-ws `next` message carrying `event`, as the wire has it. */
export function nextMessage(event: SampleJobEvent): string {
  return JSON.stringify({ id: '0', type: 'next', payload: { data: { jobEvents: event } } });
}
