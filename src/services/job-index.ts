import type { Config } from '../config';
import { jobgateKey, jobKey } from '../redis/connections';
import type { QueueSet } from './queue-set';

/** Key of `owner`'s index of `queue`'s jobs (see {@link INDEX_JOBS_LUA}). */
export const ownerIndexKey = (config: Config, queue: string, owner: string): string => jobgateKey(config, queue, 'owner', owner);

/** Key of the set of owners with an index in `queue`. */
export const ownersKey = (config: Config, queue: string): string => jobgateKey(config, queue, 'owners');

/** Key of the index of every job of `queue`, whoever owns it (see {@link INDEX_JOBS_LUA}). */
export const allJobsIndexKey = (config: Config, queue: string): string => jobgateKey(config, queue, 'all');

/** Job ids the indexing indexes at most per script call (a few ms of Redis time). */
export const INDEX_BATCH = 1000;

/**
 * The keys `indexNewJobs` takes, in its order, all in `queue`'s hash slot: BullMQ's id counter,
 * how far ids are indexed, the owners with an index, the sweep positions, the all-jobs index.
 */
export function indexingKeys(config: Config, queues: QueueSet, queue: string): string[] {
  const key = (...parts: string[]): string => jobgateKey(config, queue, ...parts);
  // `indexed` replaced `owner-indexed` when the all-jobs index came: a queue indexed before
  // is read once more from id 1, which fills the new index (owner indexes take their ids again).
  return [queues.get(queue).keys.id, key('indexed'), ownersKey(config, queue), key('owner-sweep'), allJobsIndexKey(config, queue)];
}

/**
 * BullMQ's keys of `queue`'s states, in the order both listing scripts take them after the
 * indexing keys: the active list, then the prioritized, delayed, waiting-children, completed
 * and failed sets.
 */
export function stateKeys(queues: QueueSet, queue: string): string[] {
  const { keys } = queues.get(queue);
  return [keys.active, keys.prioritized, keys.delayed, keys['waiting-children'], keys.completed, keys.failed];
}

/** The arguments `indexNewJobs` takes after its keys: the job key prefix, the owner index key prefix, the batch. */
export const indexingArgs = (config: Config, queue: string): (string | number)[] => [
  jobKey(config, queue, ''),
  jobgateKey(config, queue, 'owner', ''),
  INDEX_BATCH,
];

/**
 * Lua defining `indexNewJobs(counterKey, cursorKey, ownersKey, sweepKey, allKey, jobPrefix,
 * indexPrefix, batch)`, for the scripts that list jobs from the indexes (JobListService,
 * RecentJobsService). It returns how many ids are left to index (0 once every job is indexed;
 * else the script returns and is called again).
 *
 * Indexes: sorted sets of job ids scored by creation time, one per queue per owner
 * (`…:jobgate:owner:<owner>`) and one per queue of every job (`…:jobgate:all`). They are not
 * written by enqueues (BullMQ's add is a script of its own, so an index written beside it could
 * miss a job): they are derived from the jobs themselves. Job ids are BullMQ's counter, so every
 * job with an id up to the cursor is indexed, and this first indexes the jobs added since
 * (reading each job's `opts` once, ever). A job removed later stays in the indexes until a sweep
 * or a listing sees it gone. Flow jobs have ids of their own, outside the counter: the gateway
 * writes them into the indexes before adding the flow (FlowService).
 */
export const INDEX_JOBS_LUA = `
-- Sweep position of the all-jobs index in the sweep hash: owner ids always hold a ':', this never.
local ALL_JOBS = '*'

-- Checks 'steps' entries of an index, round robin, and forgets the jobs removed since they were
-- indexed (retention deletes them without a word): two per job indexed, so an index holds its
-- jobs plus about as many removed ones at most, whether or not anyone lists it.
local function sweep(key, field, sweepKey, jobPrefix, steps)
  local rank = tonumber(redis.call('HGET', sweepKey, field) or '0') or 0
  local ids = redis.call('ZRANGE', key, rank, rank + steps - 1)
  for _, id in ipairs(ids) do
    if redis.call('EXISTS', jobPrefix .. id) == 1 then rank = rank + 1 else redis.call('ZREM', key, id) end
  end
  if #ids < steps then rank = 0 end
  redis.call('HSET', sweepKey, field, rank)
end

local function indexNewJobs(counterKey, cursorKey, ownersKey, sweepKey, allKey, jobPrefix, indexPrefix, batch)
  local counter = tonumber(redis.call('GET', counterKey) or '0') or 0
  local cursor = tonumber(redis.call('GET', cursorKey) or '0') or 0
  if counter < cursor then
    -- The counter went back (the queue was obliterated): its ids will be used again, start over.
    for _, owner in ipairs(redis.call('SMEMBERS', ownersKey)) do redis.call('DEL', indexPrefix .. owner) end
    redis.call('DEL', ownersKey, sweepKey, allKey)
    cursor = 0
  end
  local last = math.min(counter, cursor + batch)
  if last > cursor then
    local added, total = {}, 0
    for n = cursor + 1, last do
      local id = string.format('%d', n)
      local fields = redis.call('HMGET', jobPrefix .. id, 'opts', 'timestamp')
      if fields[1] then
        local score = tonumber(fields[2]) or 0
        redis.call('ZADD', allKey, score, id)
        total = total + 1
        local ok, opts = pcall(cjson.decode, fields[1])
        local meta = ok and type(opts) == 'table' and opts['jobgate']
        local owner = type(meta) == 'table' and meta['owner']
        if type(owner) == 'string' then
          redis.call('ZADD', indexPrefix .. owner, score, id)
          added[owner] = (added[owner] or 0) + 1
        end
      end
    end
    for owner, count in pairs(added) do
      redis.call('SADD', ownersKey, owner)
      sweep(indexPrefix .. owner, owner, sweepKey, jobPrefix, 2 * count)
    end
    if total > 0 then sweep(allKey, ALL_JOBS, sweepKey, jobPrefix, 2 * total) end
    redis.call('SET', cursorKey, string.format('%d', last))
  end
  return counter - last
end
`;
