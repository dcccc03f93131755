/** Readings of other processes from Linux /proc: resident memory, CPU time, limits. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second used by /proc/<pid>/stat (USER_HZ, 100 on Linux). */
const USER_HZ = 100;

/** Resident set size of a process in KiB (VmRSS), or NaN when it cannot be read. */
export function rssKib(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * User + system CPU time consumed by a process so far, in milliseconds; with `thread`, by that
 * thread of it alone (a process's main thread has its pid as thread id).
 */
export function cpuMs(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return Number.NaN;
  }
}

/**
 * Runs `run` and returns its result with the CPU time process `pid` spent meanwhile, in
 * milliseconds: all its threads (`cpuMs`), and its main thread, the one that runs the event loop
 * (`mainThreadCpuMs`).
 */
export async function withCpuOf<T>(pid: number, run: () => Promise<T>): Promise<{ result: T; cpuMs: number; mainThreadCpuMs: number }> {
  const before = cpuMs(pid);
  const mainBefore = cpuMs(pid, pid);
  const result = await run();
  return { result, cpuMs: cpuMs(pid) - before, mainThreadCpuMs: cpuMs(pid, pid) - mainBefore };
}

/** The soft limit on open files of process `pid` (this one by default; children inherit it). */
export function openFileLimit(pid: number | 'self' = 'self'): number {
  const match = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
  return match ? Number(match[1]) : 1024;
}

/**
 * Raises the open-file limit (soft and hard) of the running process `pid` to at least `limit`
 * with util-linux `prlimit` (raising a hard limit needs CAP_SYS_RESOURCE, which a container may
 * withhold even from root) and returns the soft limit it has afterwards: the caller compares it
 * with what it asked for. The kernel checks the
 * limit whenever a descriptor is made, so a server raised after its start accepts more sockets.
 */
export function raiseOpenFileLimit(pid: number, limit: number): number {
  if (openFileLimit(pid) >= limit) return openFileLimit(pid);
  try {
    execFileSync('prlimit', ['--pid', String(pid), `--nofile=${limit}:${limit}`], { stdio: 'pipe', timeout: 10_000 });
  } catch {
    // Not permitted or no prlimit: the limit read back says how far it got.
  }
  return openFileLimit(pid);
}

/** Measures a process's CPU use over a window, as a percentage of one core. */
export class CpuMeter {
  private readonly startCpu: number;
  private readonly startWall = performance.now();

  constructor(private readonly pid: number) {
    this.startCpu = cpuMs(pid);
  }

  /** Percent of one core used since construction. */
  percent(): number {
    const wall = performance.now() - this.startWall;
    return ((cpuMs(this.pid) - this.startCpu) / wall) * 100;
  }
}
