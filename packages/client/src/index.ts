/**
 * Jobgate's typed client: enqueue jobs over HTTP and watch them over one WebSocket, or over
 * Server-Sent Events, reconnecting and resuming by itself. Runs in browsers and in Node 20+.
 */
export { createJobgateClient, type JobgateClient, type JobsOptions } from './client.js';
export { JobgateClientError, type ClientErrorCode, type WireGraphQLError } from './errors.js';
export { toSseUrl, toWebSocketUrl } from './endpoints.js';
export { chain, chord, group, step, type FlowStep, type FlowSteps, type GroupOptions } from './flows.js';
export type { JobgateStream } from './subscriptions.js';
export type { JobListItem, JobsPage } from './operations.js';
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
  type JobInputs,
  type JobOptionsInput,
  type JobState,
  type JobTypeName,
  type TransportName,
  type TypedJob,
  type WatchFlowOptions,
  type WatchOptions,
} from './types.js';
export { graphql } from './gql/index.js';
export type { ChildFailurePolicy, TypedDocumentString } from './gql/graphql.js';
