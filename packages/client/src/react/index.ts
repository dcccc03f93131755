/**
 * `@jobgate/client/react`: React hooks over a {@link JobgateClient}. Give the client once with
 * `<JobgateProvider client={…}>`, or to each hook with its `client` option.
 */
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { JobgateClient, JobsOptions } from '../client.js';
import { JobgateClientError } from '../errors.js';
import type { QueueStatsSubscription } from '../gql/graphql.js';
import { QueueStatsDocument, type JobListItem, type JobsPage } from '../operations.js';
import type { JobgateStream } from '../subscriptions.js';
import type {
  ConnectionState,
  Job,
  JobEvent,
  JobEventType,
  JobInputs,
  JobOptionsInput,
  JobState,
  JobTypeName,
  TypedJob,
} from '../types.js';

const JobgateContext = createContext<JobgateClient | undefined>(undefined);

/** Makes `client` the one the hooks below use. */
export function JobgateProvider({ client, children }: { client: JobgateClient; children?: ReactNode }): ReactNode {
  return createElement(JobgateContext.Provider, { value: client }, children);
}

/** What every hook takes: the client, when no {@link JobgateProvider} gives it. */
export interface HookOptions {
  client?: JobgateClient;
}

/** The client of the nearest {@link JobgateProvider}, or `given`. */
export function useJobgateClient(given?: JobgateClient): JobgateClient {
  const provided = useContext(JobgateContext);
  const client = given ?? provided;
  if (client === undefined) throw new TypeError('expected a `client` option or a <JobgateProvider client={…}>, got neither');
  return client;
}

/** The client's link state (`connecting`, `connected`, `reconnecting`, `closed`), live. */
export function useConnectionState(options: HookOptions = {}): ConnectionState {
  const client = useJobgateClient(options.client);
  return useSyncExternalStore(
    (listener) => client.onConnectionChange(listener),
    () => client.connectionState,
    () => 'closed',
  );
}

function toClientError(failure: unknown): JobgateClientError {
  return failure instanceof JobgateClientError ? failure : JobgateClientError.fromSubscription(failure);
}

/**
 * Iterates `open()`'s stream while the component is mounted and `key` stays the same, handing
 * each value to `onValue`; ends the stream on unmount or when `key` changes.
 */
function useStream<T>(
  open: (() => JobgateStream<T>) | undefined,
  key: readonly unknown[],
  onValue: (value: T) => void,
  onEnd: (error: JobgateClientError | undefined) => void,
): void {
  const handlers = useRef({ onValue, onEnd });
  handlers.current = { onValue, onEnd };
  useEffect(() => {
    if (open === undefined) return;
    const stream = open();
    let stopped = false;
    void (async () => {
      try {
        for await (const value of stream) {
          if (stopped) return;
          handlers.current.onValue(value);
        }
        if (!stopped) handlers.current.onEnd(undefined);
      } catch (failure) {
        if (!stopped) handlers.current.onEnd(toClientError(failure));
      }
    })();
    return () => {
      stopped = true;
      void stream.return();
    };
    // `open` is rebuilt on every render; `key` says when it means another stream.
  }, key);
}

/** Options of {@link useJob}. */
export interface UseJobOptions extends HookOptions {
  /** What to show before the first event (the job `enqueue` returned, say). */
  initial?: Job;
  /** Also receive the job's recent log lines (kept whole in `logs`). @default false */
  withLogs?: boolean;
  /** How many of the latest events `events` keeps. @default 100 */
  keepEvents?: number;
}

/** What {@link useJob} knows of a job. */
export interface UseJobResult {
  /** The job as of the last event (or `initial`); undefined before the first event. */
  job: Job | undefined;
  /** The latest events received, oldest first (at most `keepEvents`), across reconnects. */
  events: readonly JobEvent[];
  /** How many events were received in all. */
  eventCount: number;
  /** Type of the last event received. */
  lastEvent: JobEventType | undefined;
  /** Cursor of the last event: where the watch resumes. */
  cursor: string | undefined;
  /** The log lines (with `withLogs`): a SNAPSHOT's whole recent log, then one line per LOG event. */
  logs: readonly string[];
  /** Why the watch stopped early (the gateway refused it, or reconnecting gave up). */
  error: JobgateClientError | undefined;
  /** True while the watch is open and the client's link is connected. */
  connected: boolean;
  /** True while the watch is open (it ends after the job's final event). */
  watching: boolean;
  /** Watches again after the last cursor, for a job that runs again after `retry`. */
  restart: () => void;
}

/** The log as of `event`: a SNAPSHOT brings the whole recent log, a LOG event one more line. */
function logsAfter(logs: readonly string[], event: JobEvent): readonly string[] {
  if (event.type === 'SNAPSHOT') return event.job.logs ?? logs;
  return event.type === 'LOG' && event.log !== null ? [...logs, event.log] : logs;
}

interface WatchedJob {
  job: Job | undefined;
  events: readonly JobEvent[];
  eventCount: number;
  lastEvent: JobEventType | undefined;
  cursor: string | undefined;
  logs: readonly string[];
  error: JobgateClientError | undefined;
  watching: boolean;
}

/** Watches a job live (`watch`), resuming after the last cursor across reconnects and restarts. */
export function useJob(id: string | undefined, options: UseJobOptions = {}): UseJobResult {
  const client = useJobgateClient(options.client);
  const keep = options.keepEvents ?? 100;
  const withLogs = options.withLogs ?? false;
  const [state, setState] = useState<WatchedJob>(() => ({
    job: options.initial,
    events: [],
    eventCount: 0,
    lastEvent: undefined,
    cursor: undefined,
    logs: [],
    error: undefined,
    watching: id !== undefined,
  }));
  const [generation, setGeneration] = useState(0);
  // Read by the next watch only: not state, because a new cursor must not restart the effect.
  const cursor = useRef<string | undefined>(undefined);
  // The job the cursor belongs to: another id starts over from a SNAPSHOT.
  const watched = useRef(id);
  const connection = useConnectionState({ client });

  useStream(
    id === undefined
      ? undefined
      : () => {
          if (watched.current !== id) {
            watched.current = id;
            cursor.current = undefined;
            setState({
              job: undefined,
              events: [],
              eventCount: 0,
              lastEvent: undefined,
              cursor: undefined,
              logs: [],
              error: undefined,
              watching: true,
            });
          } else setState((previous) => ({ ...previous, watching: true, error: undefined }));
          return client.watch(id, { since: cursor.current, withLogs });
        },
    [client, id, withLogs, generation],
    (event) => {
      cursor.current = event.cursor;
      setState((previous) => ({
        job: event.job,
        events: [...previous.events, event].slice(-keep),
        eventCount: previous.eventCount + 1,
        lastEvent: event.type,
        cursor: event.cursor,
        logs: logsAfter(previous.logs, event),
        error: undefined,
        watching: true,
      }));
    },
    (error) => setState((previous) => ({ ...previous, watching: false, error })),
  );

  const restart = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, connected: state.watching && connection === 'connected', restart };
}

/** Live counts of one queue. */
export type QueueStats = QueueStatsSubscription['queueStats'];

/** Live counts of `queue` from the `queueStats` subscription: `stats` is undefined until the first update. */
export function useQueueStats(
  queue: string | undefined,
  options: HookOptions = {},
): { stats: QueueStats | undefined; error: JobgateClientError | undefined } {
  const client = useJobgateClient(options.client);
  const [stats, setStats] = useState<QueueStats>();
  const [error, setError] = useState<JobgateClientError>();
  useStream(
    queue === undefined ? undefined : () => client.subscribe(QueueStatsDocument, { queue }),
    [client, queue],
    ({ queueStats }) => {
      setStats(queueStats);
      setError(undefined);
    },
    (failure) => setError(failure),
  );
  return { stats, error };
}

/** Options of {@link useJobs}. */
export interface UseJobsOptions extends HookOptions, Omit<JobsOptions, 'states'> {
  queue: string;
  states?: readonly JobState[];
  /** Reads the page again every so many ms; 0 reads it once. @default 0 */
  refreshMs?: number;
}

/** A page of a queue's jobs (`jobs`); `refresh()` reads it again. */
export function useJobs(options: UseJobsOptions): {
  jobs: readonly JobListItem[];
  page: JobsPage<JobListItem> | undefined;
  loading: boolean;
  error: JobgateClientError | undefined;
  refresh: () => void;
} {
  const client = useJobgateClient(options.client);
  const { queue, first, after, refreshMs = 0 } = options;
  const statesKey = (options.states ?? []).join(',');
  const [page, setPage] = useState<JobsPage<JobListItem>>();
  const [error, setError] = useState<JobgateClientError>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    const states = statesKey === '' ? undefined : (statesKey.split(',') as JobState[]);
    client.jobs(queue, { states, first, after }).then(
      (next) => {
        if (!current) return;
        setPage(next);
        setError(undefined);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(toClientError(failure));
        setLoading(false);
      },
    );
    const timer = refreshMs > 0 ? setTimeout(() => setGeneration((value) => value + 1), refreshMs) : undefined;
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, queue, statesKey, first, after, refreshMs, generation]);

  const refresh = useCallback(() => setGeneration((value) => value + 1), []);
  return { jobs: page?.edges.map((edge) => edge.node) ?? [], page, loading, error, refresh };
}

/** What {@link useEnqueue} returns: `enqueue(data)` and the state of the last call. */
export interface UseEnqueueResult<T extends JobTypeName> {
  enqueue: (data: JobInputs[T], options?: JobOptionsInput) => Promise<TypedJob<T>>;
  /** The job the last call enqueued. */
  job: TypedJob<T> | undefined;
  /** True while a call runs. */
  pending: boolean;
  /** Why the last call failed (`error.field` names the input field at fault). */
  error: JobgateClientError | undefined;
}

/** Enqueues jobs of one type, typed by its input. The returned `enqueue` also rejects on failure. */
export function useEnqueue<T extends JobTypeName>(type: T, options: HookOptions = {}): UseEnqueueResult<T> {
  const client = useJobgateClient(options.client);
  const [job, setJob] = useState<TypedJob<T>>();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<JobgateClientError>();
  const enqueue = useCallback(
    async (data: JobInputs[T], jobOptions?: JobOptionsInput): Promise<TypedJob<T>> => {
      setPending(true);
      setError(undefined);
      try {
        const enqueued = await client.enqueue(type, data, jobOptions);
        setJob(enqueued);
        return enqueued;
      } catch (failure) {
        setError(toClientError(failure));
        throw failure;
      } finally {
        setPending(false);
      }
    },
    [client, type],
  );
  return { enqueue, job, pending, error };
}
