import { createClient, type Client } from 'graphql-ws';
import IORedis from 'ioredis';
import WebSocket from 'ws';
import { parseStreamEntry } from '../../src/events/stream-entry';
import { compareStreamIds } from '../../src/events/stream-id';
import { JOB_EVENTS, type JobEventPayload } from '../integration/operations';

/** One `jobEvents` event as the tests keep it. */
export type WatchedEvent = JobEventPayload['jobEvents'];

/** One entry of a queue's event stream, read straight from Redis. */
export interface StreamEntry {
  id: string;
  event: string;
  jobId: string;
}

const PAGE = 1000;

/**
 * Every entry of the queue's BullMQ event stream that tells watchers something about a job
 * (the names the EventHub maps), read with XRANGE: the ground truth the gateway's streams
 * are compared with, independent of its replay code.
 */
export async function streamEntries(redisUrl: string, prefix: string, queue: string): Promise<StreamEntry[]> {
  const redis = new IORedis(redisUrl, { maxRetriesPerRequest: 1 });
  const entries: StreamEntry[] = [];
  try {
    let from = '-';
    for (;;) {
      const page = await redis.xrange(`${prefix}:${queue}:events`, from, '+', 'COUNT', PAGE);
      for (const [id, flat] of page) {
        const entry = parseStreamEntry(id, flat);
        if (entry) entries.push({ id, event: flat[flat.indexOf('event') + 1], jobId: entry.jobId });
      }
      if (page.length < PAGE) return entries;
      from = `(${page[page.length - 1][0]}`;
    }
  } finally {
    redis.disconnect();
  }
}

/** Ids of the stream entries of BullMQ job `jobId` after `after`. */
export function entryIdsAfter(entries: StreamEntry[], jobId: string, after: string): string[] {
  return entries.filter((entry) => entry.jobId === jobId && compareStreamIds(entry.id, after) > 0).map((entry) => entry.id);
}

/**
 * A graphql-ws client that keeps reconnecting for about `patienceMs`. `shouldRetry` is widened:
 * by default graphql-ws retries after close events only, and with `ws` a refused connection
 * (the gateway restarting) arrives as an error event first.
 */
export function retryingClient(wsUrl: string, patienceMs = 40_000, webSocketImpl: unknown = WebSocket): Client {
  const waitMs = 200;
  return createClient({
    url: wsUrl,
    webSocketImpl,
    lazy: true,
    retryAttempts: Math.ceil(patienceMs / waitMs),
    retryWait: () => new Promise((resolve) => setTimeout(resolve, waitMs)),
    shouldRetry: () => true,
  });
}

/** graphql-ws reports a closed socket as a CloseEvent and protocol errors as arrays: make them Errors. */
function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  if (error && typeof error === 'object' && 'code' in error)
    return new Error(`socket closed with code ${String(error.code)} ${'reason' in error ? String(error.reason) : ''}`);
  if (error && typeof error === 'object' && 'message' in error) return new Error(`socket error: ${String(error.message)}`);
  return new Error(`subscription failed: ${JSON.stringify(error)}`);
}

/** A watch that resumes by itself after a reconnect; `events` in arrival order. */
export interface ResumingWatch {
  events: WatchedEvent[];
  /** Resolves when the gateway completes the subscription; rejects on an error. */
  done: Promise<void>;
  stop(): void;
}

/**
 * Watches `id` over a graphql-ws client that retries. graphql-ws re-sends the same subscribe
 * payload after every reconnect, serialising it anew each time: the `since` getter makes that
 * re-subscription resume after the last cursor received rather than start over.
 */
export function resumingWatch(client: Client, id: string): ResumingWatch {
  const events: WatchedEvent[] = [];
  const variables = {
    id,
    get since(): string | undefined {
      return events.at(-1)?.cursor;
    },
  };
  let stop = (): void => undefined;
  const done = new Promise<void>((resolve, reject) => {
    stop = client.subscribe<JobEventPayload>(
      { query: JOB_EVENTS, variables },
      {
        next: (value) => {
          if (value.errors) reject(new Error(`subscription errors: ${JSON.stringify(value.errors)}`));
          else if (value.data) events.push(value.data.jobEvents);
        },
        error: (error) => reject(asError(error)),
        complete: resolve,
      },
    );
  });
  // Handled now, awaited later: a failure must not surface as an unhandled rejection first.
  done.catch(() => undefined);
  return { events, done, stop: () => stop() };
}
