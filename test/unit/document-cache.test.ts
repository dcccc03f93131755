import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, GraphQLString, parse, type GraphQLError } from 'graphql';
import { DocumentCache, MAX_NESTING } from '../../src/server/document-cache';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: { ok: { type: GraphQLBoolean }, echo: { type: GraphQLString, args: { a: { type: GraphQLString } } } },
  }),
});
const MAX_TOKENS = 100;
const cache = (maxTokens = MAX_TOKENS): DocumentCache => new DocumentCache(schema, [], maxTokens);

/** `{ f(a: [[…]]) }`: the brace, the parenthesis and `lists` brackets open at once. */
const nested = (lists: number): string => `{ f(a: ${'['.repeat(lists)}${']'.repeat(lists)}) }`;
/** `{ a a … a }`: `tokens` tokens in all. */
const tokens = (count: number): string => `{ ${'a '.repeat(count - 2)}}`;

function assertParseFailure(error: GraphQLError | undefined, message: RegExp): GraphQLError {
  assert.ok(error, 'refused');
  assert.match(error.message, message);
  assert.equal(error.extensions.code, 'GRAPHQL_PARSE_FAILED');
  assert.deepEqual(error.extensions.http, { status: 400 });
  return error;
}

describe('DocumentCache screen', () => {
  it(`allows ${MAX_TOKENS} tokens and refuses one more`, () => {
    assert.equal(cache().screen(tokens(MAX_TOKENS)), undefined);
    assertParseFailure(
      cache().screen(tokens(MAX_TOKENS + 1)),
      /^Syntax Error: Document contains more than 100 tokens\. Parsing aborted\.$/,
    );
  });

  it('does not count comments as tokens', () => {
    assert.equal(cache().screen(`# ${'x'.repeat(10 * MAX_TOKENS)}\n{ ok }`), undefined);
  });

  it(`allows ${MAX_NESTING} open brackets and refuses one more, pointing at it`, () => {
    assert.equal(MAX_NESTING, 256);
    assert.equal(cache(10_000).screen(nested(MAX_NESTING - 2)), undefined);
    const source = nested(MAX_NESTING - 1);
    const error = assertParseFailure(
      cache(10_000).screen(source),
      /^Syntax Error: Document nests more than 256 brackets deep\. Parsing aborted\.$/,
    );
    assert.deepEqual(error.positions, [source.indexOf('[') + MAX_NESTING - 2]);
  });

  it('counts depth, not brackets: many closed ones in a row pass', () => {
    assert.equal(cache(10_000).screen(`{ ${'echo(a: "x") '.repeat(MAX_NESTING + 50)}}`), undefined);
  });

  it('counts brackets as tokens, not characters inside strings', () => {
    assert.equal(cache(10_000).screen(`{ echo(a: "${'{'.repeat(MAX_NESTING * 2)}") }`), undefined);
  });

  it('passes a short text by its characters alone, without lexing it', () => {
    // Under both limits by characters: not lexed here, so even a lexical error passes the screen
    // (the parser reports it); prepare still refuses it.
    const broken = '{ echo(a: "unterminated) }';
    assert.equal(cache().screen(broken), undefined);
    const prepared = cache().prepare(broken);
    assert.ok('errors' in prepared);
    assert.equal(prepared.errors[0].extensions.code, 'GRAPHQL_PARSE_FAILED');
  });

  it('reports a lexical error in a long text as GRAPHQL_PARSE_FAILED', () => {
    const broken = `# ${'x'.repeat(2 * MAX_TOKENS)}\n{ echo(a: "unterminated) }`;
    assertParseFailure(cache().screen(broken), /^Syntax Error: Unterminated string\.$/);
    assertParseFailure(cache().screen(`# ${'x'.repeat(2 * MAX_TOKENS)}\n{ ok ~ }`), /^Syntax Error: Unexpected character: "~"\.$/);
  });

  it('lets a text already cached (by Apollo too) pass without a second look', () => {
    const documents = cache();
    const long = tokens(MAX_TOKENS + 1);
    assert.ok(documents.screen(long));
    const hash = createHash('sha256').update(long).digest('hex');
    void documents.apolloStore.set(`apollo:schema-hash:${hash}`, parse(long));
    assert.equal(documents.screen(long), undefined);
  });
});

describe('DocumentCache prepare', () => {
  it('parses and validates a text once, and shares it with Apollo', async () => {
    const documents = cache();
    const first = documents.prepare('{ ok }');
    const second = documents.prepare('{ ok }');
    assert.ok('document' in first && 'document' in second);
    assert.equal(first.document, second.document);
    const hash = createHash('sha256').update('{ ok }').digest('hex');
    assert.equal(await documents.apolloStore.get(`x:${hash}`), first.document);
  });

  it('refuses an invalid document as GRAPHQL_VALIDATION_FAILED and does not keep it', async () => {
    const documents = cache();
    const prepared = documents.prepare('{ nope }');
    assert.ok('errors' in prepared);
    assert.equal(prepared.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(prepared.errors[0].message, /Cannot query field "nope"/);
    const hash = createHash('sha256').update('{ nope }').digest('hex');
    assert.equal(await documents.apolloStore.get(`x:${hash}`), undefined);
  });

  it('refuses a screened text without parsing it', () => {
    const prepared = cache(10_000).prepare(nested(MAX_NESTING));
    assert.ok('errors' in prepared);
    assert.match(prepared.errors[0].message, /nests more than 256/);
  });
});

describe('DocumentCache hashes of known texts', () => {
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

  it('knows the hash of a cached document’s text only, whoever cached it', () => {
    const documents = cache();
    assert.equal(documents.borrowHash('{ ok }'), undefined);
    documents.prepare('{ ok }');
    assert.equal(documents.borrowHash('{ ok }'), sha256('{ ok }'));
    documents.prepare('{ nope }');
    assert.equal(documents.borrowHash('{ nope }'), undefined);
    void documents.apolloStore.set(`apollo:schema-hash:${sha256('{ echo }')}`, parse('{ echo }'));
    assert.equal(documents.borrowHash('{ echo }'), sha256('{ echo }'));
  });

  it('answers Apollo’s persisted-query lookup of a lent hash until every loan is released, cached or not', async () => {
    const documents = cache();
    documents.prepare('{ ok }');
    const hash = documents.borrowHash('{ ok }');
    assert.ok(hash);
    assert.equal(documents.borrowHash('{ ok }'), hash);
    await documents.apolloStore.delete(`apollo:schema-hash:${hash}`);
    assert.equal(await documents.byHash.get(`apq:${hash}`), '{ ok }');
    documents.release(hash);
    assert.equal(await documents.byHash.get(`apq:${hash}`), '{ ok }');
    documents.release(hash);
    assert.equal(await documents.byHash.get(`apq:${hash}`), undefined);
  });

  it('answers a persisted-query lookup from the cache, and keeps nothing a client registers', async () => {
    const documents = cache();
    documents.prepare('{ ok }');
    assert.equal(await documents.byHash.get(`apq:${sha256('{ ok }')}`), '{ ok }');
    await documents.byHash.set(`apq:${sha256('{ nope }')}`, '{ nope }');
    assert.equal(await documents.byHash.get(`apq:${sha256('{ nope }')}`), undefined);
  });
});
