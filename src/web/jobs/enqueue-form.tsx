import { useEffect, useState, type FormEvent } from 'react';
import type { EnqueuedJob, JobgateClient, JobOptionsInput } from '@jobgate/client';
import type { JobTypesQuery } from '@jobgate/client/gql';
import { FieldInput } from './field-input';
import { readForm, toFieldSpecs, type FieldSpec } from './form-schema';
import { InputTypeFieldsDocument } from './operations';

/** A registered job type; `inputType` names the input type of its data. */
export type JobTypeEntry = JobTypesQuery['jobTypes'][number];

/** Stands in for a job type without a typed input: its data is typed as JSON. */
const RAW_DATA_FIELD: FieldSpec = {
  name: 'data',
  description: 'Job data as JSON',
  kind: 'json',
  required: true,
  initial: '{}',
  options: [],
};

type Values = Record<string, string | boolean>;

const OPTIONS_INPUT = 'JobOptionsInput';

/** Loads (once per input type) the form fields of an input type. */
function useFieldSpecs(client: JobgateClient, inputType: string | undefined): FieldSpec[] | undefined {
  const [cache, setCache] = useState<ReadonlyMap<string, FieldSpec[]>>(new Map());
  useEffect(() => {
    if (inputType === undefined || cache.has(inputType)) return;
    let current = true;
    const store = (specs: FieldSpec[]): void => {
      if (current) setCache((previous) => new Map(previous).set(inputType, specs));
    };
    // Introspection may be refused (limits, auth) or find nothing: the data can still be typed as JSON.
    const fallback = inputType === OPTIONS_INPUT ? [] : [RAW_DATA_FIELD];
    client.request(InputTypeFieldsDocument, { name: inputType }).then(
      ({ __type }) => store(__type?.inputFields ? toFieldSpecs(__type.inputFields) : fallback),
      () => store(fallback),
    );
    return () => {
      current = false;
    };
  }, [client, inputType, cache]);
  if (inputType === undefined) return [RAW_DATA_FIELD];
  return cache.get(inputType);
}

/** Form that enqueues any registered job type, its fields generated from the schema. */
export function EnqueueForm({
  client,
  jobTypes,
  onEnqueued,
}: {
  client: JobgateClient;
  jobTypes: readonly JobTypeEntry[];
  onEnqueued: (job: EnqueuedJob) => void;
}) {
  const [typeName, setTypeName] = useState(jobTypes[0]?.name ?? '');
  const selected = jobTypes.find((entry) => entry.name === typeName);
  const specs = useFieldSpecs(client, selected?.inputType);
  const optionSpecs = useFieldSpecs(client, OPTIONS_INPUT)?.filter((spec) => spec.kind !== 'json');
  const [values, setValues] = useState<Values>({});
  const [options, setOptions] = useState<Values>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [submitError, setSubmitError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (selected === undefined || specs === undefined) return;
    const data = readForm(specs, values);
    const jobOptions = readForm(optionSpecs ?? [], options);
    if (!data.ok || !jobOptions.ok) {
      setErrors({ ...(data.ok ? {} : data.errors), ...(jobOptions.ok ? {} : jobOptions.errors) });
      return;
    }
    setErrors({});
    setSubmitError(undefined);
    setBusy(true);
    try {
      const payload = specs[0] === RAW_DATA_FIELD ? (data.data['data'] as Record<string, unknown>) : data.data;
      onEnqueued(await client.enqueueAny(selected.name, payload, jobOptions.data as JobOptionsInput));
    } catch (failure) {
      setSubmitError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="panel" onSubmit={(event) => void submit(event)} aria-labelledby="enqueue-title" data-testid="enqueue-form">
      <h2 id="enqueue-title">Enqueue a job</h2>
      <div className="field">
        <label htmlFor="job-type">Job type</label>
        <select
          id="job-type"
          data-testid="job-type"
          value={typeName}
          onChange={(event) => {
            setTypeName(event.target.value);
            setValues({});
            setErrors({});
          }}
        >
          {jobTypes.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name} ({entry.queue})
            </option>
          ))}
        </select>
        {selected?.description && <small className="muted">{selected.description}</small>}
      </div>
      {specs === undefined ? (
        <p className="muted">Loading fields…</p>
      ) : (
        specs.map((spec) => (
          <FieldInput
            key={`${typeName}-${spec.name}`}
            scope={`data-${typeName}`}
            spec={spec}
            value={values[spec.name] ?? spec.initial}
            error={errors[spec.name]}
            onChange={(value) => setValues((previous) => ({ ...previous, [spec.name]: value }))}
          />
        ))
      )}
      {optionSpecs !== undefined && optionSpecs.length > 0 && (
        <details>
          <summary>Options</summary>
          {optionSpecs.map((spec) => (
            <FieldInput
              key={spec.name}
              scope="options"
              spec={spec}
              value={options[spec.name] ?? spec.initial}
              error={errors[spec.name]}
              onChange={(value) => setOptions((previous) => ({ ...previous, [spec.name]: value }))}
            />
          ))}
        </details>
      )}
      {submitError && (
        <p role="alert" className="error" data-testid="enqueue-error">
          {submitError}
        </p>
      )}
      <button type="submit" disabled={busy || specs === undefined} data-testid="enqueue-submit">
        Enqueue
      </button>
    </form>
  );
}
