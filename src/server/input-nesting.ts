import type { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';
import { httpRefusal } from './http-params';

/**
 * How deep the JSON of an operation's variables may nest. graphql-js coerces a variable of a
 * recursive input type (FlowInput) recursively, and a few thousand levels overflow its stack,
 * which would surface as an internal error. 512 levels hold a flow of MAX_FLOW_DEPTH's largest
 * value (150 levels of three each) with deep job data.
 */
export const MAX_INPUT_NESTING = 512;

/** Whether `value` holds objects or arrays nested deeper than `limit` levels; walked without recursion. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) {
      if (typeof child === 'object' && child !== null) pending.push({ value: child, depth: next.depth + 1 });
    }
  }
  return false;
}

/** The refusal of an operation whose variables nest too deep (HTTP 400, or an `error` message on WebSocket). */
export function tooDeeplyNested(): GraphQLError {
  return httpRefusal(ErrorCode.BAD_USER_INPUT, `Variables nest deeper than ${MAX_INPUT_NESTING} levels`, 400);
}
