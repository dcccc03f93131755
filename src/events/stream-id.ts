/** Redis stream ids (`<ms>-<seq>`): the cursors clients give back as `since`. */
const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;

/** Whether `value` is a well-formed stream id. */
export const isStreamId = (value: string): boolean => STREAM_ID.test(value);

/** Orders two stream ids: negative when `a` comes first. */
export function compareStreamIds(a: string, b: string): number {
  const [aMs, aSeq] = a.split('-');
  const [bMs, bSeq] = b.split('-');
  const byMs = BigInt(aMs) - BigInt(bMs);
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(aSeq ?? '0') - BigInt(bSeq ?? '0');
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

/** The smallest id after `id`, for exclusive XRANGE starts that work on every Redis version. */
export function nextStreamId(id: string): string {
  const [ms, seq] = id.split('-');
  return `${ms}-${BigInt(seq) + 1n}`;
}

/** The time a stream id was written. */
export const streamIdTime = (id: string): Date => new Date(Number(id.split('-')[0]));
