import { GraphQLError } from 'graphql';

/**
 * The catalogue of error codes clients see in `extensions.code`. Stable and greppable:
 * clients branch on these, so a code is never renamed.
 */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNKNOWN_JOB_TYPE: 'UNKNOWN_JOB_TYPE',
  NOT_FOUND: 'NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  /** The request itself: codes Apollo Server gave them, kept when the gateway stopped using it for HTTP. */
  GRAPHQL_PARSE_FAILED: 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
  OPERATION_RESOLUTION_FAILURE: 'OPERATION_RESOLUTION_FAILURE',
  /** An automatic-persisted-queries client sends its full query again on this one. */
  PERSISTED_QUERY_NOT_FOUND: 'PERSISTED_QUERY_NOT_FOUND',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error meant for the client: its message and extensions are shown as they are. */
export class JobgateError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
    this.name = 'JobgateError';
  }

  get code(): ErrorCode {
    return this.extensions.code as ErrorCode;
  }
}

/** Input the caller can fix; `field` names what is wrong (dotted path), `extensions` may add detail (every invalid field). */
export const badInput = (field: string, message: string, extensions: Record<string, unknown> = {}): JobgateError =>
  new JobgateError(ErrorCode.BAD_USER_INPUT, message, { ...extensions, field });

/** Absent, or not the caller's: both answer alike so ownership cannot be probed. */
export const notFound = (what: string, id: string): JobgateError => new JobgateError(ErrorCode.NOT_FOUND, `${what} "${id}" was not found`);

export const unknownJobType = (type: string, known: readonly string[]): JobgateError =>
  new JobgateError(ErrorCode.UNKNOWN_JOB_TYPE, `Unknown job type "${type}"; known types: ${known.join(', ')}`, {
    field: 'type',
  });

/**
 * `queue` names no registered queue. The one wording for every place that refuses one (GraphQL
 * arguments and services alike); `field` names the argument (`queue`, or `name` for `queue(name:)`).
 * The name is cut to 100 characters: it comes from the client and is echoed back.
 */
export const unknownQueue = (queue: string, known: readonly string[], field = 'queue'): JobgateError =>
  badInput(field, `Unknown queue "${queue.slice(0, 100)}"; known queues: ${known.join(', ')}`);

export const unavailable = (): JobgateError => new JobgateError(ErrorCode.UNAVAILABLE, 'The job store is unreachable; try again shortly');

/** Authenticated, but the caller's roles do not allow this. */
export const forbidden = (action: string): JobgateError =>
  new JobgateError(ErrorCode.FORBIDDEN, `Your roles do not allow you to ${action}`);
