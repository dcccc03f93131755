import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors';
import type { RequestContext } from '../resolvers/context';
import type { HttpExecution } from './http-execution';

/** What the handler needs from the gateway: the started Apollo server, the body limit and the context of a request. */
export interface GraphqlPostOptions {
  /** Executes plain requests; Apollo answers the rest. */
  execution: HttpExecution;
  apollo: ApolloServer<RequestContext>;
  maxBodyBytes: number;
  context(request: IncomingMessage): Promise<RequestContext>;
  logger: Logger;
}

/** `application/json`, alone or with a UTF-8 charset: the bodies this path parses itself. */
const PLAIN_JSON = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
const GRAPHQL_PATH = /^\/graphql\/?(\?|$)/i;

/** What a failure before any GraphQL work is answered with, on this path and after `express.json()` alike. */
export const BodyError = {
  TOO_LARGE: { message: 'Request body too large', code: ErrorCode.BAD_USER_INPUT },
  MALFORMED: { message: 'Malformed request body', code: ErrorCode.BAD_USER_INPUT },
  INTERNAL: { message: 'Internal server error', code: ErrorCode.INTERNAL_SERVER_ERROR },
} as const;

/** The GraphQL-shaped error body of a {@link BodyError}. */
export function bodyErrorResult({ message, code }: (typeof BodyError)[keyof typeof BodyError]): { errors: { message: string; extensions: { code: ErrorCode } }[] } {
  return { errors: [{ message, extensions: { code } }] };
}

function answer(response: ServerResponse, status: number, body: string, headers: Iterable<[string, string]> = [['content-type', 'application/json; charset=utf-8']]): void {
  response.statusCode = status;
  for (const [name, value] of headers) response.setHeader(name, value);
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}

/** The request body; `too-large` once it passes `limit` bytes (declared or sent), `aborted` when the client goes away first. */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data');
        request.resume();
        resolve('too-large');
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks, size)));
    // A request cut short errors ("aborted") and closes incomplete; the first settles it.
    request.on('error', () => resolve('aborted'));
    request.on('close', () => {
      if (!request.complete) resolve('aborted');
    });
  });
}

/** A JSON object or array as body-parser's strict mode takes it (an empty body is `{}`), or undefined when it is not one. */
function parseJson(body: Buffer): unknown {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  if (text[0] !== '{' && text[0] !== '[') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

async function send(response: ServerResponse, result: HTTPGraphQLResponse): Promise<void> {
  if (result.body.kind === 'complete') return answer(response, result.status ?? 200, result.body.string, result.headers);
  response.statusCode = result.status ?? 200;
  for (const [name, value] of result.headers) response.setHeader(name, value);
  for await (const chunk of result.body.asyncIterator) response.write(chunk);
  response.end();
}

/**
 * `POST /graphql` with a plain JSON body, straight from Node's HTTP server to the GraphQL
 * execution: this is the request the gateway answers most, and taking Express's router,
 * body-parser and the Express integration off its path halved the CPU of a single enqueue
 * (README *The HTTP path*). It parses what `express.json()` would (same limit, same errors),
 * then lets {@link HttpExecution} answer a plain request and Apollo the others. Every other
 * request (other paths and methods, compressed or non-UTF-8 bodies, other content types,
 * which Apollo refuses as CSRF) still goes through Express.
 */
export class GraphqlPost {
  constructor(private readonly options: GraphqlPostOptions) {}

  /** Whether this path answers `request`. */
  takes(request: IncomingMessage): boolean {
    const encoding = request.headers['content-encoding'];
    return (
      request.method === 'POST' &&
      GRAPHQL_PATH.test(request.url ?? '') &&
      PLAIN_JSON.test(request.headers['content-type'] ?? '') &&
      (encoding === undefined || encoding.toLowerCase() === 'identity')
    );
  }

  /** Answers a request {@link takes} accepted; never rejects. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const raw = await readBody(request, this.options.maxBodyBytes);
      if (raw === 'aborted') return;
      if (raw === 'too-large') {
        response.setHeader('connection', 'close');
        return answer(response, 413, JSON.stringify(bodyErrorResult(BodyError.TOO_LARGE)));
      }
      const body = parseJson(raw);
      if (body === undefined) return answer(response, 400, JSON.stringify(bodyErrorResult(BodyError.MALFORMED)));
      const executed = await this.options.execution.answer(body, request, this.options.context);
      if (executed) return answer(response, executed.status, executed.body);
      const headers = new HeaderMap();
      for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      const queryAt = (request.url ?? '').indexOf('?');
      const result = await this.options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: queryAt === -1 ? '' : (request.url ?? '').slice(queryAt), body },
        context: () => this.options.context(request),
      });
      await send(response, result);
    } catch (error) {
      this.options.logger.error({ err: error }, 'unexpected error answering POST /graphql');
      if (!response.headersSent) answer(response, 500, JSON.stringify(bodyErrorResult(BodyError.INTERNAL)));
      else response.destroy();
    }
  }
}
