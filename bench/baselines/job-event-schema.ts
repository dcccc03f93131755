/**
 * The plain graphql-ws baseline's schema: the slice of the gateway contract
 * that figure 4's subscription selects, resolved from an in-memory pub/sub.
 */
import { GraphQLFloat, GraphQLID, GraphQLNonNull, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString } from 'graphql';
import type { WebSocket } from 'ws';
import type { SampleJobEvent } from '../lib/sample-event';
import type { PubSub } from './pubsub';

/** The execution context: the subscriber's socket, for back-pressure. */
export interface SocketContext {
  socket: WebSocket;
}

const JSONScalar = new GraphQLScalarType({ name: 'JSON', serialize: (value) => value });

const JobProgress = new GraphQLObjectType({
  name: 'JobProgress',
  fields: { percent: { type: GraphQLFloat }, data: { type: JSONScalar } },
});

const Job = new GraphQLObjectType({
  name: 'Job',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    state: { type: new GraphQLNonNull(GraphQLString) },
    progress: { type: JobProgress },
  },
});

const JobEvent = new GraphQLObjectType({
  name: 'JobEvent',
  fields: {
    type: { type: new GraphQLNonNull(GraphQLString) },
    cursor: { type: new GraphQLNonNull(GraphQLString) },
    at: { type: new GraphQLNonNull(GraphQLString) },
    job: { type: new GraphQLNonNull(Job) },
  },
});

/** Builds `type Subscription { jobEvents(id: ID!): JobEvent! }` over `pubsub`. */
export function jobEventSchema(pubsub: PubSub<SampleJobEvent>): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString, resolve: () => 'ok' } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        jobEvents: {
          type: new GraphQLNonNull(JobEvent),
          args: { id: { type: new GraphQLNonNull(GraphQLID) } },
          subscribe: (_root: unknown, args: { id: string }, context: SocketContext) => pubsub.subscribe(args.id, context.socket),
          resolve: (event: unknown) => event,
        },
      },
    }),
  });
}
