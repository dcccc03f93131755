import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import {
  GraphQLError,
  Lexer,
  parse,
  Source,
  specifiedRules,
  TokenKind,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import { ErrorCode } from '../errors';

/** Query text kept at most, in characters: the documents of a few thousand distinct operations. */
const MAX_CACHED_SOURCE = 4 * 1024 * 1024;

/**
 * Brackets (`{`, `[`, `(`) open at once at most. graphql-js parses and validates by recursion,
 * a few frames per level: a document nested thousands deep overflows the stack, and a token
 * limit alone does not stop it (a list of lists costs one token per level).
 */
export const MAX_NESTING = 256;

const OPENING = new Set<string>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<string>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** `error` with `extensions.code` set (clients and the error formatting tell request errors by it), and its status over HTTP, 400. */
export function withCode(error: GraphQLError, code: ErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code, http: { status: 400 } },
  });
}

/** A syntax error as the parser would report it, with its status over HTTP. */
function parseFailure(message: string, source?: Source, position?: number): GraphQLError {
  return withCode(
    new GraphQLError(`Syntax Error: ${message}`, { source, positions: position === undefined ? undefined : [position] }),
    ErrorCode.GRAPHQL_PARSE_FAILED,
  );
}

/** How many `{`, `[` and `(` characters `source` holds, strings and comments included. */
function openingCharacters(source: string): number {
  let count = 0;
  for (let index = 0; index < source.length; index += 1) {
    const code = source.charCodeAt(index);
    if (code === 0x7b || code === 0x5b || code === 0x28) count += 1;
  }
  return count;
}

/** The SHA-256 of a text, by which automatic persisted queries name it. */
export function queryHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** A parsed and validated document, or the errors that refused it. */
export type Prepared = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/**
 * Parses and validates each distinct operation text once, for every transport. Thousands of
 * browsers subscribe with the same few documents: they share one syntax tree (memory per
 * subscription) and one validation (CPU per subscribe), and a document validated for a
 * WebSocket is not parsed again for HTTP, nor the other way round. Documents are kept by their
 * text, so a request for a known one costs a lookup, not a hash; only valid documents are kept.
 * Each kept text is also known by its SHA-256 ({@link textOf}), which is how automatic
 * persisted queries name it.
 *
 * Before a text is parsed it is screened: at most `maxTokens` tokens and {@link MAX_NESTING}
 * open brackets, so no document, however long or deep, costs more than a bounded lexing pass
 * or reaches the parser's recursion.
 */
export class DocumentCache {
  private readonly documents = new LRUCache<string, DocumentNode>({
    maxSize: MAX_CACHED_SOURCE,
    sizeCalculation: (_document, text) => Math.max(1, text.length),
  });
  /** The text of each kept document, by its SHA-256. */
  private readonly texts = new LRUCache<string, string>({
    maxSize: MAX_CACHED_SOURCE,
    sizeCalculation: (text) => Math.max(1, text.length),
  });
  private readonly rules: readonly ValidationRule[];
  private readonly parseOptions: ParseOptions;

  /**
   * @param rules the rules beyond the specification's (those are always applied).
   * @param maxTokens tokens a document may hold.
   */
  constructor(
    private readonly schema: GraphQLSchema,
    rules: readonly ValidationRule[],
    maxTokens: number,
  ) {
    this.rules = [...specifiedRules, ...rules];
    this.parseOptions = { maxTokens };
  }

  /**
   * Whether `source` is under both limits by its characters alone: every token takes a
   * character, every open bracket one of `{[(`. Most documents are, without a lexing pass.
   */
  private underLimitsByCharacters(source: string): boolean {
    return source.length <= (this.parseOptions.maxTokens ?? Infinity) && openingCharacters(source) <= MAX_NESTING;
  }

  /** One lexing pass: the refusal of a document over the token or nesting limit, or with a lexical error. */
  private lexingRefusal(source: string): GraphQLError | undefined {
    const text = new Source(source);
    const lexer = new Lexer(text);
    const maxTokens = this.parseOptions.maxTokens ?? Infinity;
    let depth = 0;
    try {
      for (let tokens = 0, token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
        if (++tokens > maxTokens) return parseFailure(`Document contains more than ${maxTokens} tokens. Parsing aborted.`);
        if (OPENING.has(token.kind) && ++depth > MAX_NESTING)
          return parseFailure(`Document nests more than ${MAX_NESTING} brackets deep. Parsing aborted.`, text, token.start);
        if (CLOSING.has(token.kind)) depth -= 1;
      }
    } catch (error) {
      if (error instanceof GraphQLError) return withCode(error, ErrorCode.GRAPHQL_PARSE_FAILED);
      throw error;
    }
    return undefined;
  }

  /** The document of `source`, parsed and validated (once per distinct text), or the errors that refuse it, each with its code. */
  prepare(source: string): Prepared {
    const cached = this.documents.get(source);
    if (cached) return { document: cached };
    const refusal = this.underLimitsByCharacters(source) ? undefined : this.lexingRefusal(source);
    if (refusal) return { errors: [refusal] };
    let document: DocumentNode;
    try {
      document = parse(source, this.parseOptions);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [withCode(error, ErrorCode.GRAPHQL_PARSE_FAILED)] };
      throw error;
    }
    const invalid = validate(this.schema, document, this.rules);
    if (invalid.length > 0) return { errors: invalid.map((error) => withCode(error, ErrorCode.GRAPHQL_VALIDATION_FAILED)) };
    this.documents.set(source, document);
    this.texts.set(queryHash(source), source);
    return { document };
  }

  /** The text of a document that passed {@link prepare}, by its SHA-256; undefined for any other hash. */
  textOf(hash: string): string | undefined {
    return this.texts.get(hash);
  }
}
