import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLID, GraphQLInt, GraphQLList, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionArgs } from 'graphql';
import { SharedRenderer } from '../../src/server/shared-renderer';

// The key shared renders are cached under: variables that choose which events arrive (the root
// field's arguments) must not split it; variables that shape the payload must.
const Job = new GraphQLObjectType({
  name: 'Job',
  fields: {
    id: { type: GraphQLID },
    logs: { type: new GraphQLList(GraphQLString), args: { last: { type: GraphQLInt } }, resolve: () => [] },
  },
});
const Event = new GraphQLObjectType({
  name: 'Event',
  fields: { cursor: { type: GraphQLString }, job: { type: Job, resolve: () => ({ id: '1' }) } },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
  subscription: new GraphQLObjectType({
    name: 'Subscription',
    fields: { jobEvents: { type: Event, args: { id: { type: GraphQLID }, since: { type: GraphQLString } } } },
  }),
});

const renderer = new SharedRenderer((result) => ({ data: result.data }), {
  shared: () => ({}),
  own: (context) => context,
  callerKey: () => 'nobody',
});

const WATCH = parse(`
  subscription Watch($id: ID!, $since: String, $last: Int) {
    jobEvents(id: $id, since: $since) { cursor job { id logs(last: $last) } }
  }
`);

function key(document: ReturnType<typeof parse>, variableValues: Record<string, unknown>, operationName?: string): string {
  const args: ExecutionArgs = { schema, document, variableValues, operationName, contextValue: {} };
  return renderer.selectionKey(args);
}

describe('shared-render key: variables below the root', () => {
  it('is the same for watchers of one job with different `since`', () => {
    assert.equal(key(WATCH, { id: 'imports:1', since: '1-0', last: 5 }), key(WATCH, { id: 'imports:1', since: '99-0', last: 5 }));
    assert.equal(key(WATCH, { id: 'imports:1', last: 5 }), key(WATCH, { id: 'imports:2', since: '3-0', last: 5 }));
  });

  it('differs when a variable below the root differs', () => {
    assert.notEqual(key(WATCH, { id: 'imports:1', last: 5 }), key(WATCH, { id: 'imports:1', last: 6 }));
    assert.notEqual(key(WATCH, { id: 'imports:1', last: 5 }), key(WATCH, { id: 'imports:1' }));
  });

  it('differs between selections, even of the same shape parsed twice', () => {
    const other = parse('subscription Watch($id: ID!) { jobEvents(id: $id) { cursor } }');
    const same = parse('subscription Watch($id: ID!) { jobEvents(id: $id) { cursor } }');
    assert.notEqual(key(WATCH, { id: 'imports:1' }), key(other, { id: 'imports:1' }));
    assert.equal(key(other, { id: 'imports:1' }), key(other, { id: 'imports:2' }));
    // Documents are keyed by identity (the document cache hands one per distinct text).
    assert.notEqual(key(other, { id: 'imports:1' }), key(same, { id: 'imports:1' }));
  });

  it('counts variables used below the root in fragments', () => {
    const withFragment = parse(`
      subscription Watch($id: ID!, $since: String, $last: Int) { jobEvents(id: $id, since: $since) { ...Rest } }
      fragment Rest on Event { job { logs(last: $last) } }
    `);
    assert.notEqual(key(withFragment, { id: 'imports:1', last: 1 }), key(withFragment, { id: 'imports:1', last: 2 }));
    assert.equal(key(withFragment, { id: 'imports:1', since: '1-0', last: 1 }), key(withFragment, { id: 'imports:1', last: 1 }));
  });

  it('counts a variable used both at the root and below it', () => {
    const both = parse(`
      subscription Watch($n: Int) { jobEvents(since: "0-0", id: "imports:1") { job { logs(last: $n) } } }
    `);
    assert.notEqual(key(both, { n: 1 }), key(both, { n: 2 }));
  });

  it('tells operations of one document apart', () => {
    const two = parse(`
      subscription A($id: ID!) { jobEvents(id: $id) { cursor } }
      subscription B($id: ID!) { jobEvents(id: $id) { job { id } } }
    `);
    assert.notEqual(key(two, { id: 'imports:1' }, 'A'), key(two, { id: 'imports:1' }, 'B'));
  });

  it("counts only the operation's own variables in a document of several", () => {
    const two = parse(`
      subscription A($id: ID!, $last: Int) { jobEvents(id: $id) { job { logs(last: $last) } } }
      subscription B($id: ID!, $n: Int) { jobEvents(id: $id) { ...Logs } }
      fragment Logs on Event { job { logs(last: $n) } }
    `);
    // `$id` chooses B's events (a root argument of B, not below the root in A either).
    assert.equal(key(two, { id: 'imports:1', n: 1 }, 'B'), key(two, { id: 'imports:2', n: 1 }, 'B'));
    assert.equal(key(two, { id: 'imports:1', n: 1, last: 3 }, 'B'), key(two, { id: 'imports:1', n: 1, last: 4 }, 'B'));
    assert.notEqual(key(two, { id: 'imports:1', n: 1 }, 'B'), key(two, { id: 'imports:1', n: 2 }, 'B'));
    // Asked in the other order, each operation still has its own variables.
    assert.notEqual(key(two, { id: 'imports:1', last: 1 }, 'A'), key(two, { id: 'imports:1', last: 2 }, 'A'));
    assert.equal(key(two, { id: 'imports:1', last: 1, n: 1 }, 'A'), key(two, { id: 'imports:1', last: 1, n: 2 }, 'A'));
  });
});
