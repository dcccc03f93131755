import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { defineJob, sleep } from './job-definition';

@InputType({ description: 'Input of the importParts job: which project/phase/stage to import.' })
export class ImportPartsInput {
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

  @Field(() => String)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  stage!: string;

  @Field(() => Int, { description: 'Items to import.' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  items: number = 100;

  @Field(() => Int, { description: 'Simulated work per item, ms.' })
  @IsInt()
  @Min(0)
  @Max(60_000)
  msPerItem: number = 10;
}

/** Imports parts item by item, reporting `{current, total, percent}` after each (Celery's PROGRESS meta). */
export const importParts = defineJob({
  name: 'importParts',
  queue: 'imports',
  // Large imports may be sent to workers of their own: enqueue with options.queue "imports-bulk".
  queues: ['imports-bulk'],
  description: 'Imports the parts of a project phase/stage, with progress per item.',
  input: ImportPartsInput,
  defaults: { attempts: 3, backoff: { type: 'exponential', delayMs: 1000 } },
  async process(input, { signal, progress, log }) {
    const step = Math.max(1, Math.ceil(input.items / 10));
    await log(`importing ${input.items} items of ${input.project}/${input.phase}/${input.stage}`);
    for (let current = 1; current <= input.items; current++) {
      await sleep(input.msPerItem, signal);
      await progress({ current, total: input.items });
      if (current % step === 0 || current === input.items) {
        await log(`imported ${current}/${input.items}`);
      }
    }
    return { imported: input.items };
  },
});
