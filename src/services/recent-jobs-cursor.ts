import { badInput, type JobgateError } from '../errors';

/** A place in the listing: newest first by creation time (index score), then by queue, then by id, both descending. */
export interface Position {
  score: number;
  queue: string;
  jobId: string;
}

/** Negative when `a` comes before `b` in the listing. */
export const listingOrder = (a: Position, b: Position): number =>
  b.score - a.score ||
  Buffer.compare(Buffer.from(b.queue), Buffer.from(a.queue)) ||
  Buffer.compare(Buffer.from(b.jobId), Buffer.from(a.jobId));

/** Opaque keyset cursors: the position of the last job of a page, base64url-encoded. */
export const encodePosition = ({ score, queue, jobId }: Position): string =>
  Buffer.from(`r:${JSON.stringify([score, queue, jobId])}`).toString('base64url');

/** The position `cursor` names; BAD_USER_INPUT on `after` for anything else (a `jobs` cursor included). */
export function decodePosition(cursor: string): Position {
  const text = Buffer.from(cursor, 'base64url').toString();
  const refused = (): JobgateError => badInput('after', `"${cursor.slice(0, 50)}" is not a cursor of recentJobs`);
  let parsed: unknown;
  try {
    parsed = text.startsWith('r:') ? JSON.parse(text.slice(2)) : undefined;
  } catch {
    throw refused();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) throw refused();
  const [score, queue, jobId]: unknown[] = parsed;
  if (typeof score !== 'number' || !Number.isSafeInteger(score) || score < 0) throw refused();
  if (typeof queue !== 'string' || queue.length > 100 || typeof jobId !== 'string' || jobId.length === 0 || jobId.length > 200)
    throw refused();
  return { score, queue, jobId };
}
