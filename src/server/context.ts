import { randomUUID } from 'node:crypto';
import type { Context as TraceContext } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { traceLogger } from '../tracing/operation';
import type { Caller } from '../auth/caller';
import type { WatchPacing } from '../events/event-hub';
import type { RequestContext } from '../resolvers/context';
import type { Services } from '../services';
import { createLoaders, type Loaders } from '../services/loaders';

/** A request id from the client's `x-request-id` when it is sane, else a fresh one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && /^[A-Za-z0-9._:-]{1,100}$/.test(value) ? value : randomUUID();
}

/** A RequestContext whose loaders are made on first use: an idle subscription never needs them. */
class OperationContext implements RequestContext {
  private madeLoaders: Loaders | undefined;
  // Declared, not initialized: no slot in the contexts idle subscriptions keep while tracing is off.
  declare private tracedLogger?: Logger;
  /** Set by the operation hook when tracing is on. */
  declare trace?: TraceContext;

  constructor(
    readonly services: Services,
    private readonly baseLogger: Logger,
    readonly caller: Caller,
    readonly requestId: string,
    readonly pacing: WatchPacing,
  ) {}

  /** The process logger, with the operation's `trace_id` and `span_id` once it is traced. */
  get logger(): Logger {
    if (!this.trace) return this.baseLogger;
    return (this.tracedLogger ??= traceLogger(this.baseLogger, this.trace));
  }

  get loaders(): Loaders {
    return (this.madeLoaders ??= createLoaders(this.services.store));
  }
}

/** The resolver context of one HTTP request, one WebSocket operation or one subscription event. */
export function createContext(
  services: Services,
  logger: Logger,
  caller: Caller,
  requestId: string,
  pacing: WatchPacing = {},
): RequestContext {
  return new OperationContext(services, logger, caller, requestId, pacing);
}
