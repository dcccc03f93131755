import {
  FlowEventsDocument,
  JobEventsDocument,
  type FlowEventsSubscriptionVariables,
  type JobEventsSubscriptionVariables,
} from './gql/graphql.js';
import { streamOperation, type JobgateStream } from './subscriptions.js';
import type { Transport } from './transport.js';
import { isFinalEvent, type FlowEvent, type JobEvent, type WatchFlowOptions, type WatchOptions } from './types.js';

/**
 * Streams one job's events until its final one.
 *
 * graphql-ws and graphql-sse re-send the very same subscribe payload after each reconnect. The `since`
 * getter makes that re-subscription resume after the last cursor this watcher received (the
 * gateway replays what happened meanwhile) rather than from where the watch began, which
 * would repeat events, or with a fresh SNAPSHOT, which would hide the ones in between.
 */
export function watchJob(transport: Transport, jobId: string, options: WatchOptions = {}): JobgateStream<JobEvent> {
  let since = options.since;
  const variables: JobEventsSubscriptionVariables = {
    id: jobId,
    withLogs: options.withLogs ?? false,
    get since() {
      return since;
    },
  };
  return streamOperation(transport, JobEventsDocument, variables, ({ jobEvents }) => jobEvents, {
    onReceive: (event) => (since = event.cursor),
    // The gateway completes the stream too; stopping here spares waiting for that message.
    isLast: isFinalEvent,
  });
}

/**
 * Streams the events of every job of the flow rooted at `rootId` until the root's final one,
 * resuming after the last cursor received on each reconnect, as {@link watchJob} does (flow
 * cursors are opaque: they are only ever given back). A child's final event is not the end:
 * only the root's is, and the gateway sends it last.
 */
export function watchFlow(transport: Transport, rootId: string, options: WatchFlowOptions = {}): JobgateStream<FlowEvent> {
  let since = options.since;
  const variables: FlowEventsSubscriptionVariables = {
    id: rootId,
    get since() {
      return since;
    },
  };
  return streamOperation(transport, FlowEventsDocument, variables, ({ flowEvents }) => flowEvents, {
    onReceive: (event) => (since = event.cursor),
    isLast: (event) => event.job.id === rootId && isFinalEvent(event),
  });
}
