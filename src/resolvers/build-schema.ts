import 'reflect-metadata';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import { buildSchema, getMetadataStorage, type PubSub } from 'type-graphql';
import { resolvers } from '.';
import { enqueueFieldResolvers } from './enqueue.resolver';
import { flowFieldResolvers } from './flow.resolver';
import type { JobRegistry } from '../jobs/registry';

/**
 * type-graphql insists on a PubSub as soon as there are subscriptions, even when every one
 * brings its own `subscribe` (ours come from the EventHub). This one refuses topic use.
 */
const topicsUnsupported: PubSub = {
  publish() {
    throw new TypeError('Jobgate subscriptions come from the EventHub; topics are not used');
  },
  subscribe() {
    throw new TypeError('Jobgate subscriptions come from the EventHub; topics are not used');
  },
};

/**
 * Every subscription field hands back the event its source yielded. type-graphql wraps a
 * resolver that declares arguments in an asynchronous validation step, even with validation
 * off: an event's render then waited a turn for a field that only returns its root. The
 * fields resolve to their root at once instead (their arguments choose the source, in
 * `subscribe`).
 */
function resolveSubscriptionsToTheirRoot(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) field.resolve = (root: unknown) => root;
  return schema;
}

/**
 * The enqueue mutations resolve straight from GraphQL's arguments ({@link enqueueFieldResolvers},
 * {@link flowFieldResolvers}): type-graphql's wrapper would only build input class instances and
 * wait a promise per argument, validation being off. A field that gains a middleware or an auth
 * rule keeps the wrapper, which runs them.
 */
function bindEnqueueMutations(schema: GraphQLSchema): GraphQLSchema {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const [name, resolve] of Object.entries({ ...enqueueFieldResolvers, ...flowFieldResolvers })) {
    const metadata = getMetadataStorage().mutations.find((mutation) => mutation.schemaName === name);
    if (!fields[name] || !metadata || metadata.middlewares?.length || metadata.roles) continue;
    fields[name].resolve = resolve as GraphQLFieldResolver<unknown, unknown>;
  }
  return schema;
}

/** Builds the executable schema from the resolver and type classes. */
export async function buildJobgateSchema(registry: JobRegistry): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: resolvers(registry),
    validate: false,
    pubSub: topicsUnsupported,
  });
  return bindEnqueueMutations(resolveSubscriptionsToTheirRoot(schema));
}
