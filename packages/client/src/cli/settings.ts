import { InvalidArgumentError } from 'commander';

/** Parses one `--set key=value`: the value is JSON when it parses as JSON, else the string itself. */
export function parseSetting(text: string, previous: [string, unknown][] = []): [string, unknown][] {
  const equals = text.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`expected key=value, got ${JSON.stringify(text)}`);
  const raw = text.slice(equals + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // Not JSON: a plain string (`--set stage=01` stays "01").
  }
  return [...previous, [text.slice(0, equals), value]];
}

/** Sets `key` (dotted keys nest: `a.b=1` is `{ a: { b: 1 } }`) in a copy of `target`. */
export function mergeSetting(target: Record<string, unknown>, [key, value]: [string, unknown]): Record<string, unknown> {
  const [head, ...rest] = key.split('.');
  if (rest.length === 0) return { ...target, [head]: value };
  const inner = target[head];
  const nested = typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...target, [head]: mergeSetting(nested, [rest.join('.'), value]) };
}
