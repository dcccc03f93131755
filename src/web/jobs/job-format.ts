import type { Job } from '@jobgate/client';

/** States from which Retry runs a job again. */
export const RETRYABLE: ReadonlySet<Job['state']> = new Set<Job['state']>(['FAILED', 'CANCELLED']);
/** States a job does not leave on its own: Cancel has nothing to do. */
export const FINISHED: ReadonlySet<Job['state']> = new Set<Job['state']>(['COMPLETED', 'FAILED', 'CANCELLED']);

/** Clamps and rounds a percent for a bar. */
export function barPercent(percent: number): number {
  return Math.max(0, Math.min(100, Math.round(percent)));
}

/** Percent shown by the bar: a completed job is full even if its processor never said 100. */
export function percentOf(job: Pick<Job, 'state' | 'progress'>): number {
  if (job.state === 'COMPLETED') return 100;
  return barPercent(job.progress?.percent ?? 0);
}

/** `result.downloadUrl` of a job that produced a file (exportReport, importProject), if any. */
export function downloadOf(result: unknown): { url: string; name: string } | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { downloadUrl, file } = result as { downloadUrl?: unknown; file?: unknown };
  if (typeof downloadUrl !== 'string') return undefined;
  return { url: downloadUrl, name: typeof file === 'string' ? file : downloadUrl };
}

/** The message of anything thrown. */
export function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}
