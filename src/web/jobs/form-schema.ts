import type { InputTypeFieldsQuery } from '@jobgate/client/gql';

/** How a form field edits its value. */
export type FieldKind = 'string' | 'int' | 'float' | 'boolean' | 'enum' | 'json';

/** One input of a generated form. */
export interface FieldSpec {
  name: string;
  description: string | undefined;
  kind: FieldKind;
  /** Non-null without a default: the gateway refuses the job without it. */
  required: boolean;
  /** The value the form starts with, as the user would type it. */
  initial: string | boolean;
  /** Allowed values of an enum field. */
  options: readonly string[];
}

type IntrospectedField = NonNullable<NonNullable<InputTypeFieldsQuery['__type']>['inputFields']>[number];

const SCALAR_KINDS: Readonly<Record<string, FieldKind>> = {
  String: 'string',
  ID: 'string',
  Int: 'int',
  Float: 'float',
  Boolean: 'boolean',
};

/**
 * Form fields for an input type's fields. Nested inputs and lists are edited as JSON,
 * which keeps the form generic without a recursive editor.
 */
export function toFieldSpecs(fields: readonly IntrospectedField[]): FieldSpec[] {
  return fields.map((field) => {
    const nonNull = field.type.kind === 'NON_NULL';
    const named = nonNull ? field.type.ofType : field.type;
    let kind: FieldKind = 'json';
    if (named?.kind === 'SCALAR' && named.name !== null) kind = SCALAR_KINDS[named.name] ?? 'json';
    if (named?.kind === 'ENUM') kind = 'enum';
    const options = named?.enumValues?.map((value) => value.name) ?? [];
    return {
      name: field.name,
      description: field.description ?? undefined,
      kind,
      required: nonNull && field.defaultValue === null,
      initial: initialValue(kind, field.defaultValue),
      options,
    };
  });
}

/** A GraphQL default-value literal (`100`, `"x"`, `CSV`, `true`) as the form shows it. */
function initialValue(kind: FieldKind, literal: string | null): string | boolean {
  if (literal === null) return kind === 'boolean' ? false : '';
  if (kind === 'boolean') return literal === 'true';
  if (kind === 'string' && literal.startsWith('"')) return JSON.parse(literal) as string;
  return literal;
}

/** Outcome of reading a form: the data to send, or messages keyed by field name. */
export type ReadResult = { ok: true; data: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

/**
 * Turns the form's raw values into the job's data. Empty optional fields are left out, so
 * the gateway applies the input type's own defaults.
 */
export function readForm(specs: readonly FieldSpec[], raw: Readonly<Record<string, string | boolean>>): ReadResult {
  const data: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const spec of specs) {
    const value = raw[spec.name] ?? spec.initial;
    if (spec.kind === 'boolean') {
      data[spec.name] = value === true;
      continue;
    }
    const text = String(value).trim();
    if (text === '') {
      if (spec.required) errors[spec.name] = 'Required';
      continue;
    }
    const parsed = parseValue(spec.kind, text);
    if (parsed.ok) data[spec.name] = parsed.value;
    else errors[spec.name] = parsed.message;
  }
  return Object.keys(errors).length === 0 ? { ok: true, data } : { ok: false, errors };
}

function parseValue(kind: FieldKind, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (kind) {
    case 'int':
      return /^-?\d+$/.test(text) ? { ok: true, value: Number(text) } : { ok: false, message: 'Expected a whole number' };
    case 'float':
      return Number.isFinite(Number(text)) ? { ok: true, value: Number(text) } : { ok: false, message: 'Expected a number' };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) as unknown };
      } catch {
        return { ok: false, message: 'Expected JSON' };
      }
    default:
      return { ok: true, value: text };
  }
}
