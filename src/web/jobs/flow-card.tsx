import { useState } from 'react';
import { JobOutcome } from './job-outcome';
import type { EnqueuedJob, JobgateClient } from '@jobgate/client';
import { aggregates, type Aggregate, type FlowTree } from './flow-tree';
import { barPercent, FINISHED, messageOf, percentOf, RETRYABLE } from './job-format';
import { useFlow } from './use-flow';

/** Children drawn under one job; a flow may have up to MAX_FLOW_JOBS, and the rest are counted. */
const MAX_CHILDREN_SHOWN = 100;

/** A progress bar; `label` names it for screen readers. */
function Bar({ percent, label, testId }: { percent: number; label: string; testId: string }) {
  return (
    <div
      className="bar"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid={testId}
    >
      <div className="bar-fill" style={{ width: `${percent}%` }} />
      <span className="bar-text">{percent}%</span>
    </div>
  );
}

interface NodeProps {
  client: JobgateClient;
  tree: FlowTree;
  totals: ReadonlyMap<string, Aggregate>;
  id: string;
  onRetried: () => void;
}

/** The children of `id`, indented, each a {@link FlowNode}. */
function Children({ listId, ...props }: NodeProps & { listId: string }) {
  const children = props.tree.nodes.get(props.id)?.children ?? [];
  return (
    <ul className="flow-children" id={listId} data-testid="flow-children">
      {children.slice(0, MAX_CHILDREN_SHOWN).map((childId) => (
        <FlowNode key={childId} {...props} id={childId} />
      ))}
      {children.length > MAX_CHILDREN_SHOWN && <li className="muted">… and {children.length - MAX_CHILDREN_SHOWN} more</li>}
    </ul>
  );
}

/**
 * One job below the root: a job with children shows their aggregate and can be collapsed; a job
 * without shows its own progress. A failed one can be retried, which lets its parent go on.
 */
function FlowNode(props: NodeProps) {
  const { client, tree, totals, id, onRetried } = props;
  const [expanded, setExpanded] = useState(true);
  const [actionError, setActionError] = useState<string>();
  const node = tree.nodes.get(id);
  if (node === undefined) return null;
  const { job } = node;
  const total = totals.get(id);
  const listId = `flow-children-${id}`;
  const retry = async (): Promise<void> => {
    setActionError(undefined);
    try {
      await client.retry(job.id);
      onRetried();
    } catch (failure) {
      setActionError(messageOf(failure));
    }
  };
  return (
    <li className="flow-node" data-testid="flow-node" data-job-id={job.id} data-state={job.state}>
      <div className="flow-row">
        {node.children.length > 0 ? (
          <button
            type="button"
            className="toggle"
            aria-expanded={expanded}
            aria-controls={listId}
            aria-label={`${expanded ? 'Collapse' : 'Expand'} the children of ${job.type} ${job.id}`}
            onClick={() => setExpanded((value) => !value)}
            data-testid="flow-toggle"
          >
            {expanded ? '▾' : '▸'}
          </button>
        ) : (
          <span className="toggle" aria-hidden="true" />
        )}
        <span className="flow-name">
          {job.type} <code>{job.id}</code>
        </span>
        <span className={`state state-${job.state.toLowerCase()}`} data-testid="job-state">
          {job.state}
        </span>
        <Bar
          percent={total === undefined ? percentOf(job) : barPercent(total.percent)}
          label={total === undefined ? `Progress of ${job.type} ${job.id}` : `Progress of the children of ${job.type} ${job.id}`}
          testId={total === undefined ? 'job-progress' : 'flow-progress'}
        />
        {total !== undefined && (
          <small className="muted" data-testid="flow-counts">
            {total.completed}/{total.total}
          </small>
        )}
        {job.state === 'FAILED' && (
          <button type="button" className="small" onClick={() => void retry()} data-testid="job-retry">
            Retry
          </button>
        )}
      </div>
      {job.failedReason && (
        <p className="error flow-error" data-testid="job-error">
          {job.failedReason}
        </p>
      )}
      {actionError && (
        <p role="alert" className="error flow-error">
          {actionError}
        </p>
      )}
      {node.children.length > 0 && expanded && <Children {...props} listId={listId} />}
    </li>
  );
}

/**
 * A flow, live from one `flowEvents` subscription on its root: the root's state, its aggregate
 * bar over every descendant (`flow { percent completed total }`), and the tree of its jobs.
 */
export function FlowCard({ client, initial }: { client: JobgateClient; initial: EnqueuedJob }) {
  const { view, restart } = useFlow(client, initial);
  const [expanded, setExpanded] = useState(true);
  const [actionError, setActionError] = useState<string>();
  const { tree } = view;
  const job = tree.nodes.get(tree.rootId)?.job ?? { ...initial, parent: null };
  const totals = aggregates(tree);
  const total = totals.get(tree.rootId);
  const titleId = `job-${job.id}-title`;
  const listId = `flow-children-${job.id}`;
  const children = tree.nodes.get(tree.rootId)?.children ?? [];

  const act = async (action: 'cancel' | 'retry'): Promise<void> => {
    setActionError(undefined);
    try {
      if (action === 'cancel') await client.cancel(job.id);
      else {
        await client.retry(job.id);
        restart();
      }
    } catch (failure) {
      setActionError(messageOf(failure));
    }
  };

  return (
    <article
      className="job flow"
      data-testid="job-card"
      data-flow="root"
      data-job-id={job.id}
      data-state={job.state}
      aria-labelledby={titleId}
    >
      <header>
        <h3 id={titleId}>
          {job.type} <code>{job.id}</code> <span className="muted">· flow</span>
        </h3>
        <span className={`state state-${job.state.toLowerCase()}`} data-testid="job-state">
          {job.state}
        </span>
      </header>
      <Bar percent={barPercent(total?.percent ?? 0)} label={`Progress of the flow of ${job.type} ${job.id}`} testId="flow-progress" />
      <p className="meta">
        <span data-testid="flow-counts">
          {total?.completed ?? 0}/{total?.total ?? 0} jobs completed
        </span>
        {tree.flow !== null && tree.flow.failed + tree.flow.cancelled > 0 && (
          <>
            {' '}
            · {tree.flow.failed} failed · {tree.flow.cancelled} cancelled
          </>
        )}{' '}
        · this job {percentOf(job)}%{job.progress?.message ? ` (${job.progress.message})` : ''} · {view.events} events
        {view.watching ? ' · live' : ''}
      </p>
      <div className="flow-tree-bar">
        <button
          type="button"
          className="toggle-children"
          aria-expanded={expanded}
          aria-controls={listId}
          onClick={() => setExpanded((value) => !value)}
          disabled={children.length === 0}
          data-testid="flow-toggle"
        >
          {expanded ? '▾' : '▸'} {children.length === 0 ? 'children…' : `${children.length} children`}
        </button>
      </div>
      {expanded && children.length > 0 && (
        <Children client={client} tree={tree} totals={totals} id={tree.rootId} onRetried={restart} listId={listId} />
      )}
      <JobOutcome logs={tree.rootLogs} result={job.result} failedReason={job.failedReason} error={view.error ?? actionError} />
      <div className="actions">
        <button type="button" onClick={() => void act('cancel')} disabled={FINISHED.has(job.state)} data-testid="job-cancel">
          Cancel
        </button>
        <button type="button" onClick={() => void act('retry')} disabled={!RETRYABLE.has(job.state)} data-testid="job-retry">
          Retry
        </button>
      </div>
    </article>
  );
}
