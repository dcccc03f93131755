/** Redis stream ids (`<ms>-<seq>`): the cursors clients give back as `since`. */
const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

/** Whether `value` is a well-formed stream id. */
export const isStreamId = (value: string): boolean => STREAM_ID.test(value);

/** Digits a double holds exactly (2^53 has 16): shorter parts compare as numbers, longer ones as BigInts. */
const EXACT_DIGITS = 15;

/** Orders two unsigned decimal strings. */
function compareDecimals(a: string, b: string): number {
  if (a.length <= EXACT_DIGITS && b.length <= EXACT_DIGITS) return Math.sign(Number(a) - Number(b));
  const difference = BigInt(a) - BigInt(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Orders two stream ids: negative when `a` comes first. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq = '0'] = a.split('-');
  const [bMs, bSeq = '0'] = b.split('-');
  return compareDecimals(aMs, bMs) || compareDecimals(aSeq, bSeq);
}

/** The smallest id after `id`, for exclusive XRANGE starts that work on every Redis version. */
export function nextStreamId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq) + 1n}`;
}

/** The time a stream id was written. */
export const streamIdTime = (id: string): Date => new Date(Number(id.split('-')[0]));
