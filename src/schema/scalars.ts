import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';

/** Any JSON value: job data, results, progress data. */
export const JSONScalar = GraphQLJSON;

/** An instant as an ISO-8601 string (`scalar DateTime` of the contract). */
export const DateTimeScalar = GraphQLDateTime;
