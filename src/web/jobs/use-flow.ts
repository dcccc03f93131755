import { useEffect, useRef, useState } from 'react';
import type { EnqueuedJob, FlowProgress, JobgateClient } from '@jobgate/client';
import { addChildren, applyEvent, initialTree, parentsOf, type FlowTree, type ListedJob } from './flow-tree';
import { messageOf } from './job-format';
import type { FlowChildrenQuery } from '@jobgate/client/gql';
import { FlowChildrenDocument } from './operations';

/** What the page knows of a watched flow. */
export interface FlowView {
  tree: FlowTree;
  /** Events received so far, across reconnects. */
  events: number;
  /** True while the flow's subscription is open. */
  watching: boolean;
  /** Why the watch, or listing a job's children, stopped early. */
  error: string | undefined;
}

/** Every child of `parentId`, page after page (a flow has at most MAX_FLOW_JOBS jobs), and the parent's aggregate. */
async function listChildren(client: JobgateClient, parentId: string): Promise<{ children: ListedJob[]; flow: FlowProgress | null }> {
  const children: ListedJob[] = [];
  let after: string | null = null;
  for (;;) {
    const { job }: FlowChildrenQuery = await client.request(FlowChildrenDocument, { id: parentId, after });
    if (job === null) return { children, flow: null };
    children.push(...job.children.edges.map((edge) => edge.node));
    if (!job.children.pageInfo.hasNextPage || job.children.pageInfo.endCursor === null) return { children, flow: job.flow };
    after = job.children.pageInfo.endCursor;
  }
}

/**
 * Watches a flow live from its root with one `flowEvents` subscription, whatever the number of
 * jobs in it, and keeps its tree. The children of each job known to have some are listed once
 * over HTTP (`Job.children`), so jobs that have not had an event yet show too; events then keep
 * every job up to date; once the watch ends they are listed once more, to settle. `restart()`
 * opens a new watch after the last cursor seen (after a retry).
 */
export function useFlow(client: JobgateClient, root: EnqueuedJob): { view: FlowView; restart: () => void } {
  const [view, setView] = useState<FlowView>(() => ({ tree: initialTree(root), events: 0, watching: true, error: undefined }));
  const [generation, setGeneration] = useState(0);
  const cursor = useRef<string | undefined>(undefined);
  /** Parents whose children were asked for: once each, whatever re-renders or effects repeat. */
  const listed = useRef(new Set<string>());

  useEffect(() => {
    const events = client.watchFlow(root.id, { since: cursor.current });
    let stopped = false;
    setView((previous) => ({ ...previous, watching: true, error: undefined }));
    void (async () => {
      try {
        for await (const event of events) {
          if (stopped) return;
          cursor.current = event.cursor;
          setView((previous) => ({ ...previous, tree: applyEvent(previous.tree, event), events: previous.events + 1 }));
        }
        if (stopped) return;
        // Settle: list every parent's children once more. The last events of jobs in another
        // queue than the root's may not have reached the watch before the root's final event.
        listed.current.clear();
        setView((previous) => ({ ...previous, watching: false }));
      } catch (failure) {
        if (!stopped) setView((previous) => ({ ...previous, watching: false, error: messageOf(failure) }));
      }
    })();
    return () => {
      stopped = true;
      void events.return();
    };
  }, [client, root.id, generation]);

  const parents = parentsOf(view.tree).filter((id) => !listed.current.has(id));
  const pending = parents.join(' ');
  useEffect(() => {
    if (pending === '') return;
    for (const parentId of pending.split(' ')) {
      if (listed.current.has(parentId)) continue;
      listed.current.add(parentId);
      // Not cancelled on cleanup: the answer belongs in the tree whenever it comes.
      listChildren(client, parentId).then(
        ({ children, flow }) => setView((previous) => ({ ...previous, tree: addChildren(previous.tree, parentId, children, flow) })),
        (failure: unknown) => setView((previous) => ({ ...previous, error: `listing the children of ${parentId}: ${messageOf(failure)}` })),
      );
    }
  }, [client, pending]);

  return { view, restart: () => setGeneration((value) => value + 1) };
}
