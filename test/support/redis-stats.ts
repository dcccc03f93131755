import type IORedis from 'ioredis';

/** Commands Redis ran, by name (INFO commandstats; includes those run inside scripts). */
export async function commandStats(redis: IORedis): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const match of (await redis.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) counts.set(match[1], Number(match[2]));
  return counts;
}

/** The commands `during` caused on a Redis nobody else uses, by name; `info` (the measuring itself) left out. */
export async function countCommands(redis: IORedis, during: () => Promise<unknown>): Promise<Map<string, number>> {
  const before = await commandStats(redis);
  await during();
  const after = await commandStats(redis);
  const delta = new Map<string, number>();
  for (const [name, calls] of after)
    if (name !== 'info' && calls > (before.get(name) ?? 0)) delta.set(name, calls - (before.get(name) ?? 0));
  return delta;
}

/** Sum of a `countCommands` result. */
export const totalCommands = (counts: Map<string, number>): number => [...counts.values()].reduce((sum, calls) => sum + calls, 0);
