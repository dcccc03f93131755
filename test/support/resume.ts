import assert from 'node:assert/strict';
import { compareStreamIds } from '../../src/events/stream-id';

/** What a resume comparison needs of an event. */
export interface CursorEvent {
  type: string;
  cursor: string;
}

const key = (event: CursorEvent): string => `${event.cursor}/${event.type}`;

/**
 * Asserts that a watch cut in two (`firstHalf` from its SNAPSHOT, `secondHalf` resumed with
 * `since` = the first half's last cursor) saw exactly what an uninterrupted `reference` watch
 * saw after the first half's snapshot: no hole, no duplicate, same order.
 */
export function assertResumedWithoutLoss(
  reference: CursorEvent[],
  firstHalf: CursorEvent[],
  secondHalf: CursorEvent[],
  what: string,
): void {
  assert.equal(firstHalf[0]?.type, 'SNAPSHOT', `${what}: the first half starts with a SNAPSHOT`);
  assert.ok(!secondHalf.some((event) => event.type === 'SNAPSHOT'), `${what}: no SNAPSHOT when resuming`);
  const union = [...firstHalf.slice(1), ...secondHalf].map(key);
  assert.equal(new Set(union).size, union.length, `${what}: no duplicate`);
  const snapshotCursor = firstHalf[0].cursor;
  const expected = reference.filter((event) => event.type !== 'SNAPSHOT' && compareStreamIds(event.cursor, snapshotCursor) > 0).map(key);
  assert.deepEqual(union, expected, `${what}: the halves equal the uninterrupted watch`);
}
