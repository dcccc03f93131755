import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import Negotiator from 'negotiator';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors';
import type { RequestContext } from '../resolvers/context';
import { isRecord } from '../lib/is-record';
import type { GraphqlPipeline } from './graphql-pipeline';
import { parseJsonBody, readBody, type BodyProblem } from './http-body';
import { MAX_INPUT_NESTING, nestedDeeperThan, tooDeeplyNested } from './input-nesting';

/** What the handler needs from the gateway. */
export interface GraphqlHttpOptions {
  pipeline: GraphqlPipeline;
  maxBodyBytes: number;
  /** The resolver context of a request; rejects with UNAUTHENTICATED (401) on bad credentials. */
  context(request: IncomingMessage): Promise<RequestContext>;
  logger: Logger;
}

const GRAPHQL_RESPONSE_TYPES = ['application/json', 'application/graphql-response+json'];
/** `application/json`, with no charset or a UTF-8 one: the only POST body GraphQL over HTTP requires, and the only one taken. */
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const JSON_ESSENCE = /^application\/json\s*(;|$)/i;

/** A refusal answered before any GraphQL work, through Apollo's error response (status, content type and formatting as for every error). */
function refusal(status: number, code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status } } });
}

const REFUSALS: Record<Exclude<BodyProblem, 'aborted'> | 'not-acceptable' | 'not-json' | 'charset', () => GraphQLError> = {
  'too-large': () => refusal(413, ErrorCode.BAD_USER_INPUT, 'Request body too large'),
  malformed: () => refusal(400, ErrorCode.BAD_USER_INPUT, 'Malformed request body'),
  'unsupported-encoding': () =>
    refusal(415, ApolloServerErrorCode.BAD_REQUEST, 'Unsupported Content-Encoding: send identity, gzip, deflate or br'),
  'not-json': () => refusal(415, ApolloServerErrorCode.BAD_REQUEST, 'POST bodies must be application/json'),
  charset: () => refusal(415, ApolloServerErrorCode.BAD_REQUEST, 'Unsupported charset: POST bodies must be UTF-8'),
  'not-acceptable': () =>
    refusal(
      406,
      ApolloServerErrorCode.BAD_REQUEST,
      'The Accept header allows neither application/graphql-response+json nor application/json',
    ),
};

/** Whether a GET of /graphql is a browser asking for a page (GraphiQL) rather than a GraphQL client; Apollo's own test. */
export function prefersHtml(request: IncomingMessage): boolean {
  return (
    request.method === 'GET' &&
    Boolean(request.headers.accept) &&
    new Negotiator(request).mediaType([...GRAPHQL_RESPONSE_TYPES, 'text/html']) === 'text/html'
  );
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

/** The operation texts a request carries: one for GET, one per operation of a POST (batches hold several). */
function queryTexts(request: HTTPGraphQLRequest): string[] {
  if (request.method === 'GET') return new URLSearchParams(request.search).getAll('query');
  const operations: unknown[] = Array.isArray(request.body) ? request.body : [request.body];
  const texts: string[] = [];
  for (const operation of operations) if (isRecord(operation) && typeof operation.query === 'string') texts.push(operation.query);
  return texts;
}

/** A request as Apollo reads it, and what refuses it before execution, if anything. */
interface ReadRequest {
  request: HTTPGraphQLRequest;
  /** Refuses the HTTP envelope (Accept, content type, body): answered before authentication. */
  envelope?: GraphQLError;
  /** Refuses a document (too long, too deep): answered after authentication, like any parse failure. */
  document?: GraphQLError;
  /** The hashes its operations name their cached documents by ({@link GraphqlHttp.byKnownHash}), released once answered. */
  loans: string[];
}

function write(response: ServerResponse, result: HTTPGraphQLResponse): Promise<void> | void {
  response.statusCode = result.status ?? 200;
  for (const [name, value] of result.headers) response.setHeader(name, value);
  if (result.body.kind === 'complete') {
    response.setHeader('content-length', Buffer.byteLength(result.body.string));
    return void response.end(result.body.string);
  }
  return (async (chunks: AsyncIterable<string>) => {
    for await (const chunk of chunks) response.write(chunk);
    response.end();
  })(result.body.asyncIterator);
}

/**
 * `/graphql` over HTTP, straight from Node's HTTP server into Apollo Server's request pipeline:
 * POST (JSON, plain or gzip/deflate/br, single or batched) and GET (queries only; Apollo
 * answers a mutation 405). This file only adapts bytes: it reads and decodes the body within
 * the limit, refuses what cannot be a GraphQL request over HTTP (Accept, content type,
 * encoding, a document over the parser's limits) through Apollo's own error response, and
 * writes Apollo's answer. Status codes, content negotiation (`application/graphql-response+json`
 * when accepted) and error formatting are Apollo's.
 */
export class GraphqlHttp {
  constructor(private readonly options: GraphqlHttpOptions) {}

  /** Answers `request`; never rejects. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const read = await this.read(request);
      if (read === 'aborted') return;
      const { envelope, document, loans } = read;
      // The rest of an oversized upload is not read: the connection cannot be reused.
      if (envelope?.extensions.http && (envelope.extensions.http as { status: number }).status === 413)
        response.setHeader('connection', 'close');
      const { options } = this;
      let result: HTTPGraphQLResponse;
      try {
        result = await options.pipeline.apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: read.request,
          async context() {
            if (envelope) throw envelope;
            const context = await options.context(request);
            if (document) throw document;
            return context;
          },
        });
      } finally {
        for (const hash of loans) this.options.pipeline.documents.release(hash);
      }
      await write(response, result);
    } catch (error) {
      this.options.logger.error({ err: error }, 'unexpected error answering /graphql');
      if (!response.headersSent) {
        response.statusCode = 500;
        response.setHeader('content-type', 'application/json; charset=utf-8');
        response.end(
          JSON.stringify({ errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] }),
        );
      } else response.destroy();
    }
  }

  private async read(incoming: IncomingMessage): Promise<ReadRequest | 'aborted'> {
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(incoming.headers))
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    const url = incoming.url ?? '';
    const queryAt = url.indexOf('?');
    const request: HTTPGraphQLRequest = {
      method: incoming.method ?? 'GET',
      headers,
      search: queryAt === -1 ? '' : url.slice(queryAt),
      body: undefined,
    };
    const loans: string[] = [];
    if (incoming.headers.accept && !new Negotiator(incoming).mediaType(GRAPHQL_RESPONSE_TYPES))
      return { request, envelope: REFUSALS['not-acceptable'](), loans };
    if (request.method === 'POST') {
      const type = incoming.headers['content-type'] ?? '';
      if (!JSON_ESSENCE.test(type)) return { request, envelope: REFUSALS['not-json'](), loans };
      if (!JSON_TYPE.test(type)) return { request, envelope: REFUSALS.charset(), loans };
      const raw = await readBody(incoming, this.options.maxBodyBytes);
      if (raw === 'aborted') return raw;
      if (typeof raw === 'string') return { request, envelope: REFUSALS[raw](), loans };
      const body = parseJsonBody(raw);
      if (body === undefined) return { request, envelope: REFUSALS.malformed(), loans };
      if (openingBrackets(raw) > MAX_INPUT_NESTING + 2 && nestedDeeperThan(body, MAX_INPUT_NESTING + 2))
        return { request, envelope: tooDeeplyNested(), loans };
      request.body = Array.isArray(body) ? body.map((operation) => this.byKnownHash(operation, loans)) : this.byKnownHash(body, loans);
    }
    // A text named by its hash is a cached document's, which passed this screening already.
    for (const text of queryTexts(request)) {
      const document = this.options.pipeline.documents.screen(text);
      if (document) return { request, document, loans };
    }
    return { request, loans };
  }

  /**
   * `operation` naming its query by hash, as an automatic persisted query, when the text is a
   * cached document's: Apollo hashes the query text of every request to find its document, and
   * that hash is known. Apollo reads the text back from the document cache, which keeps it
   * until the request is answered (`loans`). An operation that brings a persisted query of its
   * own, or extensions Apollo refuses, is left as it is. The operation is this request's own
   * parsed body, changed in place (a copy without `query` costs more than the hash it saves).
   */
  private byKnownHash(operation: unknown, loans: string[]): unknown {
    if (!isRecord(operation) || typeof operation.query !== 'string') return operation;
    const extensions = operation.extensions;
    if (extensions !== undefined && extensions !== null && (!isRecord(extensions) || 'persistedQuery' in extensions)) return operation;
    const hash = this.options.pipeline.documents.borrowHash(operation.query);
    if (hash === undefined) return operation;
    loans.push(hash);
    const persistedQuery = { version: 1, sha256Hash: hash };
    operation.query = undefined;
    operation.extensions = extensions ? { ...extensions, persistedQuery } : { persistedQuery };
    return operation;
  }
}
