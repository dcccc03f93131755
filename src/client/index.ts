/**
 * Jobgate's typed client: enqueue jobs over HTTP and watch them over one WebSocket that
 * reconnects and resumes by itself. Depends on `graphql-ws` and a global `fetch` only.
 */
export { createJobgateClient, type JobgateClient } from './client';
export { JobgateClientError, type ClientErrorCode, type WireGraphQLError } from './errors';
export { toWebSocketUrl } from './endpoints';
export { chain, chord, group, step, type FlowStep, type FlowSteps, type GroupOptions } from './flows';
export type { JobgateStream } from './subscriptions';
export {
  FINAL_EVENT_TYPES,
  FINAL_STATES,
  isFinalEvent,
  type ConnectionState,
  type EnqueuedJob,
  type FlowEvent,
  type FlowInput,
  type FlowProgress,
  type Job,
  type JobEvent,
  type JobEventType,
  type JobgateClientOptions,
  type JobOptionsInput,
  type JobState,
  type WatchFlowOptions,
  type WatchOptions,
} from './types';
export { graphql } from './gql';
export type { ChildFailurePolicy, TypedDocumentString } from './gql/graphql';
