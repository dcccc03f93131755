/**
 * Jobgate's typed client: enqueue jobs over HTTP and watch them over one WebSocket that
 * reconnects and resumes by itself. Depends on `graphql-ws` and a global `fetch` only.
 */
export { createJobgateClient, type JobgateClient } from './client';
export { JobgateClientError, type ClientErrorCode, type WireGraphQLError } from './errors';
export { toWebSocketUrl } from './endpoints';
export type { JobgateStream } from './subscriptions';
export {
  FINAL_EVENT_TYPES,
  FINAL_STATES,
  isFinalEvent,
  type ConnectionState,
  type Job,
  type JobEvent,
  type JobEventType,
  type JobgateClientOptions,
  type JobOptionsInput,
  type JobState,
  type WatchOptions,
} from './types';
export { graphql } from './gql';
export type { TypedDocumentString } from './gql/graphql';
