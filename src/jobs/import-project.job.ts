import { createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { ArrayMaxSize, ArrayMinSize, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { csvCell } from './export-report.job';
import { defineJob } from './job-definition';

/** Most stages of one import: each is a job of the flow. */
const MAX_STAGES = 100;

@InputType({ description: 'Input of the importProject job: the stages of a project phase to import in parallel, then report on.' })
export class ImportProjectInput {
  @Field(() => String)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  project!: string;

  @Field(() => String)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  phase!: string;

  @Field(() => [String], { description: 'One importParts job per stage, run in parallel.' })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_STAGES)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(100, { each: true })
  stages!: string[];

  @Field(() => Int, { description: "Items each stage's importParts imports." })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  itemsPerStage: number = 100;

  @Field(() => Int, { description: 'Simulated work per item, ms.' })
  @IsInt()
  @Min(0)
  @Max(60_000)
  msPerItem: number = 10;
}

/** What each importParts child returns. */
interface ImportedParts {
  imported?: number;
}

/**
 * The seed's "import the four stages of a project in parallel, then export one report of the
 * whole", as a chord: one `importParts` child per stage, then this job (the callback), which
 * reads its children's results and writes a CSV of the imported totals into `STORAGE_DIR/reports`.
 */
export const importProject = defineJob({
  name: 'importProject',
  queue: 'reports',
  description: 'Imports the stages of a project phase in parallel (one importParts child each), then exports a CSV report of the totals.',
  input: ImportProjectInput,
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 5000 } },
  children: (input) =>
    input.stages.map((stage) => ({
      type: 'importParts',
      data: { project: input.project, phase: input.phase, stage, items: input.itemsPerStage, msPerItem: input.msPerItem },
    })),
  async process(input, context) {
    const results = await context.childrenResults();
    const byStage = new Map<string, number>();
    const children = Object.keys(results).sort();
    // Children ids sort in the order the stages were given (see FlowService).
    children.forEach((id, index) => byStage.set(input.stages[index] ?? id, (results[id] as ImportedParts | null)?.imported ?? 0));
    const total = [...byStage.values()].reduce((sum, imported) => sum + imported, 0);
    const relative = path.join('reports', `${context.job.queueName}-${context.job.id}.csv`);
    const file = path.join(context.config.storageDir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    const out = createWriteStream(file);
    out.write(`${['project', 'phase', 'stage', 'imported'].map(csvCell).join(',')}\n`);
    let written = 0;
    for (const [stage, imported] of byStage) {
      context.signal.throwIfAborted();
      out.write(`${[input.project, input.phase, stage, imported].map(csvCell).join(',')}\n`);
      await context.progress({ current: ++written, total: byStage.size + 1 });
    }
    out.write(`${[input.project, input.phase, 'total', total].map(csvCell).join(',')}\n`);
    out.end();
    await once(out, 'finish');
    const { size } = await stat(file);
    await context.progress({ current: byStage.size + 1, total: byStage.size + 1 });
    await context.log(`reported ${total} items over ${byStage.size} stages to ${relative}`);
    const id = `${context.job.queueName}:${context.job.id}`;
    return {
      imported: total,
      stages: Object.fromEntries(byStage),
      file: relative,
      bytes: size,
      downloadUrl: `/downloads/${encodeURIComponent(id)}`,
    };
  },
});
