import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobEvent, JobEventType } from '../../src/events/job-event';
import { PendingEvent } from '../../src/events/event-mapping';
import { SlowConsumerError, Watcher, type WatcherHome, type WatcherOptions } from '../../src/events/watcher';
import type { JobView } from '../../src/jobs/job-view';
import { runningJobView } from '../support/job-view';

const QUEUE = 'imports';

function view(jobId: string): JobView {
  return runningJobView(QUEUE, jobId);
}

function event(type: JobEventType, cursor: string, jobId = '1'): JobEvent {
  return new JobEvent(type, cursor, new Date(0), QUEUE, jobId, async () => view(jobId));
}

function pending(type: JobEventType, cursor: string, jobId = '1', approxBytes = 100): PendingEvent {
  return new PendingEvent(cursor, jobId, type === JobEventType.PROGRESS, approxBytes, event(type, cursor, jobId));
}

class Home implements WatcherHome {
  readonly queue = QUEUE;
  readonly gone: Watcher[] = [];
  left(watcher: Watcher): void {
    this.gone.push(watcher);
  }
}

function watcher(options: Partial<WatcherOptions> = {}, jobId: string | undefined = '1'): { watcher: Watcher; home: Home } {
  const home = new Home();
  return { watcher: new Watcher({ slowClientBytes: 1_000_000, ...options }, home, jobId), home };
}

/** `type@cursor` of the next `count` events. */
async function take(source: Watcher, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let index = 0; index < count; index++) {
    const step = await source.next();
    assert.equal(step.done, false, `event ${index} of ${count}`);
    seen.push(`${step.value.type}@${step.value.cursor}`);
  }
  return seen;
}

describe('Watcher holds live events until released', () => {
  it('delivers prepended events first and holds live ones until release', async () => {
    const { watcher: source } = watcher();
    source.push(pending(JobEventType.PROGRESS, '5-0'));
    assert.equal(source.idle, true, 'a live event is not deliverable while held');
    source.prepend([event(JobEventType.SNAPSHOT, '4-0')]);
    assert.equal(source.idle, false);
    assert.deepEqual(await take(source, 1), ['SNAPSHOT@4-0']);
    assert.equal(source.idle, true, 'still held after the snapshot went out');

    let resumed = 0;
    source.onWork({ resume: () => (resumed += 1) });
    source.release(undefined);
    assert.equal(resumed, 1, 'release wakes the waiting consumer');
    assert.deepEqual(await take(source, 1), ['PROGRESS@5-0']);
  });

  it('wakes a pending next() on release', async () => {
    const { watcher: source } = watcher();
    source.push(pending(JobEventType.ACTIVE, '7-0'));
    const next = source.next();
    let settled = false;
    void next.then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'held: next() waits');
    source.release(undefined);
    const step = await next;
    assert.equal(step.done, false);
    assert.equal(step.value?.cursor, '7-0');
  });
});

describe('Watcher floor', () => {
  it('drops live events at or before the snapshot cursor and delivers later ones in order', async () => {
    const { watcher: source } = watcher();
    for (const [type, cursor] of [
      [JobEventType.WAITING, '1-0'],
      [JobEventType.ACTIVE, '2-0'],
      [JobEventType.PROGRESS, '10-0'],
      [JobEventType.PROGRESS, '10-1'],
      [JobEventType.COMPLETED, '11-0'],
    ] as const)
      source.push(pending(type, cursor));
    source.prepend([event(JobEventType.SNAPSHOT, '10-0')]);
    source.release('10-0');
    // '10-0' equals the floor: dropped, the snapshot covers it.
    assert.deepEqual(await take(source, 3), ['SNAPSHOT@10-0', 'PROGRESS@10-1', 'COMPLETED@11-0']);
    assert.equal(source.idle, true);
  });

  it('compares cursors as numbers, not strings', async () => {
    const { watcher: source } = watcher();
    source.push(pending(JobEventType.PROGRESS, '9-0'));
    source.push(pending(JobEventType.PROGRESS, '100-0'));
    source.release('10-0');
    assert.deepEqual(await take(source, 1), ['PROGRESS@100-0']);
  });

  it('ends after the first final event when asked, and tells its home once', async () => {
    const { watcher: source, home } = watcher();
    source.endAfterFinal(false);
    source.release(undefined);
    source.push(pending(JobEventType.PROGRESS, '1-0'));
    source.push(pending(JobEventType.FAILED, '2-0'));
    source.push(pending(JobEventType.WAITING, '3-0'));
    assert.deepEqual(await take(source, 2), ['PROGRESS@1-0', 'FAILED@2-0']);
    assert.deepEqual(await source.next(), { done: true, value: undefined });
    assert.deepEqual(home.gone, [source]);
    source.close();
    assert.equal(home.gone.length, 1);
  });
});

describe('Watcher coalescing for slow clients', () => {
  it('keeps only the latest PROGRESS of a job once the client is slow', async () => {
    const { watcher: source } = watcher({ slowClientBytes: 150 });
    source.release(undefined);
    source.push(pending(JobEventType.ACTIVE, '1-0'));
    source.push(pending(JobEventType.PROGRESS, '2-0'));
    source.push(pending(JobEventType.PROGRESS, '3-0'));
    source.push(pending(JobEventType.PROGRESS, '4-0'));
    assert.equal(source.coalesced, 2);
    assert.deepEqual(await take(source, 2), ['ACTIVE@1-0', 'PROGRESS@4-0']);
  });

  it('never coalesces across a state change, and never drops a state change', async () => {
    const { watcher: source } = watcher({ slowClientBytes: 0 });
    source.release(undefined);
    source.push(pending(JobEventType.PROGRESS, '1-0'));
    source.push(pending(JobEventType.STALLED, '2-0'));
    source.push(pending(JobEventType.ACTIVE, '3-0'));
    source.push(pending(JobEventType.PROGRESS, '4-0'));
    source.push(pending(JobEventType.PROGRESS, '5-0'));
    source.push(pending(JobEventType.COMPLETED, '6-0'));
    assert.equal(source.coalesced, 1);
    assert.deepEqual(await take(source, 5), ['PROGRESS@1-0', 'STALLED@2-0', 'ACTIVE@3-0', 'PROGRESS@5-0', 'COMPLETED@6-0']);
  });

  it("coalesces per job: one job's PROGRESS does not replace another's", async () => {
    const { watcher: source } = watcher({ slowClientBytes: 0 }, undefined);
    source.release(undefined);
    source.push(pending(JobEventType.PROGRESS, '1-0', 'a'));
    source.push(pending(JobEventType.PROGRESS, '2-0', 'b'));
    source.push(pending(JobEventType.PROGRESS, '3-0', 'a'));
    assert.equal(source.coalesced, 1);
    assert.deepEqual(await take(source, 2), ['PROGRESS@2-0', 'PROGRESS@3-0']);
  });

  it('keeps every PROGRESS while the client keeps up', async () => {
    const { watcher: source } = watcher({ slowClientBytes: 10_000 });
    source.release(undefined);
    for (const cursor of ['1-0', '2-0', '3-0']) source.push(pending(JobEventType.PROGRESS, cursor));
    assert.equal(source.coalesced, 0);
    assert.deepEqual(await take(source, 3), ['PROGRESS@1-0', 'PROGRESS@2-0', 'PROGRESS@3-0']);
  });

  it("counts the bytes buffered in the client's socket", async () => {
    const socket = { bufferedAmount: 0 };
    const { watcher: source } = watcher({ slowClientBytes: 1_000, socket });
    source.release(undefined);
    source.push(pending(JobEventType.PROGRESS, '1-0'));
    source.push(pending(JobEventType.PROGRESS, '2-0'));
    assert.equal(source.coalesced, 0, '200 queued bytes is under 1,000');
    socket.bufferedAmount = 5_000;
    source.push(pending(JobEventType.PROGRESS, '3-0'));
    assert.equal(source.coalesced, 2);
    assert.deepEqual(await take(source, 1), ['PROGRESS@3-0']);
  });

  it('fails as a slow consumer rather than dropping state changes past maxQueued', async () => {
    const { watcher: source, home } = watcher({ slowClientBytes: 0, maxQueued: 3 });
    source.release(undefined);
    for (const cursor of ['1-0', '2-0', '3-0']) source.push(pending(JobEventType.STALLED, cursor));
    assert.equal(source.idle, false);
    source.push(pending(JobEventType.ACTIVE, '4-0'));
    await assert.rejects(source.next(), SlowConsumerError);
    assert.deepEqual(home.gone, [source]);
  });
});

describe('Watcher hands over events without a promise', () => {
  it('gives a built event at once, and none while held', () => {
    const { watcher: source } = watcher();
    source.push(pending(JobEventType.PROGRESS, '5-0'));
    assert.equal(source.takeNow(), undefined, 'held until release');
    source.release(undefined);
    assert.equal(source.takeNow()?.cursor, '5-0');
    assert.equal(source.takeNow(), undefined, 'nothing more');
    assert.equal(source.idle, true);
  });

  it('waits idle while its first event is built, and resumes its consumer once it is', async () => {
    const { watcher: source } = watcher();
    source.release(undefined);
    let build: (built: JobEvent) => void = () => undefined;
    const building = new Promise<JobEvent>((resolve) => (build = resolve));
    source.push(new PendingEvent('6-0', '1', false, 100, building));
    assert.equal(source.idle, true, 'nothing to hand over yet');
    const resumed = new Promise<void>((resolve) => source.onWork({ resume: resolve }));
    build(event(JobEventType.DELAYED, '6-0'));
    await resumed;
    assert.equal(source.takeNow()?.type, JobEventType.DELAYED);
  });

  it('leaves an event to next() when a check needs its job and the job is not read yet', async () => {
    const { watcher: source } = watcher();
    source.remember(view('1'));
    source.release(undefined);
    source.push(pending(JobEventType.COMPLETED, '7-0'));
    assert.equal(source.takeNow(), undefined, 'the job is read first');
    assert.equal(source.idle, false, 'next() reads it');
    assert.deepEqual(await take(source, 1), ['COMPLETED@7-0']);
    const known = event(JobEventType.PROGRESS, '8-0').withJob(view('1'));
    source.push(new PendingEvent('8-0', '1', true, 100, known));
    assert.equal(source.takeNow(), known, 'a known job is checked at once');
  });
});
