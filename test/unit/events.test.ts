import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareStreamIds, isStreamId, nextStreamId } from '../../src/events/stream-id';
import { parseGlobalId, toGlobalId } from '../../src/jobs/job-id';
import { progressOf, stateOf, CANCELLED_REASON_PREFIX, JobState } from '../../src/jobs/job-view';

describe('stream cursors', () => {
  it('orders ids numerically, not as strings', () => {
    assert.ok(compareStreamIds('99-0', '100-0') < 0);
    assert.ok(compareStreamIds('100-10', '100-9') > 0);
    assert.equal(compareStreamIds('5-5', '5-5'), 0);
    assert.equal(nextStreamId('100-9'), '100-10');
  });

  it('orders parts past what a double holds exactly, and parts with leading zeros', () => {
    assert.ok(compareStreamIds('1-18446744073709551615', '1-18446744073709551614') > 0);
    assert.ok(compareStreamIds('9007199254740993-0', '9007199254740992-0') > 0);
    assert.ok(compareStreamIds('1795316597597-0', '18446744073709551615-0') < 0);
    assert.equal(compareStreamIds('0001-02', '1-2'), 0);
    assert.equal(compareStreamIds('7', '7-0'), 0);
  });

  it('accepts only well-formed ids', () => {
    assert.ok(isStreamId('1795316597597-0'));
    for (const bad of ['', '123', 'abc-1', '1-2-3', '$', '+']) assert.ok(!isStreamId(bad), bad);
  });
});

describe('job ids', () => {
  it('round-trips queue and BullMQ id', () => {
    assert.deepEqual(parseGlobalId(toGlobalId({ queue: 'imports', jobId: '42' })), { queue: 'imports', jobId: '42' });
    assert.deepEqual(parseGlobalId('default:repeat:beat:1:1795318963665'), { queue: 'default', jobId: 'repeat:beat:1:1795318963665' });
  });

  it('refuses malformed ids as BAD_USER_INPUT', () => {
    for (const bad of ['42', 'imports:', ':42', 'Imports:1', 'a b:1', 'imports:1:2']) {
      assert.throws(
        () => parseGlobalId(bad),
        (error: unknown) => (error as { extensions: { code: string } }).extensions.code === 'BAD_USER_INPUT',
        bad,
      );
    }
  });
});

describe('job views', () => {
  it('derives percent from current/total, as Celery PROGRESS meta did', () => {
    assert.deepEqual(progressOf({ current: 3, total: 4 }), { percent: 75, current: 3, total: 4, message: null, data: null });
    assert.equal(progressOf(42)?.percent, 42);
    assert.equal(progressOf(0)?.percent, 0);
    assert.equal(progressOf(undefined), null);
  });

  it('tells a cancelled job from a failed one', () => {
    assert.equal(stateOf('failed', `${CANCELLED_REASON_PREFIX}cancelled by ana`), JobState.CANCELLED);
    assert.equal(stateOf('failed', 'boom'), JobState.FAILED);
    assert.equal(stateOf('prioritized', null), JobState.PRIORITIZED);
    assert.equal(stateOf('nonsense', null), JobState.UNKNOWN);
  });
});
