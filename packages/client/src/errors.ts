/** Codes the client adds to the gateway's own (`BAD_USER_INPUT`, `NOT_FOUND`, `UNAVAILABLE`…). */
export type ClientErrorCode = 'NETWORK_ERROR' | 'BAD_RESPONSE' | 'CONNECTION_CLOSED';

/** A GraphQL error as it comes over the wire. */
export interface WireGraphQLError {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: Record<string, unknown>;
}

/** Failure of a request or subscription. `code` is the gateway's `extensions.code` or a {@link ClientErrorCode}. */
export class JobgateClientError extends Error {
  /** `extensions.code` of the first GraphQL error, or what went wrong on the client's side. */
  readonly code: string;
  /** `extensions.field` when the gateway names the input field at fault. */
  readonly field: string | undefined;
  /** Every GraphQL error of the response, when there were any. */
  readonly errors: readonly WireGraphQLError[];

  constructor(code: string, message: string, errors: readonly WireGraphQLError[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'JobgateClientError';
    this.code = code;
    this.errors = errors;
    const field = errors[0]?.extensions?.['field'];
    this.field = typeof field === 'string' ? field : undefined;
  }

  /** Builds the error from a GraphQL `errors` array. */
  static fromGraphQL(errors: readonly WireGraphQLError[]): JobgateClientError {
    const first = errors[0];
    const code = first?.extensions?.['code'];
    return new JobgateClientError(
      typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR',
      first?.message ?? 'Unknown GraphQL error',
      errors,
    );
  }

  /**
   * Normalises what graphql-ws hands to a sink's `error`: an array of GraphQL errors,
   * a close event (code + reason) or anything else.
   */
  static fromSubscription(reason: unknown): JobgateClientError {
    if (reason instanceof JobgateClientError) return reason;
    if (Array.isArray(reason)) return JobgateClientError.fromGraphQL(reason as WireGraphQLError[]);
    if (typeof reason === 'object' && reason !== null && 'code' in reason && 'reason' in reason) {
      const close = reason as { code: unknown; reason: unknown };
      return new JobgateClientError('CONNECTION_CLOSED', `WebSocket closed: ${String(close.code)} ${String(close.reason)}`.trim(), [], {
        cause: reason,
      });
    }
    const message = reason instanceof Error ? reason.message : String(reason);
    return new JobgateClientError('NETWORK_ERROR', message, [], { cause: reason });
  }
}
