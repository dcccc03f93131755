/**
 * `npm run build:web`: Vite builds the pages into a directory of their own,
 * dist/web-builds/<id>, and dist/web, a symlink, is then pointed at it with one rename (atomic
 * on POSIX). A running gateway serves dist/web: it sees the previous build or the new one,
 * never an empty or half-written directory, whatever builds run beside it (`npm test`, a
 * second `npm start`).
 *
 * A page loaded before the swap still asks for the previous build's lazy chunks, so the new
 * build carries the previous build's own hashed `assets/` files too (one build back, not more:
 * the carried ones are not carried again).
 *
 * Everything temporary lives under dist/web-builds, which `npm run build:server` leaves alone.
 */
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
const BUILDS = path.join(DIST, 'web-builds');
const LIVE = path.join(DIST, 'web');
/** Lists the asset files a build made itself (a dotfile: express.static does not serve it). */
const OWN_ASSETS = '.own-assets.json';
const PARTIAL = '.partial';
/** Completed builds kept besides the live one, for pages still open on them and for builds racing this one. */
const KEPT_BUILDS = 2;
/** A partial build older than this was left by a build that died; a live build takes about a minute. */
const STALE_PARTIAL_MS = 30 * 60_000;

/** The asset file names of `build`: its own, as listed when it was made, else all of them. */
function ownAssets(build: string): string[] {
  const listed = path.join(build, OWN_ASSETS);
  if (existsSync(listed)) return JSON.parse(readFileSync(listed, 'utf8')) as string[];
  const assets = path.join(build, 'assets');
  return existsSync(assets) ? readdirSync(assets) : [];
}

/** Runs Vite with the project's config, writing into `outDir` instead of dist/web. */
function viteBuild(outDir: string): void {
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'build', '--config', 'src/web/vite.config.mts', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`vite build failed (${run.signal ?? `exit code ${run.status}`})`);
}

/** Points dist/web at `build` with one rename over the old link. */
function swapIn(id: string): void {
  // Before the first swap dist/web may be a directory (an older layout): moved aside into the
  // builds, the one moment a request can find nothing.
  if (existsSync(LIVE) && !lstatSync(LIVE).isSymbolicLink()) {
    try {
      renameSync(LIVE, path.join(BUILDS, `${Date.now()}-directory`));
    } catch (error) {
      // A build beside this one moved it first.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const link = path.join(BUILDS, `.link-${id}`);
  // Relative, so a moved or mounted dist still resolves.
  symlinkSync(path.join('web-builds', id), link, 'dir');
  renameSync(link, LIVE);
}

/** Removes builds neither live nor among the newest few, and partial builds left by dead runs. */
function prune(): void {
  const live = realpathSync(LIVE);
  const entries = readdirSync(BUILDS);
  const completed = entries.filter((name) => !name.startsWith('.') && !name.endsWith(PARTIAL)).sort();
  for (const name of completed.slice(0, -KEPT_BUILDS)) {
    const build = path.join(BUILDS, name);
    if (realpathSync(build) !== live) rmSync(build, { recursive: true, force: true });
  }
  for (const name of entries.filter((entry) => entry.endsWith(PARTIAL) || entry.startsWith('.link-'))) {
    const entry = path.join(BUILDS, name);
    if (Date.now() - lstatSync(entry).mtimeMs > STALE_PARTIAL_MS) rmSync(entry, { recursive: true, force: true });
  }
}

function main(): void {
  mkdirSync(BUILDS, { recursive: true });
  // Sorts by time: prune keeps the newest.
  const id = `${Date.now()}-${process.pid}`;
  const partial = path.join(BUILDS, `${id}${PARTIAL}`);
  try {
    viteBuild(partial);
    const assets = path.join(partial, 'assets');
    const own = existsSync(assets) ? readdirSync(assets) : [];
    writeFileSync(path.join(partial, OWN_ASSETS), JSON.stringify(own));
    if (existsSync(LIVE) && statSync(LIVE).isDirectory()) {
      mkdirSync(assets, { recursive: true });
      for (const name of ownAssets(LIVE)) {
        const source = path.join(LIVE, 'assets', name);
        const target = path.join(assets, name);
        if (existsSync(source) && !existsSync(target)) cpSync(source, target, { recursive: true });
      }
    }
    renameSync(partial, path.join(BUILDS, id));
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  }
  swapIn(id);
  prune();
}

try {
  main();
} catch (error) {
  process.stderr.write(`build:web: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
