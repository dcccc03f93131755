/** What "copy as" needs of a job: enough to enqueue another like it. */
export interface EnqueueRecipe {
  type: string;
  data: unknown;
  /** `Job.options`, as JobOptionsInput names them. */
  options: Record<string, unknown>;
}

/** The mutation every snippet sends: the generic `enqueue`, valid for every job type. */
export const ENQUEUE_MUTATION = `mutation Enqueue($type: String!, $data: JSON!, $options: JobOptionsInput) {
  enqueue(type: $type, data: $data, options: $options) {
    id
    state
  }
}`;

/**
 * The options a new job can be given: `onChildFailure` belongs to a flow's child (a lone job is
 * refused it), and an `expiresAt` already past would be refused too.
 */
function enqueueOptions(options: Record<string, unknown>, now: number): Record<string, unknown> {
  const { onChildFailure: _child, expiresAt, ...rest } = options;
  return typeof expiresAt === 'string' && Date.parse(expiresAt) > now ? { ...rest, expiresAt } : rest;
}

/** The variables of {@link ENQUEUE_MUTATION} for `recipe`. */
export function enqueueVariables(recipe: EnqueueRecipe, now = Date.now()): Record<string, unknown> {
  return { type: recipe.type, data: recipe.data, options: enqueueOptions(recipe.options, now) };
}

/** `text` as one single-quoted shell word. */
const shellQuoted = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** A curl command that enqueues `recipe` at `endpoint` (the token, if the gateway needs one, from $JOBGATE_TOKEN). */
export function curlSnippet(recipe: EnqueueRecipe, endpoint: string): string {
  const body = JSON.stringify({ query: ENQUEUE_MUTATION, variables: enqueueVariables(recipe) });
  return [
    `curl -sS ${shellQuoted(endpoint)} \\`,
    `  -H 'content-type: application/json' \\`,
    `  \${JOBGATE_TOKEN:+-H "authorization: Bearer $JOBGATE_TOKEN"} \\`,
    `  --data-raw ${shellQuoted(body)}`,
  ].join('\n');
}

/** The mutation and its variables, as GraphiQL takes them. */
export function graphqlSnippet(recipe: EnqueueRecipe): string {
  return `${ENQUEUE_MUTATION}\n\n# variables\n${JSON.stringify(enqueueVariables(recipe), null, 2)}\n`;
}

/** A TypeScript program that enqueues `recipe` with @jobgate/client. */
export function typescriptSnippet(recipe: EnqueueRecipe, endpoint: string): string {
  const { type, data, options } = enqueueVariables(recipe);
  return [
    `import { createJobgateClient } from '@jobgate/client';`,
    ``,
    `const client = createJobgateClient({ url: ${JSON.stringify(endpoint)}, token: process.env.JOBGATE_TOKEN });`,
    `const job = await client.enqueue(${JSON.stringify(type)}, ${JSON.stringify(data, null, 2)}, ${JSON.stringify(options, null, 2)});`,
    `console.log(job.id, job.state);`,
    ``,
  ].join('\n');
}
