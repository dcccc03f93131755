/**
 * Measured runs charged with the CPU their serving process spent, and what a figure reports of
 * several of them (alternating rounds of two sides).
 */
import type { Measured } from '../load/api';
import { mergeAll } from './histogram';
import { withCpuOf } from './procfs';

/** A measured run and the CPU its measured process spent on it, µs per job. */
export type CostedRun = Measured & { cpuUsPerJob: number };

/** Runs `run` and charges the CPU time of process `pid` during it to the jobs it counted. */
export async function costed(pid: number, run: () => Promise<Measured>): Promise<CostedRun> {
  const { result, cpuMs } = await withCpuOf(pid, run);
  return { ...result, cpuUsPerJob: result.count > 0 ? (cpuMs * 1000) / result.count : Number.NaN };
}

/** Jobs per second of one run. */
export const perSecOf = (run: Measured): number => (run.count / run.elapsedMs) * 1000;

/** Several runs of one side as one: jobs over time, latency percentiles over every request, CPU over every job. */
export function summarize(runs: readonly CostedRun[]): { perSec: number; p50: number; p99: number; cpuUsPerJob: number; errors: number } {
  const count = runs.reduce((sum, run) => sum + run.count, 0);
  const elapsed = runs.reduce((sum, run) => sum + run.elapsedMs, 0);
  const { p50, p99 } = mergeAll(runs.map((run) => run.latency)).summary();
  const cpu = runs.reduce((sum, run) => sum + run.cpuUsPerJob * run.count, 0);
  return {
    perSec: (count / elapsed) * 1000,
    p50,
    p99,
    cpuUsPerJob: count > 0 ? cpu / count : Number.NaN,
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
  };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** One side of an alternating comparison: its name for the log, and one measured round of it. */
export interface RoundSide<R = CostedRun> {
  name: string;
  measure(): Promise<R>;
}

/** A costed run in the log of an alternating comparison. */
export const describeCostedRun = (run: CostedRun): string =>
  `${perSecOf(run).toFixed(0)} jobs/s, ${run.cpuUsPerJob.toFixed(1)} µs CPU/job, ${run.errors} errors`;

/**
 * Measures `sides` in `rounds` rounds, in their order in the first, third, … and in reverse in
 * the second, fourth, …, so that over two rounds every side has the same mean position and a steady drift of the
 * machine's speed favours none; `before` runs ahead of each measurement (emptying Redis), and
 * `describe` puts each run in the log. Returns each side's runs, in round order, in the order of `sides`.
 */
export async function alternate<R>(
  rounds: number,
  sides: readonly RoundSide<R>[],
  before: () => Promise<void>,
  log: (line: string) => void,
  describe: (run: R) => string,
): Promise<R[][]> {
  const runs: R[][] = sides.map(() => []);
  const order = sides.map((_, index) => index);
  for (let round = 0; round < rounds; round += 1) {
    for (const index of round % 2 === 0 ? order : [...order].reverse()) {
      await before();
      const run = await sides[index].measure();
      runs[index].push(run);
      log(`round ${round + 1}/${rounds} ${sides[index].name}: ${describe(run)}`);
    }
  }
  return runs;
}

/** Per-round ratios of `gateway` over `baseline` (same round), their median and spread. */
export function roundRatios(
  gateway: readonly CostedRun[],
  baseline: readonly CostedRun[],
): { median: number; min: number; max: number; all: number[] } {
  const all = gateway.map((run, index) => perSecOf(run) / perSecOf(baseline[index] ?? run));
  return { median: median(all), min: Math.min(...all), max: Math.max(...all), all };
}
