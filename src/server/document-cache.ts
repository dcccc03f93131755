import { ApolloServerErrorCode } from '@apollo/server/errors';
import { LRUCache } from 'lru-cache';
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema, type Source, type ValidationRule } from 'graphql';

/** Query text kept at most, in characters: the documents of a few thousand distinct operations. */
const MAX_CACHED_SOURCE = 4 * 1024 * 1024;

/** `error` with `extensions.code` set, as Apollo marks request errors (clients and the error formatting tell them by it). */
function withCode(error: GraphQLError, code: ApolloServerErrorCode): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, originalError: error.originalError, extensions: { ...error.extensions, code } });
}

/**
 * Parses and validates each distinct operation text once. Thousands of browsers subscribe
 * with the same few documents: they share one syntax tree (memory per subscription) and one
 * validation (CPU per subscribe). Documents that fail to parse are not kept.
 */
export class DocumentCache {
  private readonly parsed = new LRUCache<string, DocumentNode>({ maxSize: MAX_CACHED_SOURCE, sizeCalculation: (_document, source) => Math.max(1, source.length) });
  private readonly validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
  ) {}

  /** The document of `source`; a syntax error is thrown with the code GRAPHQL_PARSE_FAILED. */
  readonly parse = (source: string | Source): DocumentNode => {
    if (typeof source !== 'string') return parse(source);
    let document = this.parsed.get(source);
    if (!document) {
      try {
        document = parse(source);
      } catch (error) {
        throw error instanceof GraphQLError ? withCode(error, ApolloServerErrorCode.GRAPHQL_PARSE_FAILED) : error;
      }
      this.parsed.set(source, document);
    }
    return document;
  };

  /** Validation errors of a document against the gateway's schema and rules (the same schema every time). */
  readonly validate = (_schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    let errors = this.validated.get(document);
    if (!errors) {
      errors = validate(this.schema, document, this.rules).map((error) => withCode(error, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED));
      this.validated.set(document, errors);
    }
    return errors;
  };
}
