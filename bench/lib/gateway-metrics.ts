/**
 * Readings of the gateway's Prometheus endpoint, which need no flag or change to the process under
 * test: its garbage collections (prom-client's default metrics observe every one,
 * `nodejs_gc_duration_seconds` by kind) and its open subscriptions.
 */
import type { GcTotals } from '../load/fanout-latency-api';
import type { Gateway } from './gateway';

/** One sample of the exposition text: `name` with `labels` as written (e.g. `{kind="minor"}`), 0 when absent. */
function sample(text: string, name: string, labels = ''): number {
  const escaped = `${name}${labels}`.replace(/[{}]/g, '\\$&');
  const match = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

async function scrape(gateway: Gateway): Promise<string> {
  const res = await fetch(new URL('/metrics', gateway.url), { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`expected 200 from the gateway's /metrics, got ${res.status}`);
  return res.text();
}

/** Collections and their total pause by generation since the gateway started. */
export async function gatewayGc(gateway: Gateway): Promise<GcTotals> {
  const text = await scrape(gateway);
  return {
    minor: sample(text, 'nodejs_gc_duration_seconds_count', '{kind="minor"}'),
    minorMs: sample(text, 'nodejs_gc_duration_seconds_sum', '{kind="minor"}') * 1000,
    major: sample(text, 'nodejs_gc_duration_seconds_count', '{kind="major"}'),
    majorMs: sample(text, 'nodejs_gc_duration_seconds_sum', '{kind="major"}') * 1000,
  };
}

/** GraphQL subscriptions the gateway has open now. */
export async function gatewaySubscriptions(gateway: Gateway): Promise<number> {
  return sample(await scrape(gateway), 'jobgate_subscriptions_active');
}
