import type { IncomingMessage, ServerResponse } from 'node:http';
import { TOKEN_HEADER_KEY, type Handler, type RequestHeaders, type Response } from 'graphql-sse';
import Negotiator from 'negotiator';
import type { Logger } from 'pino';
import { ErrorCode } from '../errors';
import { isRecord } from '../lib/is-record';
import { parseJsonBody, readBody } from './http-body';
import type { SseAdmission } from './sse-admission';
import { refusal, type SseRequestContext } from './sse-protocol';
import type { EventStream } from './sse-stream';

/** `application/json`, with no charset or a UTF-8 one: the only POST body taken, as on `/graphql`. */
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;
/** The media types graphql-sse's handler tells requests apart by (it compares `Accept` as a whole string). */
const PROTOCOL_TYPES = ['text/event-stream', 'application/json', 'text/plain'];

/** What the transport needs besides the handler. */
export interface SseTransportOptions {
  /** The stream's path, for the gateway's own requests. */
  path: string;
  maxBodyBytes: number;
  logger: Logger;
}

/**
 * The request's headers as graphql-sse reads them. Its handler compares `Accept` with whole
 * strings (`text/event-stream`, `application/json`, `*\/*`…): an `Accept` that lists several
 * types (`text/event-stream, *\/*;q=0.1`, as proxies and some clients send) is given as the
 * protocol type it prefers.
 */
function headersOf(request: IncomingMessage): RequestHeaders {
  return {
    get(key) {
      if (key === 'accept') {
        const accept = request.headers.accept;
        if (accept === undefined || accept === '*/*') return accept;
        return new Negotiator(request).mediaTypes(PROTOCOL_TYPES)[0] ?? accept;
      }
      const value = request.headers[key];
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/** Writes a response that is not an event stream. */
function answer(response: ServerResponse, [body, init]: Response): void {
  response.writeHead(init.status, init.statusText, init.headers);
  response.end(body ?? undefined);
}

/**
 * graphql-sse's handler bound to Node's HTTP server: the part graphql-sse keeps in its
 * `use/http.ts`, knowing nothing of the protocol's options. Rather than that adapter: a POST
 * body is read within MAX_BODY_BYTES (decompressed, as on `/graphql`) and refused with the same
 * statuses before anything runs; an event stream is carried by its EventStream, which the
 * subscriptions write to directly, and graphql-sse's own messages (pings, `complete`, results of
 * queries and mutations) go through the same writer, in order; a stream's end (the client gone,
 * its operation complete, its credentials expired, shutdown) releases it from admission.
 */
export class SseTransport {
  constructor(
    private readonly handler: Handler<IncomingMessage | undefined, SseRequestContext>,
    private readonly admission: SseAdmission,
    private readonly options: SseTransportOptions,
  ) {}

  /** Answers `request`; never rejects. */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const context: SseRequestContext = {};
    try {
      const body = request.method === 'POST' ? await this.body(request, response) : null;
      if (body === undefined) return;
      const [payload, init] = await this.handler({
        method: request.method ?? 'GET',
        url: request.url ?? '/',
        headers: headersOf(request),
        body,
        raw: request,
        context,
      });
      const { stream } = context;
      if (payload !== null && typeof payload !== 'string') {
        if (!stream) throw new TypeError('An event stream without an admitted stream');
        context.opened = false;
        return await this.carry(payload, init, response, stream);
      }
      if (stream && context.opened && init.status === 201) context.opened = false;
      answer(response, [payload, init]);
    } catch (error) {
      this.options.logger.error({ err: error }, 'unexpected error answering /graphql/stream');
      if (!response.headersSent) answer(response, refusal(500, ErrorCode.INTERNAL_SERVER_ERROR, 'Internal server error'));
      else response.destroy();
    } finally {
      if (context.stream && context.opened) this.admission.release(context.stream);
    }
  }

  /**
   * Makes graphql-sse forget a reservation that was never connected, then releases it. Its
   * handler keeps a reserved stream until the stream's message iterator ends, and hands that
   * iterator out only to a connecting GET: the gateway sends that GET itself, and ends it.
   */
  async forget(stream: EventStream): Promise<void> {
    try {
      const token = stream.token;
      const headers: RequestHeaders = {
        get: (key) => (key === 'accept' ? 'text/event-stream' : key === TOKEN_HEADER_KEY ? token : undefined),
      };
      const [payload] = await this.handler({
        method: 'GET',
        url: this.options.path,
        headers,
        body: null,
        raw: undefined,
        context: { lapsing: stream },
      });
      if (payload !== null && typeof payload !== 'string') await payload.return();
    } catch (error) {
      this.options.logger.error({ err: error }, 'unexpected error forgetting an event stream reservation');
    } finally {
      this.admission.release(stream);
    }
  }

  /** Carries an event stream until it ends: graphql-sse's messages in order, the client's leaving ending it. */
  private async carry(
    messages: AsyncGenerator<string, void, undefined>,
    init: Response[1],
    response: ServerResponse,
    stream: EventStream,
  ): Promise<void> {
    // Proxies that buffer responses (nginx) are told not to: events must go out as they come.
    response.writeHead(init.status, init.statusText, { ...init.headers, 'x-accel-buffering': 'no' });
    response.flushHeaders();
    const leave = (): void => void messages.return();
    response.once('close', leave);
    // A client that left while its operation was being set up: its `close` has already been emitted.
    if (response.destroyed) leave();
    stream.attach(response);
    try {
      for await (const message of messages) stream.write(message);
    } finally {
      response.off('close', leave);
      this.admission.release(stream);
    }
  }

  /**
   * The JSON object a POST carries, or undefined once the request has been answered (refused,
   * or aborted by the client): the checks and statuses of `/graphql`.
   */
  private async body(request: IncomingMessage, response: ServerResponse): Promise<Record<string, unknown> | undefined> {
    const type = request.headers['content-type'] ?? '';
    if (!JSON_TYPE.test(type)) {
      answer(response, refusal(415, ErrorCode.BAD_REQUEST, 'POST bodies must be application/json (UTF-8)'));
      return undefined;
    }
    const raw = await readBody(request, this.options.maxBodyBytes);
    if (raw === 'aborted') return undefined;
    if (raw === 'too-large') answer(response, refusal(413, ErrorCode.BAD_USER_INPUT, 'Request body too large', { connection: 'close' }));
    else if (raw === 'unsupported-encoding')
      answer(response, refusal(415, ErrorCode.BAD_REQUEST, 'Unsupported Content-Encoding: send identity, gzip, deflate or br'));
    if (typeof raw === 'string') {
      if (raw === 'malformed') answer(response, refusal(400, ErrorCode.BAD_USER_INPUT, 'Malformed request body'));
      return undefined;
    }
    const parsed = parseJsonBody(raw);
    if (isRecord(parsed)) return parsed;
    answer(response, refusal(400, ErrorCode.BAD_USER_INPUT, 'Malformed request body: one JSON object, one operation'));
    return undefined;
  }
}
