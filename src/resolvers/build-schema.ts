import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { resolvers } from '.';
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

/** Builds the executable schema from the resolver and type classes. */
export function buildJobgateSchema(registry: JobRegistry): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: resolvers(registry),
    validate: false,
    pubSub: topicsUnsupported,
  });
}
