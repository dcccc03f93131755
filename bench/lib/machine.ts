/** Facts about the machine a run happened on, printed in bench/RESULTS.md. */
import os from 'node:os';
import { openFileLimit } from './procfs';

/** Machine, runtime and Redis description of one run. */
export interface MachineInfo {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  redis: string;
  redisMode: string;
  openFiles: number;
  /** 1-minute load average when the run started and when it ended: other work on the machine skews every figure. */
  loadAverage: string;
  date: string;
}

/** Describes this machine; `redisVersion` and `redisMode` come from the Redis the run used, `loadAtStart` from the run's start. */
export function machineInfo(redisVersion: string, redisMode: string, loadAtStart: number): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    redis: redisVersion,
    redisMode,
    openFiles: openFileLimit(),
    loadAverage: `${loadAtStart.toFixed(2)} at start, ${(os.loadavg()[0] ?? 0).toFixed(2)} at end`,
    date: new Date().toISOString(),
  };
}
