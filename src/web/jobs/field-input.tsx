import type { FieldSpec } from './form-schema';

interface FieldInputProps {
  /** Prefix of element ids, unique per form section. */
  scope: string;
  spec: FieldSpec;
  value: string | boolean;
  error: string | undefined;
  onChange: (value: string | boolean) => void;
}

/** One labelled input of a generated form, with its description and error wired for screen readers. */
export function FieldInput({ scope, spec, value, error, onChange }: FieldInputProps) {
  const id = `${scope}-${spec.name}`;
  const hintId = spec.description ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: spec.name,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
    'data-testid': `field-${spec.name}`,
  };

  let control;
  if (spec.kind === 'boolean') {
    control = <input {...common} type="checkbox" checked={value === true} onChange={(event) => onChange(event.target.checked)} />;
  } else if (spec.kind === 'enum') {
    control = (
      <select {...common} required={spec.required} value={String(value)} onChange={(event) => onChange(event.target.value)}>
        {!spec.required && <option value="">(default)</option>}
        {spec.options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (spec.kind === 'json') {
    control = (
      <textarea {...common} rows={3} required={spec.required} value={String(value)} onChange={(event) => onChange(event.target.value)} />
    );
  } else {
    const numeric = spec.kind === 'int' || spec.kind === 'float';
    control = (
      <input
        {...common}
        type={numeric ? 'number' : 'text'}
        step={spec.kind === 'int' ? 1 : undefined}
        required={spec.required}
        value={String(value)}
        onChange={(event) => onChange(event.target.value)}
      />
    );
  }

  return (
    <div className="field">
      <label htmlFor={id}>
        {spec.name}
        {spec.required && <span aria-hidden="true"> *</span>}
      </label>
      {control}
      {hintId && (
        <small id={hintId} className="muted">
          {spec.description}
        </small>
      )}
      {errorId && (
        <small id={errorId} className="error">
          {error}
        </small>
      )}
    </div>
  );
}
