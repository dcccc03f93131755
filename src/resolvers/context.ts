import type { Context as TraceContext } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller';
import type { WatchPacing } from '../events/event-hub';
import type { Services } from '../services';
import type { Loaders } from '../services/loaders';

/** What every resolver gets, over HTTP and WebSocket alike. */
export interface RequestContext {
  caller: Caller;
  /** Follows an enqueue into the worker's log lines. */
  requestId: string;
  services: Services;
  loaders: Loaders;
  logger: Logger;
  /** How far behind the client's socket is (WebSocket only). */
  pacing: WatchPacing;
  /** The operation's span, as the parent of what it starts (an enqueue), when tracing is on (docs/tracing.md). */
  trace?: TraceContext;
}
