import { badInput } from '../errors';
import { isStreamId } from './stream-id';

/** What opens a flow cursor, so that a `jobEvents` cursor given to `flowEvents` (or the reverse) is told apart. */
const PREFIX = 'flow.';
/** Longest cursor accepted: a tree spans a few queues, each position ~30 characters. */
const MAX_CURSOR_LENGTH = 4096;

/**
 * Where a `flowEvents` watch is in each queue the tree spans: the id of the last entry of
 * that queue delivered (or covered by the SNAPSHOT). Per queue, because a tree's jobs live in
 * several streams whose ids do not compare.
 */
export type FlowPositions = ReadonlyMap<string, string>;

/** The opaque cursor clients give back as `since`: the positions, sorted by queue, as base64url JSON. */
export function encodeFlowCursor(positions: FlowPositions): string {
  const pairs = [...positions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return PREFIX + Buffer.from(JSON.stringify(pairs)).toString('base64url');
}

/** The positions of a cursor from `encodeFlowCursor`; BAD_USER_INPUT on `since` for anything else. */
export function decodeFlowCursor(since: string): FlowPositions {
  const refuse = (): never => {
    throw badInput('since', `"${since.slice(0, 50)}" is not a flowEvents cursor`);
  };
  if (!since.startsWith(PREFIX) || since.length > MAX_CURSOR_LENGTH) return refuse();
  let pairs: unknown;
  try {
    pairs = JSON.parse(Buffer.from(since.slice(PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return refuse();
  }
  if (!Array.isArray(pairs) || pairs.length === 0) return refuse();
  const positions = new Map<string, string>();
  for (const pair of pairs as unknown[]) {
    if (!Array.isArray(pair) || pair.length !== 2) return refuse();
    const [queue, id] = pair as unknown[];
    if (typeof queue !== 'string' || typeof id !== 'string' || !isStreamId(id) || positions.has(queue)) return refuse();
    positions.set(queue, id);
  }
  return positions;
}
