/**
 * `npm run check:cycles` (after dpdm's check of files): fails when two folders of `src/` import
 * each other, directly or through others. Folders are the parts of the architecture
 * (docs/architecture.md), and their dependencies go one way; dpdm sees only cycles of files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '..', 'src');
const IMPORT = /from '(\.{1,2}\/[^']+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

const folderOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0];

const uses = new Map<string, Set<string>>();
for (const file of sourceFiles(SRC)) {
  const from = folderOf(file);
  for (const [, specifier] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const target = path.resolve(path.dirname(file), specifier);
    if (!target.startsWith(SRC + path.sep)) continue;
    const to = folderOf(target);
    if (to === from) continue;
    if (!uses.has(from)) uses.set(from, new Set());
    uses.get(from)!.add(to);
  }
}

/** The folders `start` reaches through its imports, each with the path that reaches it. */
function reached(start: string): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  const pending = [[start]];
  for (let route = pending.shift(); route; route = pending.shift()) {
    for (const next of uses.get(route[route.length - 1]) ?? []) {
      if (paths.has(next)) continue;
      paths.set(next, [...route, next]);
      pending.push([...route, next]);
    }
  }
  return paths;
}

const cycles = [...uses.keys()].flatMap((folder) => {
  const back = reached(folder).get(folder);
  return back ? [back.join(' → ')] : [];
});
if (cycles.length > 0) {
  process.stderr.write(`Folders of src/ that import each other:\n${cycles.map((cycle) => `  ${cycle}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`✔ ${uses.size} folders of src/, no folder imports itself through others\n`);
