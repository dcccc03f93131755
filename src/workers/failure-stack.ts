import type { Config } from '../config';

/** Shorter strings are not looked for: they would match ordinary words of a stack. */
const MIN_SECRET_LENGTH = 8;

/** `scheme://user:password@`: credentials in any URL a stack or message quotes. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;

/** The secrets a worker process holds from its configuration (Redis passwords, JWT secret, API keys, metrics token). */
export function secretsOf(config: Config): string[] {
  const fromUrl = /^[a-z+]+:\/\/[^:@/]*:([^@/]+)@/i.exec(config.redisUrl)?.[1];
  const secrets = [
    config.jwtSecret,
    config.metricsToken,
    config.redisAuth.password,
    config.redisAuth.sentinelPassword,
    fromUrl,
    fromUrl && safeDecode(fromUrl),
    ...config.apiKeys.map((entry) => entry.key),
  ];
  return [...new Set(secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length >= MIN_SECRET_LENGTH))];
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `text` with every one of `secrets` and every URL's credentials replaced by `***`. */
export function scrubbed(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_CREDENTIALS, '$1***@');
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

/**
 * Scrubs what a failed attempt records in the job (its message becomes `failedReason`, its stack
 * one entry of `stacktrace`, both shown to whoever may read the job): a processor may quote a URL
 * with credentials, or an error from a client the worker configured.
 */
export function scrubError(error: unknown, secrets: readonly string[]): void {
  if (!(error instanceof Error)) return;
  error.message = scrubbed(error.message, secrets);
  if (error.stack) error.stack = scrubbed(error.stack, secrets);
}
