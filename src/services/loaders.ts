import DataLoader from 'dataloader';
import type { JobAddress } from '../jobs/job-id';
import { toGlobalId } from '../jobs/job-id';
import type { JobStore } from './job-store';
import type { JobView } from '../jobs/job-view';

/** Request-scoped batching of Redis reads: N jobs' fields cost one pipelined round trip, not N×fields. */
export interface Loaders {
  job: DataLoader<JobAddress, JobView | undefined, string>;
  logs: DataLoader<{ address: JobAddress; last: number }, string[], string>;
}

/**
 * New loaders for one request (or one subscription event). Never shared between requests:
 * their caches would show one caller's reads to another.
 */
export function createLoaders(store: JobStore): Loaders {
  return {
    job: new DataLoader((addresses) => Promise.all(addresses.map((address) => store.load(address))), {
      cacheKeyFn: toGlobalId,
    }),
    logs: new DataLoader((keys) => Promise.all(keys.map(({ address, last }) => store.logs(address, last))), {
      cacheKeyFn: ({ address, last }) => `${toGlobalId(address)}|${last}`,
    }),
  };
}
