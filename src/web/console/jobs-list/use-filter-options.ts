import { useEffect, useState } from 'react';
import type { JobgateClient } from '@jobgate/client';
import { useRequest } from '../ui/use-request';
import { JobsListQueuesDocument, JobsListTypesDocument } from './operations';

/** What the filters offer: the job types with their queue, and every queue known. */
export interface FilterOptions {
  types: readonly { name: string; queue: string }[];
  queues: readonly string[];
  /** Whether the queues are known yet: until then the list subscribes to none. */
  ready: boolean;
  error: string | undefined;
}

/**
 * The job types, and the queues: those of the job types, plus (for viewers and admins, who may
 * list queues) queues no type names by default, such as `imports-bulk`.
 */
export function useFilterOptions(client: JobgateClient, listsQueues: boolean): FilterOptions {
  const types = useRequest(client, JobsListTypesDocument, {});
  const [extraQueues, setExtraQueues] = useState<readonly string[]>();
  useEffect(() => {
    if (!listsQueues) return;
    let current = true;
    client.request(JobsListQueuesDocument, {}).then(
      ({ queues }) => {
        if (current) setExtraQueues(queues.map((queue) => queue.name));
      },
      // The queues of the job types are enough to work with; the extra ones are a nicety.
      () => {
        if (current) setExtraQueues([]);
      },
    );
    return () => {
      current = false;
    };
  }, [client, listsQueues]);
  const typeList = types.data?.jobTypes ?? [];
  const queues = [...new Set([...typeList.map((type) => type.queue), ...(extraQueues ?? [])])].sort();
  const ready = types.data !== undefined && (!listsQueues || extraQueues !== undefined);
  return { types: typeList, queues, ready, error: types.error };
}
