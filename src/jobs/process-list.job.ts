import { ArrayMaxSize, ArrayMinSize, IsInt, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { defineJob } from './job-definition';
import { MAX_BATCH_IDS, type ItemResult } from './process-list-batch.job';

@InputType({ description: 'Input of the processList job: ids processed in batches, in parallel.' })
export class ProcessListInput {
  @Field(() => [Int])
  @ArrayMinSize(1)
  @ArrayMaxSize(100_000)
  @IsInt({ each: true })
  ids!: number[];

  @Field(() => Int, { description: 'Ids per processListBatch child.' })
  @IsInt()
  @Min(1)
  @Max(MAX_BATCH_IDS)
  batchSize: number = 100;

  @Field(() => Int, { description: 'Simulated work per id, ms.' })
  @IsInt()
  @Min(0)
  @Max(60_000)
  msPerItem: number = 10;
}

/**
 * The seed's `processar_lista_grande` as a group plus a callback: one `processListBatch` child per
 * `batchSize` ids, run in parallel by as many workers as there are, then this job gathers every
 * id's result in the order of `ids` (Celery's result: status, count, results).
 */
export const processList = defineJob({
  name: 'processList',
  queue: 'lists',
  description: 'Processes a list of ids in parallel batches (processListBatch children), then gathers a result per id.',
  input: ProcessListInput,
  defaults: { attempts: 2, backoff: { type: 'fixed', delayMs: 1000 } },
  children: (input) => {
    const batches = [];
    for (let start = 0; start < input.ids.length; start += input.batchSize) {
      batches.push({
        type: 'processListBatch',
        data: { ids: input.ids.slice(start, start + input.batchSize), msPerItem: input.msPerItem },
      });
    }
    return batches;
  },
  async process(input, { childrenResults, progress, signal }) {
    const batches = Object.entries(await childrenResults()).sort(([a], [b]) => (a < b ? -1 : 1));
    const results: ItemResult[] = [];
    for (const [index, [, value]] of batches.entries()) {
      signal.throwIfAborted();
      results.push(...((value as { results?: ItemResult[] } | null)?.results ?? []));
      await progress({ current: index + 1, total: batches.length, message: `gathered ${results.length} of ${input.ids.length}` });
    }
    return { status: 'completed', processed: results.length, results };
  },
});
