import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';
import { isRecord } from '../lib/is-record';

/** The parameters of one GraphQL request over HTTP, as GraphQL over HTTP names them. */
export interface GraphqlParams {
  query: string | undefined;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  extensions: Record<string, unknown> | undefined;
}

/** An error that answers its request with HTTP `status` and `headers` (./http-operation.ts reads `extensions.http`). */
export function httpRefusal(code: ErrorCode, message: string, status: number, headers?: Record<string, string>): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status, ...(headers && { headers }) } } });
}

/** A refusal of the request itself: BAD_REQUEST, answered with `status` (400 unless said) and `headers`. */
export function badRequest(message: string, status = 400, headers?: Record<string, string>): GraphQLError {
  return httpRefusal(ErrorCode.BAD_REQUEST, message, status, headers);
}

/** `value` when `is` says so, undefined when it is absent (null counts as absent), else `refusal()`. */
function optional<T>(value: unknown, is: (value: unknown) => value is T, refusal: () => GraphQLError): T | undefined | GraphQLError {
  if (value === undefined || value === null) return undefined;
  return is(value) ? value : refusal();
}

const isString = (value: unknown): value is string => typeof value === 'string';

/**
 * The parameters of a POST's JSON body (one operation: batches are refused before), or why the
 * body is not a GraphQL request. The messages are Apollo Server's, which Jobgate answered with
 * until it executed HTTP requests itself, so clients see the same refusals.
 */
export function postParams(body: Record<string, unknown>): GraphqlParams | GraphQLError {
  if (Object.keys(body).length === 0) return badRequest('POST body missing, invalid Content-Type, or JSON object has no keys.');
  for (const field of ['variables', 'extensions'] as const) {
    if (typeof body[field] === 'string')
      return badRequest(`\`${field}\` in a POST body should be provided as an object, not a recursively JSON-encoded string.`);
  }
  // A falsy query is no query: answered later as a request without one.
  if (body.query && typeof body.query !== 'string') return badRequest('GraphQL queries must be strings.');
  const extensions = optional(body.extensions, isRecord, () => badRequest('`extensions` in a POST body must be an object if provided.'));
  if (extensions instanceof GraphQLError) return extensions;
  const variables = optional(body.variables, isRecord, () => badRequest('`variables` in a POST body must be an object if provided.'));
  if (variables instanceof GraphQLError) return variables;
  const operationName = optional(body.operationName, isString, () =>
    badRequest('`operationName` in a POST body must be a string if provided.'),
  );
  if (operationName instanceof GraphQLError) return operationName;
  return { query: typeof body.query === 'string' ? body.query : undefined, operationName, variables, extensions };
}

/** The parameters of a GET's query string, or why they are not a GraphQL request; Apollo Server's messages, as for POST. */
export function getParams(search: string): GraphqlParams | GraphQLError {
  const parameters = new URLSearchParams(search);
  const once = (name: string): string | undefined | GraphQLError => {
    const values = parameters.getAll(name);
    if (values.length > 1) return badRequest(`The '${name}' search parameter may only be specified once.`);
    return values[0];
  };
  const json = (name: string): Record<string, unknown> | undefined | GraphQLError => {
    const text = once(name);
    if (text === undefined || text instanceof GraphQLError) return text;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return badRequest(`The ${name} search parameter contains invalid JSON.`);
    }
    return isRecord(value) ? value : badRequest(`The ${name} search parameter should contain a JSON-encoded object.`);
  };
  const query = once('query');
  if (query instanceof GraphQLError) return query;
  const operationName = once('operationName');
  if (operationName instanceof GraphQLError) return operationName;
  const variables = json('variables');
  if (variables instanceof GraphQLError) return variables;
  const extensions = json('extensions');
  if (extensions instanceof GraphQLError) return extensions;
  return { query, operationName, variables, extensions };
}
