import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { GraphQLBoolean, GraphQLObjectType, GraphQLSchema, GraphQLString, type GraphQLError } from 'graphql';
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

/** The parse failure `prepare` refuses `source` with, if it refuses it before validation. */
function parseRefusal(documents: DocumentCache, source: string): GraphQLError | undefined {
  const prepared = documents.prepare(source);
  return 'errors' in prepared && prepared.errors[0].extensions.code === 'GRAPHQL_PARSE_FAILED' ? prepared.errors[0] : undefined;
}

describe('DocumentCache limits', () => {
  it(`allows ${MAX_TOKENS} tokens and refuses one more`, () => {
    assert.equal(parseRefusal(cache(), tokens(MAX_TOKENS)), undefined);
    assertParseFailure(
      parseRefusal(cache(), tokens(MAX_TOKENS + 1)),
      /^Syntax Error: Document contains more than 100 tokens\. Parsing aborted\.$/,
    );
  });

  it('does not count comments as tokens', () => {
    assert.equal(parseRefusal(cache(), `# ${'x'.repeat(10 * MAX_TOKENS)}\n{ ok }`), undefined);
  });

  it(`allows ${MAX_NESTING} open brackets and refuses one more, pointing at it`, () => {
    assert.equal(MAX_NESTING, 256);
    assert.equal(parseRefusal(cache(10_000), nested(MAX_NESTING - 2)), undefined);
    const source = nested(MAX_NESTING - 1);
    const error = assertParseFailure(
      parseRefusal(cache(10_000), source),
      /^Syntax Error: Document nests more than 256 brackets deep\. Parsing aborted\.$/,
    );
    assert.deepEqual(error.positions, [source.indexOf('[') + MAX_NESTING - 2]);
  });

  it('counts depth, not brackets: many closed ones in a row pass', () => {
    assert.equal(parseRefusal(cache(10_000), `{ ${'echo(a: "x") '.repeat(MAX_NESTING + 50)}}`), undefined);
  });

  it('counts brackets as tokens, not characters inside strings', () => {
    assert.equal(parseRefusal(cache(10_000), `{ echo(a: "${'{'.repeat(MAX_NESTING * 2)}") }`), undefined);
  });

  it('reports a lexical error in a short or a long text as GRAPHQL_PARSE_FAILED', () => {
    assertParseFailure(parseRefusal(cache(), '{ echo(a: "unterminated) }'), /^Syntax Error: Unterminated string\.$/);
    const long = `# ${'x'.repeat(2 * MAX_TOKENS)}\n{ echo(a: "unterminated) }`;
    assertParseFailure(parseRefusal(cache(), long), /^Syntax Error: Unterminated string\.$/);
    assertParseFailure(parseRefusal(cache(), `# ${'x'.repeat(2 * MAX_TOKENS)}\n{ ok ~ }`), /^Syntax Error: Unexpected character: "~"\.$/);
  });
});

describe('DocumentCache prepare', () => {
  const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

  it('parses and validates a text once, and knows it by its hash', () => {
    const documents = cache();
    assert.equal(documents.textOf(sha256('{ ok }')), undefined);
    const first = documents.prepare('{ ok }');
    const second = documents.prepare('{ ok }');
    assert.ok('document' in first && 'document' in second);
    assert.equal(first.document, second.document);
    assert.equal(documents.textOf(sha256('{ ok }')), '{ ok }');
  });

  it('refuses an invalid document as GRAPHQL_VALIDATION_FAILED and does not keep it', () => {
    const documents = cache();
    const prepared = documents.prepare('{ nope }');
    assert.ok('errors' in prepared);
    assert.equal(prepared.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(prepared.errors[0].message, /Cannot query field "nope"/);
    assert.equal(documents.textOf(sha256('{ nope }')), undefined);
    assert.ok('errors' in documents.prepare('{ nope }'));
  });

  it('refuses a text over the limits without parsing it', () => {
    const prepared = cache(10_000).prepare(nested(MAX_NESTING));
    assert.ok('errors' in prepared);
    assert.match(prepared.errors[0].message, /nests more than 256/);
  });
});
