import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../observability/logger';
import { ensureRedis } from './ensure-redis';

/**
 * `npm start`: Redis (a private one if none answers), the gateway and the worker processes,
 * each in its own process, stopped together on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'start');
  const redis = await ensureRedis(config, logger);
  const children: ChildProcess[] = [];
  // From src/cli (`npm start`, `npm run dev`) the children run the .ts sources through tsx;
  // from dist/cli (`node dist/cli/start.js`, after `npm run build`) the compiled .js files.
  const compiled = path.extname(__filename) === '.js';
  const run = (entry: string): ChildProcess => {
    const file = path.join(__dirname, '..', `${entry}${compiled ? '.js' : '.ts'}`);
    const child = fork(file, [], { execArgv: compiled ? [] : ['--import', 'tsx'], stdio: 'inherit' });
    children.push(child);
    return child;
  };
  for (let index = 0; index < config.workerProcesses; index++) run(path.join('workers', 'main'));
  const gateway = run(path.join('server', 'main'));

  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    const exits = children.filter((child) => child.exitCode === null).map((child) => new Promise((resolve) => child.once('exit', resolve)));
    for (const child of children) child.kill('SIGTERM');
    void Promise.all(exits).then(() => {
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
