import { badInput } from '../errors';

/** A job's address: its queue and its BullMQ id within that queue. */
export interface JobAddress {
  queue: string;
  jobId: string;
}

// BullMQ names the jobs of a job scheduler `repeat:<scheduler id>:<millis>`, and scheduler ids may hold colons.
const GLOBAL_ID = /^([a-z0-9][a-z0-9-]{0,99}):([A-Za-z0-9_.-]{1,200}|repeat:[A-Za-z0-9_.:-]{1,100}:\d{1,20})$/;

/**
 * The id clients see: `<queue>:<bullmq id>`. Clients treat it as opaque; it is readable
 * so that operators can find the job in Redis and in logs.
 */
export const toGlobalId = ({ queue, jobId }: JobAddress): string => `${queue}:${jobId}`;

/** Parses a global id; a malformed one is the caller's mistake (BAD_USER_INPUT on `field`). */
export function parseGlobalId(id: string, field = 'id'): JobAddress {
  const match = GLOBAL_ID.exec(id);
  if (!match) throw badInput(field, `"${id.slice(0, 100)}" is not a job id (expected <queue>:<id>)`);
  return { queue: match[1], jobId: match[2] };
}

// `<prefix>:<queue>:<id>`; the prefix may hold colons and a cluster hash tag (`jobgate:{imports}`).
const JOB_KEY = /^.+:([a-z0-9][a-z0-9-]{0,99}):([^:]{1,200})$/;

/** The address of a BullMQ job key (as flows record parents and children), or undefined for another key. */
export function addressOfJobKey(key: string): JobAddress | undefined {
  const match = JOB_KEY.exec(key);
  return match ? { queue: match[1], jobId: match[2] } : undefined;
}
