import { LRUCache } from 'lru-cache';
import { parse, validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type Source, type ValidationRule } from 'graphql';

/** Query text kept at most, in characters: the documents of a few thousand distinct operations. */
const MAX_CACHED_SOURCE = 4 * 1024 * 1024;

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

  readonly parse = (source: string | Source): DocumentNode => {
    if (typeof source !== 'string') return parse(source);
    let document = this.parsed.get(source);
    if (!document) {
      document = parse(source);
      this.parsed.set(source, document);
    }
    return document;
  };

  /** Validation errors of a document against the gateway's schema and rules (the same schema every time). */
  readonly validate = (_schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] => {
    let errors = this.validated.get(document);
    if (!errors) {
      errors = validate(this.schema, document, this.rules);
      this.validated.set(document, errors);
    }
    return errors;
  };
}
