import type { JobType as BullJobState } from 'bullmq';
import type { Config } from '../config';
import { badInput } from '../errors';
import { jobgateKey, type RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import { indexingArgs, indexingKeys, INDEX_JOBS_LUA, ownerIndexKey, stateKeys } from './job-index';
import type { JobStore } from './job-store';
import { JobState, stateOf, viewOf, type JobView } from '../jobs/job-view';

/** Largest page a list field serves (`jobs`, `Queue.activeJobs`); the cost limit counts a variable `first` as this. */
export const MAX_PAGE_SIZE = 500;

/** One page of jobs, newest first within each state. */
export interface JobPage {
  views: JobView[];
  /** Offset of each view, for its cursor. */
  offsets: number[];
  totalCount: number;
  hasNextPage: boolean;
}

const LISTED: [JobState, BullJobState][] = [
  [JobState.ACTIVE, 'active'],
  [JobState.WAITING, 'waiting'],
  [JobState.PRIORITIZED, 'prioritized'],
  [JobState.DELAYED, 'delayed'],
  [JobState.WAITING_CHILDREN, 'waiting-children'],
  [JobState.COMPLETED, 'completed'],
  [JobState.FAILED, 'failed'],
];

/** The ids of one state on the page: `base` is where the state starts in the listing, `from` the first id's rank in it. */
interface Slice {
  type: BullJobState;
  base: number;
  from: number;
  ids: string[];
}

/** Opaque page cursors: the offset in the listing, base64url-encoded. */
export const encodeOffset = (offset: number): string => Buffer.from(`o:${offset}`).toString('base64url');

export function decodeOffset(cursor: string): number {
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badInput('after', `"${cursor.slice(0, 50)}" is not a cursor of this listing`);
  return Number(match[1]);
}

/**
 * One owner's page of a queue, in Redis, without reading other owners' jobs, from the owner's
 * index (see INDEX_JOBS_LUA, which first indexes the jobs added since the last call).
 *
 * Counts and pages per state, in the listing's order, newest first within a state:
 * - sorted-set states (prioritized, delayed, waiting-children, completed, failed): the index
 *   intersected with the state's set (ZINTERSTORE, in Redis; removed jobs are in no state's set);
 * - active: the active list (as long as the workers' concurrency), each id looked up in the index;
 * - waiting: the index minus the sorted-set states and the active jobs (ZDIFFSTORE), minus the
 *   jobs removed since they were indexed, which leave the index on the way.
 *
 * KEYS: 1 the owner's index, 2 scratch set (deleted before returning), 3 to 7 the indexing keys
 *   (`indexingKeys`), 8 active list, 9 to 13 prioritized, delayed, waiting-children, completed, failed.
 * ARGV: 1 to 3 the indexing arguments (`indexingArgs`: job key prefix, owner index key prefix,
 *   most ids to index), 4 offset, 5 page size, 6… BullMQ states to list, in order.
 * Returns {n} when n more ids must be indexed first (call again), else
 * {0, total, {{state, base, from, {ids…}}…}}.
 */
const OWNER_PAGE_SCRIPT = `${INDEX_JOBS_LUA}
local rcall = redis.call
local indexKey, scratch, activeKey = KEYS[1], KEYS[2], KEYS[8]
local sorted = { prioritized = KEYS[9], delayed = KEYS[10], ['waiting-children'] = KEYS[11], completed = KEYS[12], failed = KEYS[13] }
local jobPrefix = ARGV[1]
local start, first = tonumber(ARGV[4]), tonumber(ARGV[5])

local function exists(id) return rcall('EXISTS', jobPrefix .. id) == 1 end

-- 1. Index the jobs added since the last call, at most ARGV[3] ids of them.
local left = indexNewJobs(KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], jobPrefix, ARGV[2], tonumber(ARGV[3]))
if left > 0 then return { left } end

-- 2. Count the owner's jobs state by state, and take the page's ids.
local ownActive
local function activeOfOwner()
  if not ownActive then
    ownActive = {}
    for _, id in ipairs(rcall('LRANGE', activeKey, 0, -1)) do
      if rcall('ZSCORE', indexKey, id) then ownActive[#ownActive + 1] = id end
    end
  end
  return ownActive
end

local function waitingOfOwner()
  local diff = redis.pcall('ZDIFFSTORE', scratch, 6, indexKey, sorted.prioritized, sorted.delayed, sorted['waiting-children'], sorted.completed, sorted.failed)
  if type(diff) == 'table' and diff.err then
    -- Redis before 6.2: the same difference, one lookup at a time.
    rcall('DEL', scratch)
    local entries = rcall('ZRANGE', indexKey, 0, -1, 'WITHSCORES')
    for i = 1, #entries, 2 do
      local id = entries[i]
      if not (rcall('ZSCORE', sorted.prioritized, id) or rcall('ZSCORE', sorted.delayed, id) or rcall('ZSCORE', sorted['waiting-children'], id)
          or rcall('ZSCORE', sorted.completed, id) or rcall('ZSCORE', sorted.failed, id)) then
        rcall('ZADD', scratch, entries[i + 1], id)
      end
    end
  end
  local active = activeOfOwner()
  for i = 1, #active, 1000 do rcall('ZREM', scratch, unpack(active, i, math.min(i + 999, #active))) end
  -- Left: waiting jobs, and jobs removed since they were indexed (not in any state any more).
  local ids = rcall('ZRANGE', scratch, 0, -1)
  for i = 1, #ids, 1000 do
    local j = math.min(i + 999, #ids)
    local keys = {}
    for k = i, j do keys[#keys + 1] = jobPrefix .. ids[k] end
    if rcall('EXISTS', unpack(keys)) < #keys then
      for k = i, j do
        if not exists(ids[k]) then
          rcall('ZREM', scratch, ids[k])
          rcall('ZREM', indexKey, ids[k])
        end
      end
    end
  end
  return rcall('ZCARD', scratch)
end

local total, base, slices = 0, 0, {}
for i = 6, #ARGV do
  local state = ARGV[i]
  local count
  if state == 'active' then
    count = #activeOfOwner()
  elseif state == 'waiting' then
    count = waitingOfOwner()
  else
    count = rcall('ZINTERSTORE', scratch, 2, sorted[state], indexKey, 'WEIGHTS', 1, 0)
  end
  local from = math.max(start - base, 0)
  local to = math.min(start + first - base, count) - 1
  if to >= from then
    local ids
    if state == 'active' then ids = { unpack(ownActive, from + 1, to + 1) } else ids = rcall('ZREVRANGE', scratch, from, to) end
    slices[#slices + 1] = { state, base, from, ids }
  end
  total = total + count
  base = base + count
end
rcall('DEL', scratch)
return { 0, total, slices }
`;

type OwnerPageReply = [number] | [0, number, [BullJobState, number, number, string[]][]];

/**
 * Lists a queue's jobs by state with offset cursors. For a caller who reads every job, the
 * page is read with one count call, one range read per state it spans, and one HGETALL per
 * job: three round trips in all. For an owner (a caller who sees only its own jobs), counts
 * and ids come from one script over the owner's index, then one HGETALL per job of the page:
 * other owners' jobs are neither read nor counted.
 */
export class JobListService {
  private readonly ownerPage: (...args: (string | number)[]) => Promise<OwnerPageReply>;

  constructor(
    private readonly config: Config,
    redis: RedisClient,
    private readonly store: JobStore,
  ) {
    this.ownerPage = defineScript(redis, 'jobgateOwnerPage', 13, OWNER_PAGE_SCRIPT);
  }

  /** The page of `queue`'s jobs in `states`; with `owner`, of that owner's jobs only (counts included). */
  async list(queue: string, states: JobState[] | undefined, first: number, after: string | undefined, owner?: string): Promise<JobPage> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE)
      throw badInput('first', `first must be an integer from 0 to ${MAX_PAGE_SIZE}`);
    const start = after === undefined ? 0 : decodeOffset(after) + 1;
    const wanted = new Set(states && states.length > 0 ? states : Object.values(JobState));
    const types = LISTED.filter(([state]) => wanted.has(state) || (state === JobState.FAILED && wanted.has(JobState.CANCELLED))).map(
      ([, type]) => type,
    );
    const { totalCount, slices } =
      owner === undefined ? await this.queueSlices(queue, types, start, first) : await this.ownerSlices(queue, owner, types, start, first);
    // Each hash once, every read issued together. BullMQ's `getJobs` would read each hash
    // twice: inside its script, then again by id.
    const jobs = await Promise.all(slices.map(({ ids }) => Promise.all(ids.map((jobId) => this.store.fetch({ queue, jobId })))));
    const views: JobView[] = [];
    const offsets: number[] = [];
    slices.forEach(({ type, base, from }, index) => {
      jobs[index].forEach((job, rank) => {
        if (!job) return;
        const view = viewOf(job, stateOf(type, job.failedReason));
        // An owner's index could name a job of another owner only after BullMQ's counter went
        // back and its ids were used again; such a job is not the owner's to see.
        if (owner !== undefined && view.owner !== owner) return;
        if (wanted.has(view.state)) {
          views.push(view);
          offsets.push(base + from + rank);
        }
      });
    });
    return { views, offsets, totalCount, hasNextPage: start + first < totalCount };
  }

  /** Counts from BullMQ, then the ids of each state the page spans. */
  private async queueSlices(
    queue: string,
    types: BullJobState[],
    start: number,
    first: number,
  ): Promise<{ totalCount: number; slices: Slice[] }> {
    const bullQueue = this.store.queues.get(queue);
    const counts = await bullQueue.getJobCounts(...types);
    const totalCount = types.reduce((sum, type) => sum + (counts[type] ?? 0), 0);
    const ranges: { type: BullJobState; base: number; from: number; to: number }[] = [];
    let base = 0;
    for (const type of types) {
      const count = counts[type] ?? 0;
      const from = Math.max(start - base, 0);
      const to = Math.min(start + first - base, count) - 1;
      if (to >= from) ranges.push({ type, base, from, to });
      base += count;
    }
    const ids = await Promise.all(ranges.map(({ type, from, to }) => bullQueue.getRanges([type], from, to, false)));
    return {
      totalCount,
      slices: ranges.map(({ type, base: rangeBase, from }, index) => ({ type, base: rangeBase, from, ids: ids[index] })),
    };
  }

  /** Counts and ids of `owner`'s jobs, from its index (indexing the jobs added since the last call first). */
  private async ownerSlices(
    queue: string,
    owner: string,
    types: BullJobState[],
    start: number,
    first: number,
  ): Promise<{ totalCount: number; slices: Slice[] }> {
    const { queues } = this.store;
    for (;;) {
      const reply = await this.ownerPage(
        ownerIndexKey(this.config, queue, owner),
        jobgateKey(this.config, queue, 'owner-scratch'),
        ...indexingKeys(this.config, queues, queue),
        ...stateKeys(queues, queue),
        ...indexingArgs(this.config, queue),
        start,
        first,
        ...types,
      );
      // Jobs added since the last listing are indexed first, a batch of ids per call.
      if (reply.length === 1) continue;
      const [, totalCount, slices] = reply;
      return { totalCount, slices: slices.map(([type, base, from, ids]) => ({ type, base, from, ids })) };
    }
  }
}
