import type { JobgateClient } from '@jobgate/client';
import type { JobRow, RowEvent } from './apply-events';
import { CancelJobRowDocument, PromoteJobRowDocument, RemoveJobRowDocument, RetryJobRowDocument } from './operations';

/** What a row's buttons do to its job. */
export type RowAction = 'cancel' | 'retry' | 'promote' | 'remove';

const FINISHED = new Set(['COMPLETED', 'FAILED', 'CANCELLED']);

/** The actions that make sense for a job in its state (the gateway decides whether the caller may). */
export function actionsFor(job: JobRow): RowAction[] {
  const finished = FINISHED.has(job.state);
  const actions: RowAction[] = [];
  if (!finished) actions.push('cancel');
  if (job.state === 'FAILED' || job.state === 'CANCELLED') actions.push('retry');
  if (job.state === 'DELAYED') actions.push('promote');
  if (finished) actions.push('remove');
  return actions;
}

/** Runs `action` on job `id`; resolves to the event that shows its outcome in the list. */
export async function runAction(client: JobgateClient, action: RowAction, id: string): Promise<RowEvent> {
  const at = new Date().toISOString();
  switch (action) {
    case 'cancel':
      return { type: 'SNAPSHOT', at, job: (await client.request(CancelJobRowDocument, { id })).cancelJob };
    case 'retry':
      return { type: 'SNAPSHOT', at, job: (await client.request(RetryJobRowDocument, { id })).retryJob };
    case 'promote':
      return { type: 'SNAPSHOT', at, job: (await client.request(PromoteJobRowDocument, { id })).promoteJob };
    case 'remove':
      return { type: 'REMOVED', at, job: (await client.request(RemoveJobRowDocument, { id })).removeJob };
  }
}
