/** One sample of a Prometheus text exposition. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const COMMENT = new RegExp(`^# (HELP|TYPE) (${NAME})(?: (.*))?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\["\\n])*)"(?:,|$)/y;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES = ['_bucket', '_sum', '_count'];

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < text.length) {
    const match = LABEL.exec(text);
    if (!match) throw new Error(`line ${line}: malformed labels {${text}}`);
    labels[match[1]] = match[2].replace(/\\(["\\n])/g, (_, escaped: string) => (escaped === 'n' ? '\n' : escaped));
  }
  return labels;
}

/**
 * Parses the Prometheus text format (0.0.4) strictly: every line is a HELP or TYPE comment or a
 * sample; a family's TYPE comes once and before its samples; each sample belongs to a typed family.
 */
export function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw === '') return;
    const comment = COMMENT.exec(raw);
    if (comment) {
      if (comment[1] === 'TYPE') {
        if (!TYPES.has(comment[3] ?? '')) throw new Error(`line ${line}: unknown type "${comment[3]}"`);
        if (types.has(comment[2])) throw new Error(`line ${line}: second TYPE for ${comment[2]}`);
        types.set(comment[2], comment[3]!);
      }
      return;
    }
    const sample = SAMPLE.exec(raw);
    if (!sample) throw new Error(`line ${line}: not a sample: ${raw}`);
    const [, name, labels, value] = sample;
    const family = types.has(name)
      ? name
      : SUFFIXES.map((suffix) => (name.endsWith(suffix) ? name.slice(0, -suffix.length) : '')).find((base) => types.has(base));
    if (!family) throw new Error(`line ${line}: sample of ${name} before its TYPE`);
    const number = value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value);
    // Prometheus reads values with Go's ParseFloat, which takes NaN in any case; prom-client writes `Nan`
    // (e.g. the event-loop lag before its first sample).
    if (Number.isNaN(number) && !/^nan$/i.test(value)) throw new Error(`line ${line}: bad value ${value}`);
    samples.push({ name, labels: labels ? parseLabels(labels, line) : {}, value: number });
  });
  return { samples, types };
}

/** The value of the sample `name` whose labels include `labels`, summed over the matches (0 when none). */
export function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}
