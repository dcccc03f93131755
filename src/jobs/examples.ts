import { createRequire } from 'node:module';
import path from 'node:path';
import type { JobDefinition } from './job-definition';

/**
 * `examples/` at the root of the repository: `src/jobs/../../examples` from the sources (tsx) and
 * `dist/jobs/../../examples` once compiled, the same folder.
 */
const EXAMPLES_DIR = path.resolve(__dirname, '..', '..', 'examples');

/** What an example's `index.ts` exports. */
export interface ExampleModule {
  jobs: readonly JobDefinition[];
}

function isExampleModule(value: unknown): value is ExampleModule {
  const jobs = (value as { jobs?: unknown } | null)?.jobs;
  return Array.isArray(jobs) && jobs.every((job) => typeof (job as { name?: unknown })?.name === 'string');
}

/**
 * The job types of the example `name` (a folder of `examples/`, as `JOBGATE_EXAMPLES` names it).
 *
 * Examples depend on `src/` (they define job types as any job type does), never the reverse: they
 * are loaded by path, not imported, so `src/` builds alone into `dist/` (`rootDir: src`). From the
 * sources, tsx loads them; from `dist/` (`npm run gateway`), plain Node cannot load TypeScript, so
 * tsx's loader is used for them when it is installed (a dev dependency: examples are for trying
 * Jobgate out, not for production images).
 */
export function loadExample(name: string): readonly JobDefinition[] {
  const entry = path.join(EXAMPLES_DIR, name, 'index');
  const load = createRequire(__filename);
  let loaded: unknown;
  try {
    loaded = load(entry);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !String((error as Error).message).includes(entry)) throw error;
    loaded = loadWithTsx(load, entry, name);
  }
  if (!isExampleModule(loaded)) throw new TypeError(`examples/${name}/index.ts must export \`jobs\`, an array of job types`);
  return loaded.jobs;
}

/** Loads TypeScript `entry` from compiled code through tsx's CommonJS API. */
function loadWithTsx(load: NodeJS.Require, entry: string, name: string): unknown {
  let tsx: { require: (id: string, fromFile: string) => unknown };
  try {
    tsx = load('tsx/cjs/api') as typeof tsx;
  } catch {
    throw new Error(
      `JOBGATE_EXAMPLES=${name}: examples/${name} is TypeScript and needs tsx (a dev dependency) to run from dist/; install dev dependencies or run from the sources (npm start)`,
    );
  }
  return tsx.require(`${entry}.ts`, __filename);
}
