// Builds @jobgate/client twice with tsc: dist/esm (ES modules) and dist/cjs (CommonJS), each
// with declarations and a package.json that tells Node the format of its .js files.
import { spawnSync } from 'node:child_process';
import process from 'node:process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const [config, out, type] of [
  ['tsconfig.esm.json', 'dist/esm', 'module'],
  ['tsconfig.cjs.json', 'dist/cjs', 'commonjs'],
]) {
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, config)], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  mkdirSync(join(root, out), { recursive: true });
  writeFileSync(join(root, out, 'package.json'), `${JSON.stringify({ type }, null, 2)}\n`);
}
chmodSync(join(root, 'dist/cjs/cli/main.js'), 0o755);
