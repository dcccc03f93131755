import { execute, getOperationAST, GraphQLError, type ExecutionResult, type FormattedExecutionResult } from 'graphql';
import { ErrorCode } from '../errors';
import { isRecord } from '../lib/is-record';
import type { RequestContext } from '../resolvers/context';
import { queryHash, withCode } from './document-cache';
import type { GraphqlPipeline } from './graphql-pipeline';
import { badRequest, type GraphqlParams } from './http-params';
import type { HttpAnswered } from './operation-hook';

/** What an HTTP request is answered with, but for its content type. */
export interface HttpAnswer {
  status: number;
  headers?: Readonly<Record<string, string>>;
  result: FormattedExecutionResult;
}

/** An error's HTTP part (`extensions.http`), which request errors carry and clients never see. */
interface ErrorHttp {
  status?: number;
  headers?: Record<string, string>;
}

function httpOf(error: GraphQLError): ErrorHttp | undefined {
  const http = error.extensions.http;
  return isRecord(http) ? (http as ErrorHttp) : undefined;
}

/** The HTTP status a request error asks for, if any. */
export const statusOf = (error: GraphQLError): number | undefined => httpOf(error)?.status;

/**
 * The answer to `errors`, formatted for the client: the status and headers the errors carry
 * (the last one's status wins), else `status`.
 */
export function errorAnswer(pipeline: GraphqlPipeline, errors: readonly GraphQLError[], status: number): HttpAnswer {
  let headers: Record<string, string> | undefined;
  for (const error of errors) {
    const http = httpOf(error);
    status = http?.status ?? status;
    if (http?.headers) headers = { ...headers, ...http.headers };
  }
  return { status, headers, result: { errors: errors.map((error) => pipeline.formatError(error, error)) } };
}

/** Subscriptions are served over WebSocket and SSE; executed over HTTP they would answer a null root field. */
const subscriptionOverHttp = (): GraphQLError =>
  badRequest(
    'Subscriptions go over WebSocket (graphql-transport-ws) at /graphql or Server-Sent Events at /graphql/stream, not a plain HTTP request',
  );

/**
 * The text `params` ask to run: their query, or the text of a document this gateway has
 * validated, named by its SHA-256 as an automatic persisted query (Apollo's protocol, which
 * Apollo Client's persisted-queries link and others speak). Every valid document a client
 * sends is registered by being cached; a hash the cache does not know is answered
 * PERSISTED_QUERY_NOT_FOUND (200, not to be cached), on which the client sends the text.
 */
function sourceOf(pipeline: GraphqlPipeline, params: GraphqlParams): string | GraphQLError {
  const persisted = params.extensions?.persistedQuery;
  const { query } = params;
  if (!persisted) return query || badRequest('GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.');
  if (!isRecord(persisted) || persisted.version !== 1) return badRequest('Unsupported persisted query version');
  const hash = persisted.sha256Hash;
  if (query === undefined) {
    const known = typeof hash === 'string' ? pipeline.documents.textOf(hash) : undefined;
    return (
      known ??
      new GraphQLError('PersistedQueryNotFound', {
        extensions: {
          code: ErrorCode.PERSISTED_QUERY_NOT_FOUND,
          http: { status: 200, headers: { 'cache-control': 'private, no-cache, must-revalidate' } },
        },
      })
    );
  }
  return hash === queryHash(query) ? query : badRequest('provided sha does not match query');
}

/**
 * Runs the operation of one GraphQL request over HTTP on the pipeline and answers it: the
 * document from the cache (parsed and validated once per text), the operation the request
 * names, graphql-js' `execute`. Statuses follow docs/graphql-over-http.md: a request refused
 * before execution (persisted query, parse, validation, operation name, a subscription) is
 * 400, a mutation over GET 405 with `Allow: POST`, variables that do not coerce 400; once the
 * operation runs, 200 with `data` and `errors`. `answered` is told the outcome, with the
 * operation once it is known.
 */
export async function runHttpOperation(
  pipeline: GraphqlPipeline,
  params: GraphqlParams,
  method: string,
  contextValue: RequestContext,
  answered: HttpAnswered,
): Promise<HttpAnswer> {
  const refuse = (errors: readonly GraphQLError[], operation?: Parameters<HttpAnswered>[0]): HttpAnswer => {
    answered(operation, errors);
    return errorAnswer(pipeline, errors, 400);
  };
  const source = sourceOf(pipeline, params);
  if (source instanceof GraphQLError) return refuse([source]);
  const prepared = pipeline.documents.prepare(source);
  if ('errors' in prepared) return refuse(prepared.errors);
  const { document } = prepared;
  const { schema } = pipeline;
  const { operationName, variables: variableValues } = params;
  const operation = getOperationAST(document, operationName) ?? undefined;
  if (!operation) {
    // graphql-js says why (no such name, or several operations and no name) without running anything.
    const { errors = [] } = execute({ schema, document, operationName }) as ExecutionResult;
    return refuse(errors.map((error) => withCode(error, ErrorCode.OPERATION_RESOLUTION_FAILURE)));
  }
  if (method === 'GET' && operation.operation !== 'query')
    return refuse(
      [badRequest(`GET requests only support query operations, not ${operation.operation} operations`, 405, { allow: 'POST' })],
      operation,
    );
  if (operation.operation === 'subscription') return refuse([subscriptionOverHttp()], operation);
  const result = await execute({ schema, document, contextValue, variableValues, operationName });
  answered(operation, result.errors);
  if (!result.errors) return { status: 200, result: { data: result.data } };
  // No data: the variables did not coerce (the formatting gives them BAD_USER_INPUT).
  const answer = errorAnswer(pipeline, result.errors, result.data === undefined ? 400 : 200);
  return { ...answer, result: { errors: answer.result.errors, data: result.data } };
}
