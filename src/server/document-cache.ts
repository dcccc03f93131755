import { createHash } from 'node:crypto';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { PersistedQueryOptions } from '@apollo/server';
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

/**
 * `error` with `extensions.code` set, as Apollo marks request errors (clients and the error
 * formatting tell them by it), and the status Apollo gives them over HTTP.
 */
function withCode(error: GraphQLError, code: ApolloServerErrorCode): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code, http: { status: 400 } },
  });
}

/** A syntax error as the parser would report it, with the HTTP status Apollo gives parse failures. */
function parseFailure(message: string, source?: Source, position?: number): GraphQLError {
  return withCode(
    new GraphQLError(`Syntax Error: ${message}`, { source, positions: position === undefined ? undefined : [position] }),
    ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
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

/** The hash a document is cached under: Apollo's query hash, so that both transports share one store. */
function queryHash(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** The query hash at the end of a key of Apollo's (its stores prefix their keys with `<prefix>:`). */
const hashOfKey = (key: string): string => key.slice(key.lastIndexOf(':') + 1);

/** One text handed to Apollo by its hash, and how many requests in flight still need it ({@link DocumentCache.byHash}). */
interface Lent {
  text: string;
  requests: number;
}

/** A parsed and validated document, or the errors that refused it. */
export type Prepared = { document: DocumentNode } | { errors: readonly GraphQLError[] };

/**
 * Parses and validates each distinct operation text once, for every transport. Thousands of
 * browsers subscribe with the same few documents: they share one syntax tree (memory per
 * subscription) and one validation (CPU per subscribe). Apollo reads and fills the same cache
 * through {@link apolloStore}, so a document validated for a WebSocket is not parsed again
 * for HTTP, nor the other way round. Only valid documents are kept, as Apollo keeps them.
 *
 * Before a text is parsed it is screened: at most `maxTokens` tokens and {@link MAX_NESTING}
 * open brackets, so no document, however long or deep, costs more than a bounded lexing pass
 * or reaches the parser's recursion.
 */
export class DocumentCache {
  private readonly documents = new LRUCache<string, DocumentNode>({
    maxSize: MAX_CACHED_SOURCE,
    sizeCalculation: (document) => Math.max(1, document.loc?.end ?? 1),
  });
  /** The hash of each cached document's text, by the text: a known text is not hashed again. */
  private readonly hashes = new LRUCache<string, string>({
    maxSize: MAX_CACHED_SOURCE,
    sizeCalculation: (_hash, text) => Math.max(1, text.length),
  });
  /** Texts of requests in flight that Apollo reads by their hash ({@link byHash}), kept until {@link release}. */
  private readonly lent = new Map<string, Lent>();
  private readonly rules: readonly ValidationRule[];
  /** The options every parse of a query uses, Apollo's included. */
  readonly parseOptions: ParseOptions;

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
   * Why `source` may not be parsed (too many tokens, nested too deep, or a lexical error), or
   * undefined when it may. A cached text passes without a second look.
   */
  screen(source: string): GraphQLError | undefined {
    if (this.underLimitsByCharacters(source) || this.documents.has(queryHash(source))) return undefined;
    return this.lexingRefusal(source);
  }

  /**
   * Whether `source` is under both limits by its characters alone: every token takes a
   * character, every open bracket one of `{[(`. Most documents are, without a hash or a lexing pass.
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
      if (error instanceof GraphQLError) return withCode(error, ApolloServerErrorCode.GRAPHQL_PARSE_FAILED);
      throw error;
    }
    return undefined;
  }

  /** The document of `source`, parsed and validated (once per distinct text), or the errors that refuse it, each with its code. */
  prepare(source: string): Prepared {
    const hash = queryHash(source);
    const cached = this.documents.get(hash);
    if (cached) return { document: cached };
    // Not cached (looked up above): no second hash and lookup, as screen() would make.
    const refusal = this.underLimitsByCharacters(source) ? undefined : this.lexingRefusal(source);
    if (refusal) return { errors: [refusal] };
    let document: DocumentNode;
    try {
      document = parse(source, this.parseOptions);
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [withCode(error, ApolloServerErrorCode.GRAPHQL_PARSE_FAILED)] };
      throw error;
    }
    const invalid = validate(this.schema, document, this.rules);
    if (invalid.length > 0) return { errors: invalid.map((error) => withCode(error, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED)) };
    this.keep(hash, document);
    return { document };
  }

  private keep(hash: string, document: DocumentNode): void {
    this.documents.set(hash, document);
    if (document.loc) this.hashes.set(document.loc.source.body, hash);
  }

  /**
   * The query hash of `source` when it is the text of a cached document, lent to Apollo until
   * {@link release}: Apollo reads it back through {@link byHash}. Undefined for any other text.
   */
  borrowHash(source: string): string | undefined {
    const hash = this.hashes.get(source);
    if (hash === undefined) return undefined;
    const lent = this.lent.get(hash);
    if (lent) lent.requests += 1;
    else this.lent.set(hash, { text: source, requests: 1 });
    return hash;
  }

  /** Ends one loan of {@link borrowHash}. */
  release(hash: string): void {
    const lent = this.lent.get(hash);
    if (lent && --lent.requests === 0) this.lent.delete(hash);
  }

  /**
   * The cache as Apollo Server's `documentStore`. Apollo prefixes its keys with a hash of the
   * schema, which is the same for the life of the process: the part after the last `:` is the
   * query hash.
   */
  readonly apolloStore = {
    get: (key: string): Promise<DocumentNode | undefined> => Promise.resolve(this.documents.get(hashOfKey(key))),
    set: (key: string, document: DocumentNode): Promise<void> => {
      this.keep(hashOfKey(key), document);
      return Promise.resolve();
    },
    delete: (key: string): Promise<boolean> => Promise.resolve(this.documents.delete(hashOfKey(key))),
  };

  /**
   * The store of Apollo's automatic persisted queries: a hash names the text of a document
   * lent for a request in flight ({@link borrowHash}) or of any cached document, which every
   * valid document a client registers is. A text that failed validation is not kept: a client
   * naming it by hash gets PERSISTED_QUERY_NOT_FOUND and sends it again, as the protocol says.
   */
  readonly byHash: NonNullable<PersistedQueryOptions['cache']> = {
    get: (key) => {
      const hash = hashOfKey(key);
      return Promise.resolve(this.lent.get(hash)?.text ?? this.documents.get(hash)?.loc?.source.body);
    },
    set: () => Promise.resolve(),
    delete: () => Promise.resolve(true),
  };
}
