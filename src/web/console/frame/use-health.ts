import { useEffect, useState } from 'react';
import type { ConnectionState } from '@jobgate/client';

/** `GET /readyz` as the gateway answers it (`queues` may be absent from an older gateway). */
export interface Health {
  status: 'healthy' | 'degraded' | 'unhealthy';
  redis: { connected: boolean };
  workers: number;
  queues?: Record<string, { workers: number; waiting: number }>;
}

/**
 * No subscription carries the gateway's health (Redis down, queues without workers), so it is
 * asked again every few seconds as well as whenever the live connection changes state: a cheap
 * GET that keeps the banners true while nothing else moves.
 */
const HEALTH_REFRESH_MS = 12_000;

const isHealth = (value: unknown): value is Health =>
  typeof value === 'object' && value !== null && 'status' in value && 'redis' in value && typeof value.redis === 'object';

/** The gateway's health, or undefined while unknown; `unreachable` when the gateway itself does not answer. */
export function useHealth(connection: ConnectionState): { health: Health | undefined; unreachable: boolean } {
  const [health, setHealth] = useState<Health>();
  const [unreachable, setUnreachable] = useState(false);
  useEffect(() => {
    let current = true;
    const check = (): void => {
      // 503 (Redis down) still carries the JSON.
      fetch(new URL('/readyz', window.location.href), { headers: { accept: 'application/json' } })
        .then((response) => response.json() as Promise<unknown>)
        .then(
          (body) => {
            if (!current) return;
            setUnreachable(false);
            setHealth(isHealth(body) ? body : undefined);
          },
          () => {
            if (current) setUnreachable(true);
          },
        );
    };
    check();
    const timer = setInterval(check, HEALTH_REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [connection]);
  return { health, unreachable };
}
