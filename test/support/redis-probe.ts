import IORedis from 'ioredis';

/** Runs one command on the server at `port` of loopback; undefined when it does not answer within a second. */
export async function ask(port: number, ...command: string[]): Promise<unknown> {
  return askWith(port, undefined, ...command);
}

/** {@link ask} for a server that wants `password` (`requirepass`). */
export async function askWith(port: number, password: string | undefined, ...command: string[]): Promise<unknown> {
  const client = new IORedis({
    port,
    host: '127.0.0.1',
    password,
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(command[0], ...command.slice(1));
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}

/** Polls `check` every 100 ms until it is true, failing after `timeoutMs`. */
export async function pollUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
