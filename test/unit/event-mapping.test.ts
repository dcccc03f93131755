import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { isGoneView, toPendingEvent, type RunningJobViews } from '../../src/events/event-mapping';
import { JobEventType } from '../../src/events/job-event';
import { CUSTOM_EVENTS, parseStreamEntry, type StreamEntry } from '../../src/events/stream-entry';
import type { JobAddress } from '../../src/jobs/job-id';
import type { JobReader } from '../../src/jobs/job-reader';
import { CANCELLED_REASON_PREFIX, JobState, type JobView } from '../../src/jobs/job-view';

const QUEUE = 'imports';
const CURSOR = '1795316597597-3';

/** The fields of a stored BullMQ job that the mapping reads. */
interface StoredJob {
  attemptsMade?: number;
  /** `attemptsMade` when absent. */
  attemptsStarted?: number;
  failedReason?: string;
  finishedOn?: number;
  processedOn?: number;
  delay?: number;
}

function job(stored: StoredJob): Job {
  return {
    id: '42',
    queueName: QUEUE,
    name: 'report',
    data: { n: 1 },
    opts: { attempts: 3, jobgate: { owner: 'jwt:ana' } },
    progress: 0,
    returnvalue: null,
    failedReason: stored.failedReason ?? '',
    attemptsMade: stored.attemptsMade ?? 0,
    attemptsStarted: stored.attemptsStarted ?? stored.attemptsMade ?? 0,
    timestamp: 1_000,
    processedOn: stored.processedOn,
    finishedOn: stored.finishedOn,
    delay: stored.delay ?? 0,
  } as unknown as Job;
}

class Store implements JobReader {
  fetches = 0;
  constructor(
    private readonly stored: Job | undefined,
    private readonly tomb?: JobView,
  ) {}
  fetch(_address: JobAddress): Promise<Job | undefined> {
    this.fetches += 1;
    return Promise.resolve(this.stored);
  }
  load(): Promise<JobView | undefined> {
    return Promise.reject(new Error('not used by the mapping'));
  }
  tombstone(address: JobAddress): Promise<JobView | undefined> {
    assert.deepEqual(address, { queue: QUEUE, jobId: '42' });
    return Promise.resolve(this.tomb);
  }
}

/** The entry BullMQ would write for job 42: event `name` with `fields`. */
function entry(name: string, fields: Record<string, string> = {}, jobId = '42'): StreamEntry | null {
  return parseStreamEntry(CURSOR, ['event', name, 'jobId', jobId, ...Object.entries(fields).flat()]);
}

/** The entry, which must concern a job. */
function jobEntry(name: string, fields: Record<string, string> = {}): StreamEntry {
  const parsed = entry(name, fields);
  assert.ok(parsed, `${name} concerns a job`);
  return parsed;
}

const tombstone = { jobId: '42', queue: QUEUE, state: JobState.CANCELLED } as JobView;

interface Row {
  what: string;
  name: string;
  fields?: Record<string, string>;
  stored?: StoredJob | null;
  tomb?: JobView;
  type: JobEventType;
  final: boolean;
  /** The job's state as of the event. */
  state: JobState;
}

const table: Row[] = [
  { what: 'a new job', name: 'waiting', type: JobEventType.WAITING, final: false, state: JobState.WAITING },
  {
    what: 'a job moved back after failing',
    name: 'waiting',
    fields: { prev: 'failed' },
    type: JobEventType.RETRYING,
    final: false,
    state: JobState.WAITING,
  },
  {
    what: 'an immediate retry (no backoff)',
    name: 'waiting',
    fields: { prev: 'active' },
    stored: { attemptsMade: 1, failedReason: 'boom' },
    type: JobEventType.RETRYING,
    final: false,
    state: JobState.WAITING,
  },
  {
    what: 'an immediate retry read once the next attempt started',
    name: 'waiting',
    fields: { prev: 'active' },
    stored: { attemptsMade: 1, attemptsStarted: 2, failedReason: 'boom', processedOn: 2_500 },
    type: JobEventType.RETRYING,
    final: false,
    state: JobState.WAITING,
  },
  {
    what: 'a first attempt handed back on shutdown',
    name: 'waiting',
    fields: { prev: 'active' },
    stored: { attemptsMade: 0, attemptsStarted: 1, processedOn: 2_000 },
    type: JobEventType.WAITING,
    final: false,
    state: JobState.WAITING,
  },
  {
    what: 'a second attempt handed back, read once it started again',
    name: 'waiting',
    fields: { prev: 'active' },
    stored: { attemptsMade: 1, attemptsStarted: 3, failedReason: 'boom', processedOn: 2_500 },
    type: JobEventType.WAITING,
    final: false,
    state: JobState.WAITING,
  },
  {
    what: 'a parent waiting for children',
    name: 'waiting-children',
    type: JobEventType.WAITING,
    final: false,
    state: JobState.WAITING_CHILDREN,
  },
  {
    what: 'a first delay',
    name: 'delayed',
    stored: { attemptsMade: 0, delay: 5_000 },
    type: JobEventType.DELAYED,
    final: false,
    state: JobState.DELAYED,
  },
  {
    what: 'a backoff after an attempt',
    name: 'delayed',
    stored: { attemptsMade: 1, processedOn: 2_000 },
    type: JobEventType.RETRYING,
    final: false,
    state: JobState.DELAYED,
  },
  {
    what: 'a delay of a job already gone',
    name: 'delayed',
    stored: null,
    type: JobEventType.DELAYED,
    final: false,
    state: JobState.UNKNOWN,
  },
  {
    what: 'a run starting',
    name: 'active',
    stored: { processedOn: 2_000 },
    type: JobEventType.ACTIVE,
    final: false,
    state: JobState.ACTIVE,
  },
  { what: 'progress', name: 'progress', fields: { data: '50' }, type: JobEventType.PROGRESS, final: false, state: JobState.ACTIVE },
  {
    what: 'completion',
    name: 'completed',
    stored: { finishedOn: 3_000 },
    type: JobEventType.COMPLETED,
    final: true,
    state: JobState.COMPLETED,
  },
  {
    what: 'a last failure',
    name: 'failed',
    stored: { attemptsMade: 3, failedReason: 'boom', finishedOn: 3_000 },
    type: JobEventType.FAILED,
    final: true,
    state: JobState.FAILED,
  },
  {
    what: 'a failure with attempts left',
    name: 'failed',
    stored: { attemptsMade: 1, failedReason: 'boom' },
    type: JobEventType.RETRYING,
    final: false,
    state: JobState.WAITING,
  },
  {
    what: 'a cancel while running',
    name: 'failed',
    stored: { attemptsMade: 1, failedReason: `${CANCELLED_REASON_PREFIX}cancelled by ana`, finishedOn: 3_000 },
    type: JobEventType.CANCELLED,
    final: true,
    state: JobState.CANCELLED,
  },
  {
    what: 'a failure whose reason only contains the prefix',
    name: 'failed',
    stored: { failedReason: `x ${CANCELLED_REASON_PREFIX}`, finishedOn: 3_000 },
    type: JobEventType.FAILED,
    final: true,
    state: JobState.FAILED,
  },
  { what: 'a stall', name: 'stalled', type: JobEventType.STALLED, final: false, state: JobState.WAITING },
  {
    what: 'a removal with a tombstone (cancelled before running)',
    name: 'removed',
    stored: null,
    tomb: tombstone,
    type: JobEventType.CANCELLED,
    final: true,
    state: JobState.CANCELLED,
  },
  { what: 'a removal', name: 'removed', stored: null, type: JobEventType.REMOVED, final: true, state: JobState.UNKNOWN },
  {
    what: 'a log line',
    name: CUSTOM_EVENTS.LOG,
    fields: { line: 'step 2' },
    stored: { processedOn: 2_000 },
    type: JobEventType.LOG,
    final: false,
    state: JobState.ACTIVE,
  },
  {
    what: 'a log line read after the job completed, an earlier attempt having failed',
    name: CUSTOM_EVENTS.LOG,
    fields: { line: 'step 2' },
    stored: { attemptsMade: 2, failedReason: 'boom', processedOn: 2_000, finishedOn: 3_000 },
    type: JobEventType.LOG,
    final: false,
    state: JobState.ACTIVE,
  },
];

describe('stream entries become Jobgate events', () => {
  for (const row of table) {
    it(`${row.name}: ${row.what} is ${row.type}`, async () => {
      const store = new Store(row.stored === null ? undefined : job(row.stored ?? {}), row.tomb);
      const pending = toPendingEvent(QUEUE, jobEntry(row.name, row.fields), store);
      assert.equal(pending.cursor, CURSOR);
      assert.equal(pending.jobId, '42');
      assert.equal(pending.isProgress, row.type === JobEventType.PROGRESS);
      const event = await pending.event;
      assert.equal(event.type, row.type);
      assert.equal(event.isFinal, row.final);
      assert.equal(event.queue, QUEUE);
      assert.equal(event.at.getTime(), 1795316597597);
      assert.equal(event.log, row.type === JobEventType.LOG ? 'step 2' : null);
      const view = await event.job();
      assert.equal(view.state, row.state);
    });
  }

  it('takes the progress of a PROGRESS event from the entry, not the stored job', async () => {
    const pending = toPendingEvent(QUEUE, jobEntry('progress', { data: '{"current":3,"total":4}' }), new Store(job({})));
    const view = await (await pending.event).job();
    assert.deepEqual(view.progress, { percent: 75, current: 3, total: 4, message: null, data: null });
  });

  it('shows a job absent when its event is read as gone, at the time of its cursor', async () => {
    const pending = toPendingEvent(QUEUE, jobEntry('completed'), new Store(undefined));
    const view = await (await pending.event).job();
    assert.equal(isGoneView(view), true);
    assert.equal(view.id, 'imports:42');
    assert.equal(view.createdAt.getTime(), 1795316597597);
  });

  it('reads the job only when someone asks, and once, unless the type depends on it', async () => {
    const lazy = new Store(job({ finishedOn: 3_000 }));
    const completed = await toPendingEvent(QUEUE, jobEntry('completed'), lazy).event;
    assert.equal(lazy.fetches, 0);
    await completed.job();
    await completed.job();
    assert.equal(lazy.fetches, 1);

    const eager = new Store(job({ attemptsMade: 1 }));
    const delayed = await toPendingEvent(QUEUE, jobEntry('delayed'), eager).event;
    assert.equal(eager.fetches, 1, 'delayed needs attemptsMade to tell a retry');
    await delayed.job();
    assert.equal(eager.fetches, 1, 'the classification read is reused');
  });

  it("builds a running job's PROGRESS events with the job read at ACTIVE: no read and no wait", async () => {
    const store = new Store(job({ processedOn: 2_000 }));
    const running: RunningJobViews = new Map();
    const active = toPendingEvent(QUEUE, jobEntry('active'), store, running);
    assert.ok(active.value, 'an ACTIVE event is built at once (its job is read for its watchers)');
    await active.value.job();
    const progress = toPendingEvent(QUEUE, jobEntry('progress', { data: '{"current":1,"total":4}' }), store, running);
    assert.ok(progress.value, 'built at once');
    assert.equal(progress.value.loadedJob?.progress?.percent, 25, 'with its job, as of this event');
    const next = toPendingEvent(QUEUE, jobEntry('progress', { data: '{"current":2,"total":4}' }), store, running);
    assert.equal(next.value?.loadedJob?.progress?.percent, 50);
    assert.equal(store.fetches, 1, 'one read for the run');
  });

  it("builds the COMPLETED event of a watched run from the run's view and the entry: no read, the job finished", async () => {
    const store = new Store(job({ attemptsMade: 1, attemptsStarted: 2, failedReason: 'boom', processedOn: 2_000, finishedOn: 2_900 }));
    const running: RunningJobViews = new Map();
    await toPendingEvent(QUEUE, jobEntry('active'), store, running).value?.job();
    toPendingEvent(QUEUE, jobEntry('progress', { data: '{"current":4,"total":4}' }), store, running);
    const completed = toPendingEvent(QUEUE, jobEntry('completed', { returnvalue: '{"rows":7}', prev: 'active' }), store, running);
    const view = completed.value?.loadedJob;
    assert.ok(view, 'built at once, with its job');
    assert.equal(completed.value?.type, JobEventType.COMPLETED);
    assert.equal(store.fetches, 1, 'the read at ACTIVE only');
    assert.equal(view.state, JobState.COMPLETED);
    assert.deepEqual(view.result, { rows: 7 });
    assert.equal(view.progress?.percent, 100, 'the last progress reported');
    assert.deepEqual([view.attempt, view.attemptsMade, view.maxAttempts], [2, 2, 3], 'the second attempt, counted');
    assert.equal(view.failedReason, null, 'the failed first attempt is not the outcome');
    assert.equal(view.stacktrace, null);
    assert.equal(view.startedAt?.getTime(), 2_000);
    assert.equal(view.owner, 'jwt:ana');
    assert.equal(running.has('42'), false, 'the run is over');
    assert.equal(store.fetches, 1, 'nothing read to build it');
    assert.equal((await view.storedFinishedAt?.())?.getTime(), 2_900, "the worker's finish time, read when asked");
    assert.equal(store.fetches, 2, 'read once asked');
  });

  it('reads the job of a COMPLETED event whose run it did not follow, or whose entry has no return value', async () => {
    const unfollowed = new Store(job({ attemptsMade: 1, finishedOn: 3_000 }));
    const first = toPendingEvent(QUEUE, jobEntry('completed', { returnvalue: 'null' }), unfollowed, new Map());
    assert.equal(first.value?.loadedJob, undefined);
    assert.equal((await first.value?.job())?.finishedAt?.getTime(), 3_000, "the worker's time, as stored");
    assert.equal(unfollowed.fetches, 1);

    const store = new Store(job({ attemptsMade: 1, processedOn: 2_000, finishedOn: 3_000 }));
    const running: RunningJobViews = new Map();
    await toPendingEvent(QUEUE, jobEntry('active'), store, running).value?.job();
    const bare = toPendingEvent(QUEUE, jobEntry('completed'), store, running);
    assert.equal(bare.value?.loadedJob, undefined);
    await bare.value?.job();
    assert.equal(store.fetches, 2);
  });

  it('tells a waiting watcher once an event whose type needs the job is built', async () => {
    const pending = toPendingEvent(QUEUE, jobEntry('delayed'), new Store(job({ attemptsMade: 1 })));
    assert.equal(pending.settled, false, 'a delay or a retry: known once the job is read');
    const built = new Promise<void>((resolve) => pending.whenBuilt({ eventBuilt: resolve }));
    await built;
    assert.equal(pending.value?.type, JobEventType.RETRYING);
  });

  it('sizes an entry by its fields, for the slow-client budget', () => {
    const pending = toPendingEvent(QUEUE, jobEntry('progress', { data: 'x'.repeat(1000) }), new Store(undefined));
    assert.equal(pending.approxBytes, 256 + 'progress'.length + 2 + 1000);
  });
});

describe('stream entries are parsed once', () => {
  it('keeps the fields its kind needs', () => {
    assert.deepEqual(entry('waiting', { prev: 'failed' }), {
      kind: 'waiting',
      cursor: CURSOR,
      jobId: '42',
      bytes: 256 + 15,
      prev: 'failed',
    });
    assert.deepEqual(entry('progress', { data: '7' }), { kind: 'progress', cursor: CURSOR, jobId: '42', bytes: 256 + 11, data: '7' });
    assert.deepEqual(entry(CUSTOM_EVENTS.LOG, { line: 'hi' }), { kind: 'log', cursor: CURSOR, jobId: '42', bytes: 256 + 15, line: 'hi' });
    assert.deepEqual(entry('completed', { returnvalue: '{}' }), {
      kind: 'completed',
      cursor: CURSOR,
      jobId: '42',
      bytes: 256 + 13,
      returnvalue: '{}',
    });
  });

  it('ignores entries without a job id and events that concern no job', () => {
    assert.equal(entry('completed', {}, ''), null);
    assert.equal(parseStreamEntry(CURSOR, ['event', 'completed']), null);
    for (const name of ['drained', 'paused', 'duplicated', 'retries-exhausted']) assert.equal(entry(name), null, name);
  });
});
