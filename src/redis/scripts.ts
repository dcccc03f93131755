import type { RedisClient } from './connections';

/**
 * Registers a Lua script on `redis` as a command and returns a function that runs it: its
 * `numberOfKeys` keys first, then its other arguments. ioredis sends the script's body once
 * per connection and `EVALSHA` after that (again after a `NOSCRIPT`, e.g. a Redis restart).
 */
export function defineScript<Args extends (string | number)[], Result>(
  redis: RedisClient,
  name: string,
  numberOfKeys: number,
  lua: string,
): (...args: Args) => Promise<Result> {
  redis.defineCommand(name, { numberOfKeys, lua });
  // defineCommand adds the command as a method named `name`, which ioredis' types cannot know.
  const command = (redis as unknown as Record<string, (...args: Args) => Promise<Result>>)[name];
  return (...args) => command.apply(redis, args);
}
