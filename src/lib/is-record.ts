/** Whether `value` is a plain JSON object (not null, not an array), as parsed request bodies and messages hold. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
