import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nestedDeeperThan } from '../../src/server/input-nesting';

/** `levels` objects and arrays, alternately, one inside the other. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level++) value = level % 2 === 0 ? { child: value } : [value];
  return value;
}

describe('input nesting', () => {
  it('counts objects and arrays, not scalars', () => {
    assert.equal(nestedDeeperThan(nested(3), 3), false);
    assert.equal(nestedDeeperThan(nested(4), 3), true);
    assert.equal(nestedDeeperThan('text', 0), false);
    assert.equal(nestedDeeperThan(null, 0), false);
    assert.equal(nestedDeeperThan(undefined, 0), false);
  });

  it('finds the deepest branch among wide ones', () => {
    assert.equal(nestedDeeperThan({ a: nested(2), b: [1, 2, nested(8)], c: {} }, 9), true);
    assert.equal(nestedDeeperThan({ a: nested(2), b: [1, 2, nested(7)], c: {} }, 9), false);
  });

  it('walks a million levels without overflowing the stack', () => {
    assert.equal(nestedDeeperThan(nested(1_000_000), 512), true);
  });
});
