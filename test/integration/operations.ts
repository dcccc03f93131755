/** Operations the integration tests send, written once so every test speaks the same contract. */

export const JOB_FIELDS = `id type queue state data result failedReason attemptsMade maxAttempts progress { percent current total message }`;

export const IMPORT_PARTS = `mutation ($input: ImportPartsInput!, $options: JobOptionsInput) { importParts(input: $input, options: $options) { ${JOB_FIELDS} } }`;

export const ENQUEUE = `mutation ($type: String!, $data: JSON!, $options: JobOptionsInput) { enqueue(type: $type, data: $data, options: $options) { ${JOB_FIELDS} } }`;

export const JOB = `query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} logs } }`;

export const JOB_EVENTS = `subscription ($id: ID!, $since: String) { jobEvents(id: $id, since: $since) { type cursor gap log job { ${JOB_FIELDS} } } }`;

/** The shape of one `jobEvents` payload. */
export interface JobEventPayload {
  jobEvents: {
    type: string;
    cursor: string;
    gap: boolean;
    log: string | null;
    job: {
      id: string;
      state: string;
      data: Record<string, unknown>;
      result: unknown;
      failedReason: string | null;
      attemptsMade: number;
      progress: { percent: number | null; current: number | null; total: number | null } | null;
    };
  };
}

/** The job returned by an enqueue mutation. */
export interface EnqueuedJob {
  id: string;
  state: string;
  data: Record<string, unknown>;
  maxAttempts: number;
}

export const PROMOTE = `mutation ($id: ID!) { promoteJob(id: $id) { id state } }`;

/** Long enough that a test's watch is in place before it runs; the test then promotes it. */
export const HELD = { delayMs: 60_000 };
