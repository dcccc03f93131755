import { Extensions } from 'type-graphql';

/** What each item of a page costs beyond its selection in the cost limit: reading it (a job's hash) costs that much whatever is selected. */
export const PAGE_ITEM_COST = 20;

/** The schema extension giving what resolving a field reads beyond the object it is on. */
const READ_COST = 'jobgateReadCost';

/**
 * Declares what resolving a field (resolver) reads beyond the object it is on, counted by the
 * operation cost limit in {@link PAGE_ITEM_COST} units: `Job.flow` reads a whole tree.
 */
export const ReadCost = (pageItems: number): ReturnType<typeof Extensions> => Extensions({ [READ_COST]: pageItems * PAGE_ITEM_COST });

/** The read cost a schema field declares (see {@link ReadCost}); 0 for most. */
export function readCostOf(field: { readonly extensions?: Readonly<Record<string, unknown>> | null } | undefined): number {
  const cost = field?.extensions?.[READ_COST];
  return typeof cost === 'number' ? cost : 0;
}
