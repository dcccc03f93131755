import { JobgateClientError, type WireGraphQLError } from './errors.js';
import type { Endpoints } from './endpoints.js';
import type { TypedDocumentString } from './gql/graphql.js';

/** What an HTTP request needs besides the operation. */
export interface HttpContext {
  endpoints: Endpoints;
  fetch: typeof fetch;
  authorization(): string | undefined;
}

interface WireResponse<TResult> {
  data?: TResult | null;
  errors?: WireGraphQLError[];
}

/**
 * POSTs one operation and returns its `data`, or throws a {@link JobgateClientError}.
 * A gateway that cannot be reached is skipped for the next one; one that answered is not
 * asked again, because a mutation that reached it may have taken effect.
 */
export async function postOperation<TResult, TVariables>(
  context: HttpContext,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  const authorization = context.authorization();
  if (authorization !== undefined) headers['authorization'] = authorization;
  const body = JSON.stringify({ query: document.toString(), variables });

  let lastFailure: unknown;
  for (let attempt = 0; attempt < context.endpoints.size; attempt++) {
    let response: Response;
    try {
      response = await context.fetch(context.endpoints.http, { method: 'POST', headers, body });
    } catch (failure) {
      lastFailure = failure;
      context.endpoints.advance();
      continue;
    }
    return readResponse<TResult>(response);
  }
  const reason = lastFailure instanceof Error ? lastFailure.message : String(lastFailure);
  throw new JobgateClientError('NETWORK_ERROR', `no gateway answered: ${reason}`, [], { cause: lastFailure });
}

async function readResponse<TResult>(response: Response): Promise<TResult> {
  const text = await response.text();
  let parsed: WireResponse<TResult>;
  try {
    parsed = JSON.parse(text) as WireResponse<TResult>;
  } catch {
    throw new JobgateClientError('BAD_RESPONSE', `expected a JSON GraphQL response, got HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
  if (parsed.errors !== undefined && parsed.errors.length > 0) throw JobgateClientError.fromGraphQL(parsed.errors);
  if (parsed.data === undefined || parsed.data === null) {
    throw new JobgateClientError('BAD_RESPONSE', `expected data in the response, got HTTP ${response.status} without it`);
  }
  return parsed.data;
}
