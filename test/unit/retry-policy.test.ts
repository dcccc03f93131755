import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  backoffDelay,
  cappedDelay,
  checkBackoffDefinition,
  MAX_BACKOFF_MS,
  toJobBackoff,
  toStoredBackoff,
} from '../../src/jobs/retry-policy';

describe('backoff delays (Celery retry_backoff, retry_backoff_max, retry_jitter)', () => {
  it('grows exponentially, then holds at the cap', () => {
    const backoff = toStoredBackoff({ type: 'exponential', delayMs: 1000, maxDelayMs: 5000 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map((retry) => cappedDelay(backoff, retry)),
      [1000, 2000, 4000, 5000, 5000],
    );
    assert.equal(cappedDelay(toStoredBackoff({ type: 'fixed', delayMs: 300 }), 7), 300);
  });

  it('never goes past 2^31 - 1 ms, however many retries', () => {
    assert.equal(cappedDelay(toStoredBackoff({ type: 'exponential', delayMs: 2_000_000_000 }), 99), MAX_BACKOFF_MS);
  });

  it('takes a random part of up to `jitter` off each delay: [d × (1 - jitter), d]', () => {
    const backoff = toStoredBackoff({ type: 'exponential', delayMs: 1000, maxDelayMs: 3000, jitter: 0.5 });
    assert.equal(
      backoffDelay(backoff, 3, () => 0),
      3000,
    );
    assert.equal(
      backoffDelay(backoff, 3, () => 0.999999),
      1500,
    );
    assert.equal(
      backoffDelay(backoff, 1, () => 0.5),
      750,
    );
    // jitter 1 is Celery's retry_jitter=True: from 0 to the delay.
    assert.equal(
      backoffDelay(toStoredBackoff({ type: 'fixed', delayMs: 1000, jitter: 1 }), 1, () => 0.999999),
      0,
    );
    for (let i = 0; i < 1000; i++) {
      const delay = backoffDelay(backoff, 2);
      assert.ok(delay >= 1000 && delay <= 2000, String(delay));
    }
  });

  it('stores no backoff as an immediate retry, left to the type countdowns', () => {
    assert.deepEqual(toStoredBackoff(undefined), { type: 'jobgate', delay: 0, growth: 'fixed' });
    assert.equal(backoffDelay(toStoredBackoff(undefined), 3), 0);
  });

  it("gives a job BullMQ's own backoff when that says it all, so any BullMQ worker retries it alike", () => {
    assert.deepEqual(toJobBackoff({ type: 'exponential', delayMs: 1000 }, false), { type: 'exponential', delay: 1000 });
    assert.deepEqual(toJobBackoff({ type: 'fixed', delayMs: 50, jitter: 0.5 }, false), { type: 'fixed', delay: 50, jitter: 0.5 });
    assert.equal(toJobBackoff(undefined, false), undefined, 'an immediate retry needs no backoff');
    assert.equal(toJobBackoff({ type: 'fixed', delayMs: 50, maxDelayMs: 50 }, false)?.type, 'jobgate', 'a cap needs the strategy');
    assert.equal(toJobBackoff({ type: 'fixed', delayMs: 50 }, true)?.type, 'jobgate', "the type's countdowns need the strategy");
    assert.equal(toJobBackoff(undefined, true)?.type, 'jobgate');
  });

  it("refuses a job type's backoff out of range at start", () => {
    const check = (backoff: object) => () =>
      checkBackoffDefinition({ name: 'x', defaults: { backoff: backoff as { type: 'fixed'; delayMs: number } } });
    assert.throws(check({ type: 'fixed', delayMs: 1000, jitter: 2 }), /jitter/);
    assert.throws(check({ type: 'fixed', delayMs: 1000, maxDelayMs: 10 }), /maxDelayMs/);
    assert.throws(check({ type: 'fixed', delayMs: -1 }), /delayMs/);
    assert.doesNotThrow(check({ type: 'exponential', delayMs: 1000, maxDelayMs: 60_000, jitter: 0.5 }));
  });
});
