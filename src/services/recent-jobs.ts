import type { Config } from '../config';
import { badInput } from '../errors';
import type { JobRegistry } from '../jobs/registry';
import { CANCELLED_REASON_PREFIX, JobState, viewOf, type JobView } from '../jobs/job-view';
import type { RedisClient } from '../redis/connections';
import { defineScript } from '../redis/scripts';
import { allJobsIndexKey, indexingArgs, indexingKeys, INDEX_JOBS_LUA, ownerIndexKey, stateKeys } from './job-index';
import { MAX_PAGE_SIZE } from './job-list.service';
import { decodePosition, encodePosition, listingOrder, type Position } from './recent-jobs-cursor';
import type { JobStore } from './job-store';

/** Index entries a page may read per queue for each job it asks for, with or without filters. */
const SCAN_PER_ITEM = 20;
/** Index entries one script call reads at most, whatever the page size (a few ms of Redis time). */
const MAX_SCAN = 4000;

/**
 * One queue's part of a `recentJobs` page, from an index (the queue's all-jobs index, or an
 * owner's), after INDEX_JOBS_LUA indexed the jobs added since the last call. Reads the index
 * newest first from just after the cursor, skips jobs removed since they were indexed (and drops
 * them from the index), and keeps the jobs of the type and states asked for, looking each one's
 * state up in BullMQ's sets and lists, until it has `limit` jobs or read `scan` entries.
 *
 * KEYS: 1 the index to read, 2 to 6 the indexing keys (`indexingKeys`), 7 active list, 8 to 12
 *   prioritized, delayed, waiting-children, completed, failed.
 * ARGV: 1 to 3 the indexing arguments (`indexingArgs`), 4 the cursor's score ('' for the newest),
 *   5 how entries of that very score count: 'keep' all, 'skip' all, 'id' those with an id below
 *   ARGV[6] (byte order), 7 limit, 8 scan, 9 the type ('' for any), 10 the prefix of a cancelled
 *   job's failure reason, 11… the JobStates wanted (none for any).
 * Returns {n} when n more ids must be indexed first (call again), else
 * {0, entries in the index, 1 if it was read to its end else 0, {id, score, state, …}, score, id}
 * where the last two are the last entry read.
 */
const RECENT_PAGE_SCRIPT = `${INDEX_JOBS_LUA}
local rcall = redis.call
local indexKey, allKey, activeKey = KEYS[1], KEYS[6], KEYS[7]
local prioritizedKey, delayedKey, childrenKey, completedKey, failedKey = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12]
local jobPrefix, bound, tieMode, tieId = ARGV[1], ARGV[4], ARGV[5], ARGV[6]
local limit, scan, jobType, cancelledPrefix = tonumber(ARGV[7]), tonumber(ARGV[8]), ARGV[9], ARGV[10]

local left = indexNewJobs(KEYS[2], KEYS[3], KEYS[4], KEYS[5], allKey, jobPrefix, ARGV[2], tonumber(ARGV[3]))
if left > 0 then return { left } end

local wanted
if #ARGV > 10 then
  wanted = {}
  for i = 11, #ARGV do wanted[ARGV[i]] = true end
end

-- Byte order, as Redis orders members of one score (Lua's '<' follows the server's locale).
local function bytesBefore(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end

-- 1. The rank of the first entry after the cursor: the index is read by descending score, and
-- entries of one score by descending id.
local rank = 0
if bound ~= '' then
  local above = rcall('ZCOUNT', indexKey, '(' .. bound, '+inf')
  local tied = rcall('ZCOUNT', indexKey, bound, bound)
  if tieMode == 'skip' then
    rank = above + tied
  elseif tieMode == 'id' then
    local lo, hi = above, above + tied
    while lo < hi do
      local mid = math.floor((lo + hi) / 2)
      if bytesBefore(rcall('ZREVRANGE', indexKey, mid, mid)[1], tieId) then hi = mid else lo = mid + 1 end
    end
    rank = lo
  else
    rank = above
  end
end

local active
local function isActive(id)
  if not active then
    active = {}
    for _, activeId in ipairs(rcall('LRANGE', activeKey, 0, -1)) do active[activeId] = true end
  end
  return active[id]
end

-- The job's JobState, from the BullMQ set or list it is in (a job in none is waiting or paused).
local function stateOf(id)
  if rcall('ZSCORE', completedKey, id) then return 'COMPLETED' end
  if rcall('ZSCORE', failedKey, id) then
    local reason = rcall('HGET', jobPrefix .. id, 'failedReason')
    if reason and string.sub(reason, 1, #cancelledPrefix) == cancelledPrefix then return 'CANCELLED' end
    return 'FAILED'
  end
  if rcall('ZSCORE', delayedKey, id) then return 'DELAYED' end
  if rcall('ZSCORE', prioritizedKey, id) then return 'PRIORITIZED' end
  if rcall('ZSCORE', childrenKey, id) then return 'WAITING_CHILDREN' end
  if isActive(id) then return 'ACTIVE' end
  return 'WAITING'
end

-- 2. Read on from there until 'limit' jobs pass the filters or 'scan' entries are read.
local size = rcall('ZCARD', indexKey)
local page, found, read, removed = {}, 0, 0, {}
local lastScore, lastId = '', ''
while found < limit and read < scan and rank < size do
  local entries = rcall('ZREVRANGE', indexKey, rank, rank + math.min(scan - read, 100) - 1, 'WITHSCORES')
  if #entries == 0 then break end
  for i = 1, #entries, 2 do
    local id, score = entries[i], entries[i + 1]
    read, rank = read + 1, rank + 1
    lastScore, lastId = score, id
    local name = rcall('HGET', jobPrefix .. id, 'name')
    if not name then
      removed[#removed + 1] = id
    elseif jobType == '' or name == jobType then
      local state = stateOf(id)
      if not wanted or wanted[state] then
        page[#page + 1] = id
        page[#page + 1] = score
        page[#page + 1] = state
        found = found + 1
        if found == limit then break end
      end
    end
  end
end

-- Jobs removed since they were indexed leave the index read (and the all-jobs index).
for i = 1, #removed, 1000 do
  local ids = { unpack(removed, i, math.min(i + 999, #removed)) }
  rcall('ZREM', indexKey, unpack(ids))
  if indexKey ~= allKey then rcall('ZREM', allKey, unpack(ids)) end
end
return { 0, rcall('ZCARD', indexKey), rank >= size and 1 or 0, page, lastScore, lastId }
`;

type RecentPageReply = [number] | [0, number, 0 | 1, string[], string, string];

/** What `recentJobs` asks for. */
export interface RecentJobsRequest {
  /** One queue, or every queue when absent (every queue the type may be in, with `type`). */
  queue?: string;
  states?: readonly JobState[];
  type?: string;
  first: number;
  after?: string;
  /** Only this owner's jobs (a caller who does not read every job). */
  owner?: string;
}

/** One page of `recentJobs`. */
export interface RecentJobsPage {
  edges: { view: JobView; cursor: string }[];
  /** Jobs in the indexes read, whatever the state and type filters. */
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** One queue's part of a page, from RECENT_PAGE_SCRIPT. */
interface QueuePart {
  matches: (Position & { state: JobState })[];
  total: number;
  /** The last entry read, when entries are left after it; undefined once the index was read to its end. */
  frontier?: Position;
}

const JOB_STATES = new Set<string>(Object.values(JobState));

/**
 * Lists jobs across queues, newest first by creation time, with keyset cursors: each queue's
 * index is read from just after the cursor (one script call per queue, all its keys in the
 * queue's hash slot), and the parts are merged. Jobs enqueued after a page was read are newer
 * than its cursor, so they never shift later pages.
 */
export class RecentJobsService {
  private readonly recentPage: (...args: (string | number)[]) => Promise<RecentPageReply>;

  constructor(
    private readonly config: Config,
    redis: RedisClient,
    private readonly store: JobStore,
    private readonly registry: JobRegistry,
  ) {
    this.recentPage = defineScript(redis, 'jobgateRecentPage', 12, RECENT_PAGE_SCRIPT);
  }

  async page({ queue, states, type, first, after, owner }: RecentJobsRequest): Promise<RecentJobsPage> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE)
      throw badInput('first', `first must be an integer from 0 to ${MAX_PAGE_SIZE}`);
    const cursor = after === undefined ? undefined : decodePosition(after);
    const scan = Math.min(MAX_SCAN, SCAN_PER_ITEM * (first + 1));
    // One more job than the page holds tells whether another page follows.
    const parts = await Promise.all(
      this.queuesOf(queue, type).map((name) => this.queuePart(name, { states, type, limit: first + 1, scan, cursor, owner })),
    );

    // Each queue's part is complete down to its frontier (the last entry it read), so the merged
    // listing is complete down to the earliest frontier only.
    const frontier = parts.flatMap((part) => (part.frontier ? [part.frontier] : [])).sort(listingOrder)[0];
    const known = parts
      .flatMap((part) => part.matches)
      .filter((match) => !frontier || listingOrder(match, frontier) <= 0)
      .sort(listingOrder);
    const taken = known.slice(0, first);
    const jobs = await Promise.all(taken.map(({ queue: name, jobId }) => this.store.fetch({ queue: name, jobId })));
    const edges = taken.flatMap((position, index) => {
      const job = jobs[index];
      if (!job) return [];
      const view = viewOf(job, position.state);
      // An owner's index could name a job of another owner only after BullMQ's counter went
      // back and its ids were used again; such a job is not the owner's to see.
      if (owner !== undefined && view.owner !== owner) return [];
      return [{ view, cursor: encodePosition(position) }];
    });
    // A page cut short by the scan bound goes on from the frontier, past the entries read.
    const end = taken.length === known.length && frontier ? frontier : taken[taken.length - 1];
    return {
      edges,
      totalCount: parts.reduce((sum, part) => sum + part.total, 0),
      hasNextPage: known.length > first || frontier !== undefined,
      endCursor: end ? encodePosition(end) : null,
    };
  }

  /** The queues to read: the one named, else those `type` may be in, else every queue. */
  private queuesOf(queue: string | undefined, type: string | undefined): readonly string[] {
    if (queue !== undefined) return [queue];
    const definition = type === undefined ? undefined : this.registry.get(type);
    if (definition) return [definition.queue, ...(definition.queues ?? [])].filter((name) => this.store.queues.has(name));
    return this.store.queues.names;
  }

  private async queuePart(
    queue: string,
    request: { states?: readonly JobState[]; type?: string; limit: number; scan: number; cursor?: Position; owner?: string },
  ): Promise<QueuePart> {
    const { states, type, limit, scan, cursor, owner } = request;
    const { queues } = this.store;
    let tie: string[] = ['', 'keep', ''];
    if (cursor) {
      const order = Buffer.compare(Buffer.from(queue), Buffer.from(cursor.queue));
      tie = [String(cursor.score), order === 0 ? 'id' : order > 0 ? 'skip' : 'keep', cursor.jobId];
    }
    for (;;) {
      const reply = await this.recentPage(
        owner === undefined ? allJobsIndexKey(this.config, queue) : ownerIndexKey(this.config, queue, owner),
        ...indexingKeys(this.config, queues, queue),
        ...stateKeys(queues, queue),
        ...indexingArgs(this.config, queue),
        ...tie,
        limit,
        scan,
        type ?? '',
        CANCELLED_REASON_PREFIX,
        ...(states ?? []),
      );
      // Jobs added since the last listing are indexed first, a batch of ids per call.
      if (reply.length === 1) continue;
      const [, total, exhausted, page, lastScore, lastId] = reply;
      const matches: QueuePart['matches'] = [];
      for (let index = 0; index < page.length; index += 3) {
        const state = page[index + 2];
        matches.push({
          queue,
          jobId: page[index],
          score: Number(page[index + 1]),
          state: JOB_STATES.has(state) ? (state as JobState) : JobState.UNKNOWN,
        });
      }
      return { matches, total, ...(exhausted === 0 && { frontier: { queue, jobId: lastId, score: Number(lastScore) } }) };
    }
  }
}
