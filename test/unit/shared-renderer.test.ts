import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type ExecutionArgs } from 'graphql';
import type { Caller } from '../../src/auth/caller';
import { callerDependentExtensions } from '../../src/schema/caller-dependent';
import { SharedRenderer } from '../../src/server/shared-renderer';
import { NO_CALLER } from '../../src/server/websocket-protocol';

interface Context {
  caller: Caller;
}

const Event = new GraphQLObjectType<{ owner: string }, Context>({
  name: 'Event',
  fields: {
    owner: { type: GraphQLString },
    // Reads the caller without the mark: must never answer with another subscriber's view.
    unmarkedMine: { type: GraphQLBoolean, resolve: (event, _args, { caller }) => event.owner === caller.id },
    mine: { type: GraphQLBoolean, extensions: callerDependentExtensions, resolve: (event, _args, { caller }) => event.owner === caller.id },
  },
});
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLBoolean } } }),
  subscription: new GraphQLObjectType({ name: 'Subscription', fields: { events: { type: Event, resolve: (event: unknown) => event } } }),
});

const renderer = new SharedRenderer(
  (result) => ({ data: result.data, errors: result.errors?.map((error) => ({ message: error.message })) }),
  {
    shared: () => ({ caller: NO_CALLER }),
    own: (context) => context,
    callerKey: (context) => (context as Context).caller.id,
  },
);

const ana: Context = { caller: { id: 'jwt:ana', roles: ['submitter'] } };
const val: Context = { caller: { id: 'jwt:val', roles: ['viewer'] } };

/** One parsed document per query text, as the gateway's document cache gives. */
const documents = new Map<string, ReturnType<typeof parse>>();

function subscription(query: string, context: Context): { args: ExecutionArgs; key: string } {
  const args: ExecutionArgs = {
    schema,
    document: documents.get(query) ?? documents.set(query, parse(query)).get(query)!,
    contextValue: context,
  };
  return { args, key: renderer.selectionKey(args) };
}
async function render(event: object, { args, key }: { args: ExecutionArgs; key: string }): Promise<unknown> {
  const payload = await renderer.payload(event, key, args);
  return JSON.parse(payload.toString()) as unknown;
}

describe('SharedRenderer', () => {
  it('renders at once, without a promise, when no field waits', () => {
    const { args, key } = subscription('subscription { events { owner } }', ana);
    const payload = renderer.payload({ owner: 'jwt:ana' }, key, args);
    assert.ok(Buffer.isBuffer(payload));
    assert.deepEqual(JSON.parse(payload.toString()), { data: { events: { owner: 'jwt:ana' } } });
  });

  it('shares a caller-independent selection between callers', async () => {
    const event = { owner: 'jwt:ana' };
    const [first, second] = [
      subscription('subscription { events { owner } }', ana),
      subscription('subscription { events { owner } }', val),
    ];
    assert.equal(first.key, second.key);
    assert.equal(renderer.payload(event, first.key, first.args), renderer.payload(event, second.key, second.args), 'one render');
    assert.deepEqual(await render(event, second), { data: { events: { owner: 'jwt:ana' } } });
  });

  it('gives the same payloads, errors included, once a busy selection is compiled', async () => {
    const watch = subscription('subscription Busy { events { owner unmarkedMine } }', ana);
    const payloads: unknown[] = [];
    for (let index = 0; index < 15; index++) payloads.push(await render({ owner: `jwt:${index}` }, watch));
    const interpreted = payloads[0] as { data: unknown; errors: unknown };
    const compiled = payloads[14] as { data: unknown; errors: unknown };
    assert.deepEqual(interpreted.data, { events: { owner: 'jwt:0', unmarkedMine: null } });
    assert.deepEqual(compiled.data, { events: { owner: 'jwt:14', unmarkedMine: null } });
    assert.deepEqual(compiled.errors, interpreted.errors);
  });

  it("renders a selection that reaches a marked field per caller, with each caller's own context", async () => {
    const event = { owner: 'jwt:ana' };
    const query = 'subscription { events { ... on Event { mine } } }';
    const [first, second, again] = [subscription(query, ana), subscription(query, val), subscription(query, ana)];
    assert.notEqual(first.key, second.key);
    assert.equal(first.key, again.key, "one caller's subscriptions still share");
    assert.deepEqual(await render(event, first), { data: { events: { mine: true } } });
    assert.deepEqual(await render(event, second), { data: { events: { mine: false } } });
  });

  it("fails an unmarked field that reads the caller rather than sharing one caller's answer", async () => {
    const event = { owner: 'jwt:ana' };
    const [first, second] = [
      subscription('subscription { events { unmarkedMine } }', ana),
      subscription('subscription { events { unmarkedMine } }', val),
    ];
    const answers = [await render(event, first), await render(event, second)] as {
      data: { events: { unmarkedMine: boolean | null } };
      errors?: { message: string }[];
    }[];
    for (const answer of answers) {
      assert.equal(answer.data.events.unmarkedMine, null);
      assert.match(answer.errors?.[0].message ?? '', /@CallerDependent/);
    }
  });
});
