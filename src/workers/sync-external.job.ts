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

/** The URL to call, refusing origins outside the allow-list so the job cannot probe internal hosts. */
function target(input: SyncExternalInput, config: Config): URL {
  const url = new URL(input.url ?? `${config.syncBaseUrl.replace(/\/$/, '')}/orders/${input.orderId}`);
  const allowed =
    config.syncAllowedOrigins.includes(url.origin) || (config.devMode && isLoopbackHost(url.hostname));
  if (!allowed) throw badInput('url', `url origin ${url.origin} is not in SYNC_ALLOWED_ORIGINS`);
  return url;
}

/**
 * Pushes an order to an external system over HTTP. Network errors, timeouts and 5xx are
 * retried with exponential backoff (5 attempts); a 4xx means the request itself is wrong
 * and fails at once.
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
    const url = target(input, config);
    await log(`attempt ${job.attemptsMade + 1}: POST ${url.href}`);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderId: input.orderId }),
      signal: AbortSignal.any([signal, AbortSignal.timeout(config.syncTimeoutMs)]),
    });
    const body = (await response.text()).slice(0, 4096);
    if (response.status >= 400 && response.status < 500) {
      throw new UnrecoverableError(`HTTP ${response.status} from ${url.origin}: ${body.slice(0, 200)}`);
    }
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url.origin}`);
    return { orderId: input.orderId, status: response.status, body };
  },
});
