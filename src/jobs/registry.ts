import type { Config } from '../config';
import { cleanupFiles } from './cleanup-files.job';
import { loadExample } from './examples';
import { exportReport } from './export-report.job';
import { helloWorld } from './hello-world.job';
import { importParts } from './import-parts.job';
import { importProject } from './import-project.job';
import { queuesOf, type JobDefinition } from './job-definition';
import { processList } from './process-list.job';
import { processListBatch } from './process-list-batch.job';
import { syncExternal } from './sync-external.job';

/**
 * Every job type Jobgate knows. Adding a job type is adding its file and one line here;
 * the gateway (schema, validation) and the workers (processors) both read this list.
 */
export const jobDefinitions: readonly JobDefinition[] = [
  importParts,
  exportReport,
  syncExternal,
  cleanupFiles,
  helloWorld,
  importProject,
  processList,
  processListBatch,
];

/** The built-in job types, then those of the examples `JOBGATE_EXAMPLES` turns on (examples/<name>). */
export function enabledJobDefinitions(config: Pick<Config, 'examples'>): readonly JobDefinition[] {
  return [...jobDefinitions, ...config.examples.flatMap(loadExample)];
}

/** Looks job types up by name and lists their queues. */
export class JobRegistry {
  private readonly byName = new Map<string, JobDefinition>();

  /** `definitions`: the built-in types by default; the gateway and the workers start with `enabledJobDefinitions(config)`. */
  constructor(readonly definitions: readonly JobDefinition[] = jobDefinitions) {
    for (const definition of definitions) {
      if (!/^[a-z][A-Za-z0-9]*$/.test(definition.name)) throw new TypeError(`Job type name "${definition.name}" must be camelCase`);
      for (const queue of queuesOf(definition)) {
        if (!/^[a-z0-9][a-z0-9-]*$/.test(queue)) throw new TypeError(`Queue name "${queue}" must be kebab-case`);
      }
      if (definition.queues?.includes(definition.queue)) {
        throw new TypeError(`Job type "${definition.name}": queues lists its own queue "${definition.queue}"`);
      }
      if (this.byName.has(definition.name)) throw new TypeError(`Job type "${definition.name}" is defined twice`);
      this.byName.set(definition.name, definition);
    }
  }

  get(name: string): JobDefinition | undefined {
    return this.byName.get(name);
  }

  get names(): string[] {
    return [...this.byName.keys()];
  }

  /** Distinct queue names, in registry order: every type's own queue, then the extra queues types may be routed to. */
  get queues(): string[] {
    return [
      ...new Set([
        ...this.definitions.map((definition) => definition.queue),
        ...this.definitions.flatMap((definition) => definition.queues ?? []),
      ]),
    ];
  }

  /**
   * Job types whose jobs may be in `queue`: those it is the queue of first, then those a caller
   * may route to it. Its workers run them all, and its retention and time limits cover them all.
   */
  inQueue(queue: string): JobDefinition[] {
    return [
      ...this.definitions.filter((definition) => definition.queue === queue),
      ...this.definitions.filter((definition) => definition.queues?.includes(queue)),
    ];
  }
}
