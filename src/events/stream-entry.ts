/** Names Jobgate workers publish into a queue's event stream beside BullMQ's own. */
export const CUSTOM_EVENTS = { LOG: 'jobgate.log' } as const;

/** Fields every job entry has: its stream id, its job and its rough size (for slow-client accounting). */
interface EntryBase {
  readonly cursor: string;
  readonly jobId: string;
  readonly bytes: number;
}

/**
 * One job entry of a queue's event stream, parsed once when read, as BullMQ (or a Jobgate
 * worker, for `log`) wrote it. Only the fields the gateway reads are kept.
 */
export type StreamEntry = EntryBase &
  (
    | { readonly kind: 'waiting'; readonly prev: string | undefined }
    | { readonly kind: 'waiting-children' }
    | { readonly kind: 'delayed' }
    | { readonly kind: 'active' }
    | { readonly kind: 'progress'; readonly data: string | undefined }
    | { readonly kind: 'completed'; readonly returnvalue: string | undefined }
    | { readonly kind: 'failed' }
    | { readonly kind: 'stalled' }
    | { readonly kind: 'removed' }
    | { readonly kind: 'log'; readonly line: string }
  );

export type StreamEntryKind = StreamEntry['kind'];

/** Stream event names that concern one job, and the kind each is parsed to. */
const KINDS: ReadonlyMap<string, StreamEntryKind> = new Map<string, StreamEntryKind>([
  ['waiting', 'waiting'],
  ['waiting-children', 'waiting-children'],
  ['delayed', 'delayed'],
  ['active', 'active'],
  ['progress', 'progress'],
  ['completed', 'completed'],
  ['failed', 'failed'],
  ['stalled', 'stalled'],
  ['removed', 'removed'],
  [CUSTOM_EVENTS.LOG, 'log'],
]);

/** Rough fixed cost of an event on its way to a client, beside its fields' text. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * Parses an entry from XREAD's or XRANGE's flat `[name, value, …]` list, or null for an entry
 * that concerns no job (`drained`, `paused`, an event of another tool, a broken entry). One pass,
 * no intermediate record.
 */
export function parseStreamEntry(cursor: string, flat: readonly string[]): StreamEntry | null {
  let event: string | undefined;
  let jobId: string | undefined;
  let prev: string | undefined;
  let data: string | undefined;
  let line: string | undefined;
  let returnvalue: string | undefined;
  let bytes = ENTRY_OVERHEAD_BYTES;
  for (let index = 0; index + 1 < flat.length; index += 2) {
    const value = flat[index + 1];
    bytes += value.length;
    switch (flat[index]) {
      case 'event':
        event = value;
        break;
      case 'jobId':
        jobId = value;
        break;
      case 'prev':
        prev = value;
        break;
      case 'data':
        data = value;
        break;
      case 'line':
        line = value;
        break;
      case 'returnvalue':
        returnvalue = value;
        break;
    }
  }
  const kind = event === undefined ? undefined : KINDS.get(event);
  if (!kind || !jobId) return null;
  switch (kind) {
    case 'waiting':
      return { kind, cursor, jobId, bytes, prev };
    case 'progress':
      return { kind, cursor, jobId, bytes, data };
    case 'log':
      return { kind, cursor, jobId, bytes, line: line ?? '' };
    case 'completed':
      return { kind, cursor, jobId, bytes, returnvalue };
    default:
      return { kind, cursor, jobId, bytes };
  }
}
