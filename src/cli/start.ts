import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';
import { ensureRedis } from './ensure-redis';
import { SupervisedProcess } from './supervisor';

/**
 * `npm start`: Redis (a private one if none answers), the gateway and the worker processes,
 * each in its own process, stopped together on SIGTERM/SIGINT. A worker that dies is started
 * again with backoff (./supervisor.ts); the gateway exiting stops everything.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  // On a terminal a person reads the lines; anywhere else (CI, a log shipper) a program does.
  const logFormat = config.logFormat === 'auto' ? (process.stdout.isTTY ? 'pretty' : 'json') : config.logFormat;
  const logger = createLogger({ ...config, logFormat }, 'start');
  const redis = await ensureRedis(config, logger);
  // From src/cli (`npm start`, `npm run dev`) the children run the .ts sources through tsx;
  // from dist/cli (`node dist/cli/start.js`, after `npm run build`) the compiled .js files.
  const compiled = path.extname(__filename) === '.js';
  const run = (entry: string): ChildProcess =>
    fork(path.join(__dirname, '..', `${entry}${compiled ? '.js' : '.ts'}`), [], {
      execArgv: compiled ? [] : ['--import', 'tsx'],
      stdio: 'inherit',
      env: { ...process.env, LOG_FORMAT: logFormat },
    });
  const workers = Array.from(
    { length: config.workerProcesses },
    (_, index) => new SupervisedProcess(`worker ${index + 1}`, () => run(path.join('workers', 'main')), logger),
  );
  const gateway = run(path.join('server', 'main'));

  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    const gatewayExited =
      gateway.exitCode === null && gateway.signalCode === null ? new Promise((resolve) => gateway.once('exit', resolve)) : undefined;
    gateway.kill('SIGTERM');
    void Promise.all([gatewayExited, ...workers.map((worker) => worker.stop())]).then(() => {
      redis?.kill('SIGTERM');
      process.exit(code);
    });
  };
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  gateway.on('exit', (code) => stop(code ?? 1));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
