import path from 'node:path';
import { z } from 'zod';

/**
 * A kind of environment variable: how its text becomes a value (a zod schema from the raw
 * `string | undefined`; an empty string counts as unset), and how the generated docs show its
 * default and bounds.
 */
export interface Kind<T> {
  schema: z.ZodType<T, z.ZodTypeDef, string | undefined>;
  /** The default as `docs/configuration.md` shows it (`–`: unset). */
  shown: string;
  /** Bounds as the docs show them, after the description (e.g. `Integer, 1 to 1000.`). */
  bounds?: string;
}

/** What a refused value's zod issue carries: `ConfigError` turns it into `Invalid <VAR>: expected <message>, got "<got>"`. */
export interface Refusal {
  got: string;
}

/** Records a refusal on `ctx` (the message is the `expected …` part); `got` must never hold a secret. */
export function refuse(ctx: z.RefinementCtx, expected: string, got: string): typeof z.NEVER {
  ctx.addIssue({ code: z.ZodIssueCode.custom, message: expected, params: { got } satisfies Refusal });
  return z.NEVER;
}

/** A kind from a function of the raw text (undefined when unset or empty). */
export function kind<T>(shown: string, parse: (raw: string | undefined, ctx: z.RefinementCtx) => T, bounds?: string): Kind<T> {
  return {
    schema: z
      .string()
      .optional()
      .transform((raw, ctx) => parse(raw === '' ? undefined : raw, ctx)),
    shown,
    ...(bounds && { bounds }),
  };
}

/** `raw` with the password of its user info replaced, for messages and logs. */
export function redacted(raw: string): string {
  return raw.replace(/^([a-z+]+:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

const code = (value: string | number): string => `\`${value}\``;

export function int(fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): Kind<number> {
  const bounds = max === Number.MAX_SAFE_INTEGER ? `Integer, ${min} or more.` : `Integer, ${min} to ${max}.`;
  return kind(
    code(fallback),
    (raw, ctx) => {
      if (raw === undefined) return fallback;
      const value = Number(raw);
      return Number.isInteger(value) && value >= min && value <= max ? value : refuse(ctx, `an integer from ${min} to ${max}`, raw);
    },
    bounds,
  );
}

function parseBool(raw: string, ctx: z.RefinementCtx): boolean {
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  return refuse(ctx, 'a boolean (1/0, true/false)', raw);
}

export function bool(fallback: boolean): Kind<boolean> {
  return kind(code(fallback ? 1 : 0), (raw, ctx) => (raw === undefined ? fallback : parseBool(raw, ctx)));
}

/** A boolean whose default is derived after parsing (undefined here when unset). */
export function boolDerived(shown: string): Kind<boolean | undefined> {
  return kind(shown, (raw, ctx) => (raw === undefined ? undefined : parseBool(raw, ctx)));
}

/** Free text; with `pattern`, refused unless it matches (`expected` says what it wants). */
export function text(fallback: string, pattern?: RegExp, expected = ''): Kind<string> {
  return kind(code(fallback), (raw, ctx) => {
    const value = raw ?? fallback;
    return !pattern || pattern.test(value) ? value : refuse(ctx, expected, value);
  });
}

/** Free text, undefined when unset. Never printed: fit for secrets. */
export function optionalText(): Kind<string | undefined> {
  return kind('–', (raw) => raw);
}

/** One of `values` (typed `string`, as pino takes it). */
export function oneOf(fallback: string, values: readonly string[]): Kind<string> {
  return kind(code(fallback), (raw, ctx) => {
    const value = raw ?? fallback;
    return values.includes(value) ? value : refuse(ctx, values.join('|'), value);
  });
}

/** `raw` when it is a URL of one of `protocols`; else refused, its password hidden. */
export function checkUrl(raw: string, protocols: string[], ctx: z.RefinementCtx): string {
  try {
    if (protocols.includes(new URL(raw).protocol)) return raw;
  } catch {
    // Refused below.
  }
  return refuse(ctx, `a URL with protocol ${protocols.join(' or ')}`, redacted(raw));
}

export function url(fallback: string, protocols: string[]): Kind<string> {
  return kind(code(fallback), (raw, ctx) => checkUrl(raw ?? fallback, protocols, ctx));
}

export function optionalUrl(protocols: string[]): Kind<string | undefined> {
  return kind('–', (raw, ctx) => (raw === undefined ? undefined : checkUrl(raw, protocols, ctx)));
}

/** A path, resolved against the working directory at start. */
export function directory(fallback: string): Kind<string> {
  return kind(code(fallback), (raw) => path.resolve(raw ?? fallback));
}

export function timeZone(fallback: string): Kind<string> {
  return kind(code(fallback), (raw, ctx) => {
    const value = raw ?? fallback;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return value;
    } catch {
      return refuse(ctx, 'an IANA time zone such as America/Sao_Paulo', value);
    }
  });
}

/** The comma-separated items of `raw`, trimmed, empty ones dropped. */
export function items(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * A comma-separated list, each item read by `parse` (undefined: refused, reported as `got` of
 * `shownGot(item)`, `expected` saying what an item should be).
 */
export function list<T = string>(
  shown: string,
  parse?: (item: string) => T | undefined,
  expected = '',
  shownGot = (item: string) => item,
): Kind<T[]> {
  return kind(shown, (raw, ctx) => {
    const values: T[] = [];
    for (const item of items(raw)) {
      const value = parse ? parse(item) : (item as T);
      if (value === undefined) return refuse(ctx, expected, shownGot(item));
      values.push(value);
    }
    return values;
  });
}

export interface HostPort {
  host: string;
  port: number;
}

export const HOST_PORTS = 'host:port[,host:port…]';

export function hostPort(entry: string): HostPort | undefined {
  const match = /^([^:]+):(\d{1,5})$/.exec(entry);
  return match ? { host: match[1], port: Number(match[2]) } : undefined;
}

/** `raw` as a web origin (`scheme://host[:port]`, as browsers send it in `Origin`). */
export function webOrigin(raw: string): string | undefined {
  try {
    const parsed = new URL(raw);
    if ((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.origin === raw.replace(/\/$/, '')) return parsed.origin;
  } catch {
    // Refused by the caller.
  }
  return undefined;
}

/** `name:…` items (`name` a queue name) as a record, each value read by `parse`. */
export function perQueue<T>(parse: (value: string) => T | undefined, expected: string): Kind<Record<string, T>> {
  const entry = (item: string): [string, T] | undefined => {
    const match = /^([a-z0-9][a-z0-9-]{0,99}):(.*)$/.exec(item);
    const value = match ? parse(match[2]) : undefined;
    return match && value !== undefined ? [match[1], value] : undefined;
  };
  const entries = list('–', entry, expected);
  return { ...entries, schema: entries.schema.transform((pairs) => Object.fromEntries(pairs)) };
}
