import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import Negotiator from 'negotiator';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors';
import type { RequestContext } from '../resolvers/context';
import { isRecord } from '../lib/is-record';
import type { GraphqlPipeline } from './graphql-pipeline';
import { parseJsonBody, readBody, type BodyProblem } from './http-body';
import { errorAnswer, runHttpOperation, statusOf, type HttpAnswer } from './http-operation';
import { badRequest, getParams, httpRefusal, postParams } from './http-params';
import { MAX_INPUT_NESTING, nestedDeeperThan, tooDeeplyNested } from './input-nesting';

/** What the handler needs from the gateway. */
export interface GraphqlHttpOptions {
  pipeline: GraphqlPipeline;
  maxBodyBytes: number;
  /** The resolver context of a request; rejects with UNAUTHENTICATED (401) on bad credentials. */
  context(request: IncomingMessage): Promise<RequestContext>;
  logger: Logger;
}

const JSON_RESPONSE = 'application/json; charset=utf-8';
/** What an answer may be sent as, in the order taken when the client has no preference. */
const RESPONSE_TYPES = [JSON_RESPONSE, 'application/graphql-response+json; charset=utf-8'];
/** `application/json`, with no charset or a UTF-8 one: the only POST body GraphQL over HTTP requires, and the only one taken. */
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const JSON_ESSENCE = /^application\/json\s*(;|$)/i;

const REFUSALS: Record<Exclude<BodyProblem, 'aborted'> | 'not-json' | 'charset', () => GraphQLError> = {
  'too-large': () => httpRefusal(ErrorCode.BAD_USER_INPUT, 'Request body too large', 413),
  malformed: () => httpRefusal(ErrorCode.BAD_USER_INPUT, 'Malformed request body', 400),
  'unsupported-encoding': () => badRequest('Unsupported Content-Encoding: send identity, gzip, deflate or br', 415),
  'not-json': () => badRequest('POST bodies must be application/json', 415),
  charset: () => badRequest('Unsupported charset: POST bodies must be UTF-8', 415),
};

/** Whether a GET of /graphql is a browser asking for a page (GraphiQL) rather than a GraphQL client. */
export function prefersHtml(request: IncomingMessage): boolean {
  return (
    request.method === 'GET' &&
    Boolean(request.headers.accept) &&
    new Negotiator(request).mediaType([...RESPONSE_TYPES, 'text/html']) === 'text/html'
  );
}

/** The content type of the answer: the client's preference among {@link RESPONSE_TYPES}, or null when `Accept` allows neither. */
function responseType(request: IncomingMessage): string | null {
  return request.headers.accept ? (new Negotiator(request).mediaType(RESPONSE_TYPES) ?? null) : JSON_RESPONSE;
}

/**
 * How many `{` and `[` bytes a JSON body holds, strings included: it nests no deeper than that,
 * so a body with few of them needs no walk of its parsed value.
 */
function openingBrackets(body: Buffer): number {
  let count = 0;
  for (let index = 0; index < body.length; index += 1) {
    const byte = body[index];
    if (byte === 0x7b || byte === 0x5b) count += 1;
  }
  return count;
}

function write(response: ServerResponse, type: string, answer: HttpAnswer): void {
  const body = JSON.stringify(answer.result);
  response.statusCode = answer.status;
  if (answer.headers) for (const [name, value] of Object.entries(answer.headers)) response.setHeader(name, value);
  response.setHeader('content-type', type);
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

/**
 * `/graphql` over HTTP, straight from Node's HTTP server: POST (JSON, plain or gzip/deflate/br)
 * and GET (queries only). This file speaks HTTP: it negotiates the answer's content type, reads
 * and decodes the body within the limit, refuses what cannot be a GraphQL request (`Accept`,
 * content type, encoding, JSON, batches, parameters), authenticates, hands the operation to
 * {@link runHttpOperation} and writes the answer. Refusals before authentication are about
 * the envelope only; everything about the document comes after it.
 */
export class GraphqlHttp {
  constructor(private readonly options: GraphqlHttpOptions) {}

  /** Answers `request`; never rejects. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const { pipeline } = this.options;
    try {
      const type = responseType(request);
      if (!type) {
        const refusal = badRequest('The Accept header allows neither application/graphql-response+json nor application/json', 406);
        return write(response, JSON_RESPONSE, errorAnswer(pipeline, [refusal], 406));
      }
      const body = await this.body(request);
      if (body === 'aborted') return;
      if (body instanceof GraphQLError) {
        // The rest of an oversized upload is not read: the connection cannot be reused.
        if (statusOf(body) === 413) response.setHeader('connection', 'close');
        return write(response, type, errorAnswer(pipeline, [body], 400));
      }
      let context: RequestContext;
      try {
        context = await this.options.context(request);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return write(response, type, errorAnswer(pipeline, [error], 500));
      }
      write(response, type, await this.answer(request, body, context));
    } catch (error) {
      this.options.logger.error({ err: error }, 'unexpected error answering /graphql');
      if (!response.headersSent) {
        response.statusCode = 500;
        response.setHeader('content-type', JSON_RESPONSE);
        response.end(
          JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] }),
        );
      } else response.destroy();
    }
  }

  /** A POST's parsed JSON body (undefined for a GET), or its refusal; 'aborted' when the client went away. */
  private async body(request: IncomingMessage): Promise<unknown> {
    if (request.method !== 'POST') return undefined;
    const type = request.headers['content-type'] ?? '';
    if (!JSON_ESSENCE.test(type)) return REFUSALS['not-json']();
    if (!JSON_TYPE.test(type)) return REFUSALS.charset();
    const raw = await readBody(request, this.options.maxBodyBytes);
    if (raw === 'aborted') return raw;
    if (typeof raw === 'string') return REFUSALS[raw]();
    const body = parseJsonBody(raw);
    if (body === undefined) return REFUSALS.malformed();
    if (openingBrackets(raw) > MAX_INPUT_NESTING + 2 && nestedDeeperThan(body, MAX_INPUT_NESTING + 2)) return tooDeeplyNested();
    return body;
  }

  /** The answer to an authenticated request. */
  private answer(request: IncomingMessage, body: unknown, context: RequestContext): HttpAnswer | Promise<HttpAnswer> {
    const { pipeline } = this.options;
    const refuse = (error: GraphQLError): HttpAnswer => errorAnswer(pipeline, [error], 400);
    const method = request.method ?? 'GET';
    let params;
    if (method === 'POST') {
      // Each operation of a batch would pass the cost limit on its own: a batch could multiply it.
      if (Array.isArray(body)) return refuse(badRequest('Operation batching disabled.'));
      params = postParams(isRecord(body) ? body : {});
    } else if (method === 'GET') {
      const type = request.headers['content-type'];
      if (type !== undefined && !JSON_ESSENCE.test(type))
        return refuse(badRequest('GET requests may not have a content-type header other than application/json.', 415));
      const url = request.url ?? '';
      const queryAt = url.indexOf('?');
      params = getParams(queryAt === -1 ? '' : url.slice(queryAt));
    } else return refuse(badRequest('GraphQL over HTTP takes GET and POST requests only', 405, { allow: 'GET, POST' }));
    if (params instanceof GraphQLError) return refuse(params);
    return runHttpOperation(pipeline, params, method, context, pipeline.hook.startHttp(request, context));
  }
}
