import { UnrecoverableError } from 'bullmq';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { isLoopbackHost, type Config } from '../config';
import { badInput } from '../errors';
import { defineJob } from './job-definition';

@InputType({ description: 'Input of the syncExternal job: the order to push to the ERP.' })
export class SyncExternalInput {
  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  orderId!: number;

  @Field(() => String, { nullable: true, description: 'Endpoint to call; defaults to <SYNC_BASE_URL>/orders/<orderId>.' })
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  url?: string;
}

/** The ERP did not answer within `SYNC_TIMEOUT_MS` (the seed's `requests.exceptions.Timeout`). */
export class SyncTimeoutError extends Error {
  override name = 'SyncTimeoutError';
}

/** No connection to the ERP: refused, reset, unknown host (the seed's `requests.exceptions.ConnectionError`). */
export class SyncConnectionError extends Error {
  override name = 'SyncConnectionError';
}

/** What a `syncExternal` job returns: the ERP's answer, or the fallback after the last attempt could not connect. */
export type SyncExternalResult = { orderId: number; status: number; body: string } | { orderId: number; status: 'failed'; error: string };

/** The first retry after a timeout waits this long, doubling at each retry (the seed: `60 * (2 ** self.request.retries)` s). */
const TIMEOUT_COUNTDOWN_MS = 60_000;
/** Every retry after a connection error waits this long (the seed: `countdown=120`). */
const CONNECTION_COUNTDOWN_MS = 120_000;

/**
 * Why `fetch` could not reach a host at all: refused, unknown host, unreachable, connect timeout.
 * A socket dropped during the exchange (a reset, a keep-alive socket the server closed as it was
 * reused) is not among them: that is a failed call, retried with the backoff, not an ERP that is down.
 */
const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * `error`, thrown while calling the ERP, as the kind the retry policy tells apart: the job's own
 * signal (cancellation, time limit) is left to the processor; our timeout is a SyncTimeoutError; a
 * `fetch` that could not connect (undici's `TypeError: fetch failed` with such a cause) a SyncConnectionError.
 */
function classified(error: unknown, url: URL, signal: AbortSignal, timeout: AbortSignal, timeoutMs: number): unknown {
  if (signal.aborted) return error;
  if (timeout.aborted) return new SyncTimeoutError(`no answer from ${url.origin} within ${timeoutMs} ms`);
  const cause = error instanceof TypeError ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string' && CONNECT_FAILURES.has(cause.code)) {
    return new SyncConnectionError(`connection to ${url.origin} failed: ${cause.code}`);
  }
  return error;
}

/** Redirects followed at most, each checked like the first URL. */
const MAX_REDIRECTS = 5;

/** Whether the job may call `url`: an origin in the allow-list (loopback too in dev mode), so it cannot probe internal hosts. */
function isAllowed(url: URL, config: Config): boolean {
  return config.syncAllowedOrigins.includes(url.origin) || (config.devMode && isLoopbackHost(url.hostname));
}

/** The URL to call, refusing origins outside the allow-list. */
function target(input: SyncExternalInput, config: Config): URL {
  const url = new URL(input.url ?? `${config.syncBaseUrl.replace(/\/$/, '')}/orders/${input.orderId}`);
  if (!isAllowed(url, config)) throw badInput('url', `url origin ${url.origin} is not in SYNC_ALLOWED_ORIGINS`);
  return url;
}

/**
 * POSTs `body` to `url`, following redirects by hand: every hop must be allowed too, or the
 * job fails without retry and without reading that host's answer. 307 and 308 repeat the POST;
 * 301, 302 and 303 continue with a GET, as browsers do.
 */
async function post(
  url: URL,
  body: string,
  config: Config,
  signal: AbortSignal,
  log: (line: string) => Promise<void>,
): Promise<{ url: URL; response: Response }> {
  let current = url;
  let method = 'POST';
  for (let hop = 0; ; hop += 1) {
    const response = await fetch(current, {
      method,
      redirect: 'manual',
      ...(method === 'POST' && { headers: { 'content-type': 'application/json' }, body }),
      signal,
    });
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || location === null) return { url: current, response };
    await response.body?.cancel();
    const next = new URL(location, current);
    if (!isAllowed(next, config))
      throw new UnrecoverableError(
        `HTTP ${response.status} from ${current.origin} redirects to ${next.origin}, which is not in SYNC_ALLOWED_ORIGINS`,
      );
    if (hop === MAX_REDIRECTS) throw new UnrecoverableError(`more than ${MAX_REDIRECTS} redirects from ${url.origin}`);
    if (response.status !== 307 && response.status !== 308) method = 'GET';
    await log(`HTTP ${response.status}: ${method} ${next.href}`);
    current = next;
  }
}

/**
 * Pushes an order to an external system over HTTP, retrying as the seed's Celery tasks
 * (`sync_with_external_api`, `sincroniza_totvs_async`) do, 5 attempts in all: after a timeout
 * in 60 s × 2^retries, after a connection error in 120 s, after a 5xx with the job's backoff
 * (exponential from 2 s, capped at 60 s, jitter 0.5). When its retries are exhausted by a
 * connection error the job completes with `{ orderId, status: 'failed', error }` instead of failing (the seed's
 * `except MaxRetriesExceededError: return {"status": "failed", …}`). A 4xx means the request
 * itself is wrong and fails at once, as does a URL or a redirect outside the allow-list.
 */
export const syncExternal = defineJob<SyncExternalInput, SyncExternalResult>({
  name: 'syncExternal',
  queue: 'integrations',
  description: 'Calls an external HTTP endpoint for an order, retrying network errors and 5xx.',
  input: SyncExternalInput,
  defaults: { attempts: 5, backoff: { type: 'exponential', delayMs: 2000, maxDelayMs: 60_000, jitter: 0.5 } },
  retry: {
    countdown(error, { retries }) {
      if (error instanceof SyncTimeoutError) return TIMEOUT_COUNTDOWN_MS * 2 ** retries;
      if (error instanceof SyncConnectionError) return CONNECTION_COUNTDOWN_MS;
      return undefined; // a 5xx: the job's backoff
    },
    fallback(error, input) {
      if (error instanceof SyncConnectionError) return { orderId: input.orderId, status: 'failed', error: error.message };
      return undefined;
    },
  },
  // However many workers run, the external system gets at most 10 calls a second.
  rateLimit: { max: 10, durationMs: 1000 },
  check(input, config) {
    target(input, config);
  },
  async process(input, { config, signal, log, job }) {
    let first: URL;
    try {
      first = target(input, config);
    } catch (error) {
      // The allow-list changed since the enqueue: no attempt would be allowed either.
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    }
    await log(`attempt ${job.attemptsMade + 1}: POST ${first.href}`);
    const timeout = AbortSignal.timeout(config.syncTimeoutMs);
    let url: URL;
    let response: Response;
    let body: string;
    try {
      ({ url, response } = await post(first, JSON.stringify({ orderId: input.orderId }), config, AbortSignal.any([signal, timeout]), log));
      body = (await response.text()).slice(0, 4096);
    } catch (error) {
      throw classified(error, first, signal, timeout, config.syncTimeoutMs);
    }
    if (response.status >= 400 && response.status < 500) {
      throw new UnrecoverableError(`HTTP ${response.status} from ${url.origin}: ${body.slice(0, 200)}`);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url.origin}`);
    return { orderId: input.orderId, status: response.status, body };
  },
});
