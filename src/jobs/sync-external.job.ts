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
 * Pushes an order to an external system over HTTP. Network errors, timeouts and 5xx are
 * retried with exponential backoff (5 attempts); a 4xx means the request itself is wrong
 * and fails at once, as does a URL or a redirect outside the allow-list.
 */
export const syncExternal = defineJob({
  name: 'syncExternal',
  queue: 'integrations',
  description: 'Calls an external HTTP endpoint for an order, retrying network errors and 5xx.',
  input: SyncExternalInput,
  defaults: { attempts: 5, backoff: { type: 'exponential', delayMs: 2000 } },
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
    const { url, response } = await post(
      first,
      JSON.stringify({ orderId: input.orderId }),
      config,
      AbortSignal.any([signal, AbortSignal.timeout(config.syncTimeoutMs)]),
      log,
    );
    const body = (await response.text()).slice(0, 4096);
    if (response.status >= 400 && response.status < 500) {
      throw new UnrecoverableError(`HTTP ${response.status} from ${url.origin}: ${body.slice(0, 200)}`);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url.origin}`);
    return { orderId: input.orderId, status: response.status, body };
  },
});
