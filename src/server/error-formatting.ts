import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, JobgateError, unavailable } from '../errors';
import { isConnectionError } from '../redis/connections';

/** Codes of errors about the request itself; shown as they are. */
const REQUEST_ERROR_CODES = new Set<string>([
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.BAD_REQUEST,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
]);

/** The innermost cause of a GraphQL error (resolvers' errors get wrapped, sometimes twice). */
export function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error && 'originalError' in current && current.originalError; depth++) {
    current = current.originalError;
  }
  return current;
}

/** Whether an error is a defect to log, rather than something the client caused or Redis being away. */
export function isUnexpected(formatted: GraphQLFormattedError, original: unknown): boolean {
  const cause = rootCause(original);
  const code = uncodedRequestErrorCode(original) ?? formatted.extensions?.code;
  return !(cause instanceof JobgateError) && !isConnectionError(cause) && !(typeof code === 'string' && REQUEST_ERROR_CODES.has(code));
}

/**
 * The code of a request error graphql-js raises without one, so that a client sees the same
 * code on every transport: a variable that does not coerce is BAD_USER_INPUT.
 */
function uncodedRequestErrorCode(original: unknown): string | undefined {
  if (!(original instanceof GraphQLError) || original.extensions.code !== undefined) return undefined;
  const [node, ...others] = original.nodes ?? [];
  return node?.kind === Kind.VARIABLE_DEFINITION &&
    others.length === 0 &&
    original.message.startsWith(`Variable "$${node.variable.name.value}" `)
    ? ErrorCode.BAD_USER_INPUT
    : undefined;
}

/** An error's extensions without `http`, which sets the status of an HTTP answer and is not for the client. */
function withoutHttp(extensions: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const shown = { ...extensions };
  delete shown.http;
  return shown;
}

/** graphql-js' hint at names of the schema ("Did you mean "job"?"), at the end of a validation message. */
const SUGGESTION = / Did you mean [^?]*\?$/;

/**
 * What a client may see of an error: Jobgate's own errors and request errors as they are
 * (without graphql-js' suggestions of field and type names when `hideSchema`: they would
 * reveal the schema that turning introspection off hides); Redis being unreachable as
 * UNAVAILABLE; anything else as a bare INTERNAL_SERVER_ERROR (details go to the log only: no
 * stack, no Redis detail leaves the process).
 */
export function toClientError(formatted: GraphQLFormattedError, original: unknown, hideSchema = false): GraphQLFormattedError {
  const cause = rootCause(original);
  const { locations, path } = formatted;
  if (cause instanceof JobgateError) return { message: cause.message, locations, path, extensions: withoutHttp(cause.extensions) };
  if (isConnectionError(cause)) return { message: unavailable().message, locations, path, extensions: { code: ErrorCode.UNAVAILABLE } };
  const code = uncodedRequestErrorCode(original) ?? formatted.extensions?.code;
  if (typeof code === 'string' && REQUEST_ERROR_CODES.has(code))
    return { message: hideSchema ? formatted.message.replace(SUGGESTION, '') : formatted.message, locations, path, extensions: { code } };
  return { message: 'Internal server error', locations, path, extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
}

/** Logs what an operation's errors say about the gateway: Redis unreachable as a warning, defects as errors; the client's own mistakes not at all. */
export function logRequestErrors(errors: readonly GraphQLError[], context: { logger: Logger; requestId: string }): void {
  for (const error of errors) {
    const cause = rootCause(error);
    if (isConnectionError(cause)) context.logger.warn({ requestId: context.requestId, err: cause }, 'redis unreachable');
    else if (isUnexpected({ message: error.message, extensions: error.extensions }, error))
      context.logger.error({ requestId: context.requestId, err: cause }, 'unexpected error');
  }
}
