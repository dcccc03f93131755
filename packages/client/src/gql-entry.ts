/**
 * `@jobgate/client/gql`: the `graphql()` function of GraphQL Code Generator's client preset and
 * every generated document and type, for pages and apps that write operations of their own.
 */
export * from './gql/index.js';
export * from './gql/graphql.js';
export type { JobInputs, JobTypeName } from './gql/jobs.js';
