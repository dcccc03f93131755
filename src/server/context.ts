import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller';
import type { WatchPacing } from '../events/event-hub';
import type { RequestContext } from '../resolvers/context';
import type { Services } from '../services';
import { createLoaders } from '../services/loaders';

/** A request id from the client's `x-request-id` when it is sane, else a fresh one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,100}$/.test(value) ? value : randomUUID();
}

/** The resolver context of one HTTP request or one WebSocket operation. */
export function createContext(services: Services, logger: Logger, caller: Caller, requestId: string, pacing: WatchPacing = {}): RequestContext {
  return { services, caller, requestId, logger, pacing, loaders: createLoaders(services.store) };
}
