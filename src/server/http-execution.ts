import type { IncomingMessage } from 'node:http';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { execute, getOperationAST, GraphQLError, type DocumentNode, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { JobgateError } from '../errors';
import type { GatewayMetrics } from '../observability/metrics';
import type { RequestContext } from '../resolvers/context';
import type { DocumentCache } from './document-cache';
import { logRequestErrors, toClientError } from './error-formatting';

/** A request in the one shape this path executes: one operation as text, variables as an object. */
interface PlainRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

/** A status and a JSON body. */
export interface HttpAnswer {
  status: number;
  body: string;
}

/** Subscriptions are served over WebSocket only; over HTTP Apollo would run them and answer a null root field. */
const SUBSCRIPTION_OVER_HTTP = 'Subscriptions go over WebSocket (graphql-transport-ws) at /graphql, not HTTP';

/** A JSON body as Apollo writes it: the value, then a newline. */
const json = (value: unknown): string => `${JSON.stringify(value)}\n`;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether `body` is a plain request; anything else (batches, persisted queries, odd types) is Apollo's to answer. */
function isPlainRequest(body: unknown): body is PlainRequest {
  if (!isRecord(body) || typeof body.query !== 'string' || body.query === '') return false;
  if (body.variables !== undefined && body.variables !== null && !isRecord(body.variables)) return false;
  if (body.operationName !== undefined && body.operationName !== null && typeof body.operationName !== 'string') return false;
  return body.extensions === undefined || (isRecord(body.extensions) && body.extensions.persistedQuery === undefined);
}

/** Errors as the client sees them; `code`, when given, marks them as Apollo marks errors of that kind. */
function clientErrors(errors: readonly GraphQLError[], code?: ApolloServerErrorCode): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = error.toJSON();
    return toClientError(code ? { ...formatted, extensions: { ...formatted.extensions, code } } : formatted, error);
  });
}

/**
 * Executes a plain `POST /graphql` (one operation as text, optional variables and operation
 * name) with graphql-js, answering as Apollo does: the caller's credentials first (401),
 * then 400 with GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED or BAD_USER_INPUT (variables),
 * then 200 with `data` and any resolver errors; a subscription gets 400 BAD_REQUEST (they are
 * served over WebSocket). Same schema, validation rules, error
 * formatting, error logging and operation metrics as the Apollo server. Apollo's pipeline
 * (plugin hooks, content negotiation, a hash of every query) was ~60 µs of the ~200 µs of CPU a
 * single enqueue cost (README *The HTTP path*). Everything else — batches, persisted queries,
 * a request naming an operation the document does not hold, GET — is left to
 * Apollo: `answer` gives undefined for those.
 */
export class HttpExecution {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly documents: DocumentCache,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** The answer to `body`, or undefined when it is not a plain request. */
  async answer(body: unknown, request: IncomingMessage, context: (request: IncomingMessage) => Promise<RequestContext>): Promise<HttpAnswer | undefined> {
    if (!isPlainRequest(body)) return undefined;
    let contextValue: RequestContext;
    try {
      contextValue = await context(request);
    } catch (error) {
      if (!(error instanceof JobgateError)) throw error;
      const status = (error.extensions.http as { status?: number } | undefined)?.status ?? 500;
      return { status, body: json({ errors: [toClientError({ message: error.message }, error)] }) };
    }
    const started = process.hrtime.bigint();
    const seconds = (): number => Number(process.hrtime.bigint() - started) / 1e9;
    let document: DocumentNode;
    try {
      // The cache marks its syntax and validation errors with their codes.
      document = this.documents.parse(body.query);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      this.metrics.operation('unknown', null, true, seconds());
      return { status: 400, body: json({ errors: clientErrors([error]) }) };
    }
    const invalid = this.documents.validate(this.schema, document);
    if (invalid.length > 0) {
      this.metrics.operation('unknown', null, true, seconds());
      return { status: 400, body: json({ errors: clientErrors(invalid) }) };
    }
    const operation = getOperationAST(document, body.operationName ?? undefined);
    if (!operation) return undefined;
    if (operation.operation === 'subscription') {
      this.metrics.operation('subscription', operation.name?.value, true, seconds());
      return { status: 400, body: json({ errors: [{ message: SUBSCRIPTION_OVER_HTTP, extensions: { code: ApolloServerErrorCode.BAD_REQUEST } }] }) };
    }
    const result = await execute({ schema: this.schema, document, operationName: body.operationName, variableValues: body.variables, contextValue });
    const name = operation.name?.value;
    if (!('data' in result) && result.errors) {
      this.metrics.operation(operation.operation, name, true, seconds());
      return { status: 400, body: json({ errors: clientErrors(result.errors, ApolloServerErrorCode.BAD_USER_INPUT) }) };
    }
    if (result.errors) logRequestErrors(result.errors, contextValue);
    this.metrics.operation(operation.operation, name, Boolean(result.errors?.length), seconds());
    return { status: 200, body: json(result.errors ? { errors: clientErrors(result.errors), data: result.data } : { data: result.data }) };
  }
}
