import type { Health } from './use-health';

/** Banners for what stops jobs from running: Redis unreachable, queues with waiting jobs and no worker. */
export function HealthBanners({ health, unreachable }: { health: Health | undefined; unreachable: boolean }) {
  if (unreachable)
    return (
      <p role="alert" className="banner banner-bad" data-testid="banner-gateway">
        The gateway does not answer: the console shows what it knew, and reconnects by itself.
      </p>
    );
  if (health === undefined) return null;
  if (!health.redis.connected)
    return (
      <p role="alert" className="banner banner-bad" data-testid="banner-redis">
        Redis is unreachable: jobs can be neither enqueued nor run until it is back.
      </p>
    );
  const stranded = Object.entries(health.queues ?? {}).filter(([, queue]) => queue.waiting > 0 && queue.workers === 0);
  if (stranded.length === 0) return null;
  return (
    <p role="status" className="banner" data-testid="banner-no-worker">
      {stranded.length === 1 ? 'A queue has' : 'Queues have'} waiting jobs and no worker:{' '}
      {stranded.map(([name, queue]) => `${name} (${queue.waiting} waiting)`).join(', ')}.
    </p>
  );
}
