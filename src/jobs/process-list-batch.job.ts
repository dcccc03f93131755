import { ArrayMaxSize, ArrayMinSize, IsInt, Max, Min } from 'class-validator';
import { Field, InputType, Int } from 'type-graphql';
import { defineJob, sleep } from './job-definition';

/** Most ids of one batch. */
export const MAX_BATCH_IDS = 10_000;

@InputType({ description: 'Input of the processListBatch job: one batch of a processList.' })
export class ProcessListBatchInput {
  @Field(() => [Int])
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_IDS)
  @IsInt({ each: true })
  ids!: number[];

  @Field(() => Int, { description: 'Simulated work per id, ms.' })
  @IsInt()
  @Min(0)
  @Max(60_000)
  msPerItem: number = 10;
}

/** The result of one id (the seed's `processar_item`). */
export interface ItemResult {
  itemId: number;
  status: 'ok';
}

/** Processes a batch of ids one by one, with progress per id; the result has one entry per id. */
export const processListBatch = defineJob({
  name: 'processListBatch',
  queue: 'lists',
  description: 'Processes one batch of ids of a processList, with progress per id.',
  input: ProcessListBatchInput,
  defaults: { attempts: 3, backoff: { type: 'exponential', delayMs: 1000 } },
  async process(input, { signal, progress }) {
    const results: ItemResult[] = [];
    for (const [index, itemId] of input.ids.entries()) {
      await sleep(input.msPerItem, signal);
      results.push({ itemId, status: 'ok' });
      await progress({ current: index + 1, total: input.ids.length });
    }
    return { results };
  },
});
