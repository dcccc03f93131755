import { createSourceEventStream, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { WorkWaiter } from '../events/watcher';
import { JobEvent } from '../events/job-event';
import { IDLE, nextFrom } from './pushed-subscriptions';
import type { FormatResult, SharedRenderer } from './shared-renderer';
import type { EventStream } from './sse-stream';

/** A cursor that can go in an SSE `id:` field as it is (no line break, no NUL; a flow cursor is at most 4 KiB). */
const SAFE_ID = /^[\x20-\x7e]{1,4096}$/;

/** Where one subscription's events go: its stream, and its operation id there (single connection mode only). */
export interface SseTarget {
  stream: EventStream;
  operationId: string | undefined;
}

/**
 * One graphql-sse `next` message, as one buffer around the shared payload bytes. The event's
 * cursor (JobEvents only: jobEvents, queueEvents, flowEvents) goes in the `id:` field, which a
 * reconnecting EventSource (or any client) sends back as `Last-Event-ID`. JSON holds no raw line
 * break, so the payload fits the one `data:` line.
 */
function buildMessage(operationId: string | undefined, event: unknown, payload: Buffer): Buffer {
  const cursor = event instanceof JobEvent && SAFE_ID.test(event.cursor) ? event.cursor : undefined;
  const id = cursor === undefined ? '' : `id: ${cursor}\n`;
  const head =
    operationId === undefined ? `event: next\n${id}data: ` : `event: next\n${id}data: {"id":${JSON.stringify(operationId)},"payload":`;
  const tail = operationId === undefined ? '\n\n' : '}\n\n';
  const headBytes = Buffer.byteLength(head);
  const message = Buffer.allocUnsafe(headBytes + payload.length + tail.length);
  message.write(head, 0);
  payload.copy(message, headBytes);
  message.write(tail, headBytes + payload.length, 'latin1');
  return message;
}

/** A message of the distinct connections mode, and the event it was built for. */
interface SharedMessage {
  event: unknown;
  message: Buffer;
}

/**
 * Messages of the distinct connections mode per shared payload. Such a message carries no
 * operation id, so every subscriber that gets the same payload bytes for the same event gets
 * the same message, built once; the event is checked, not assumed, since a payload's bytes say
 * nothing of its event's cursor.
 */
const sharedMessages = new WeakMap<Buffer, SharedMessage>();

/** The `next` message of `event` for `target`, shared between subscribers where it can be. */
function nextMessage(target: SseTarget, event: unknown, payload: Buffer): Buffer {
  const { operationId } = target;
  if (operationId !== undefined) return buildMessage(operationId, event, payload);
  const known = sharedMessages.get(payload);
  if (known !== undefined && known.event === event) return known.message;
  const message = buildMessage(undefined, event, payload);
  sharedMessages.set(payload, { event, message });
  return message;
}

/**
 * A subscription whose events are written straight to its event stream as graphql-sse `next`
 * messages, their payloads shared through the renderer (the SSE counterpart of
 * PushedSubscription). graphql-sse still owns the protocol: it sees an iteration that yields
 * nothing and ends when the source ends (then sends `complete`), and calls `return` when the
 * client completes the operation or the stream closes.
 *
 * graphql-sse has no `error` message, and an iteration that throws would end the whole stream
 * (every operation of a single connection): an error of the source (NOT_FOUND for a job Redis
 * lost, UNAVAILABLE, a client too slow) is sent as a `next` carrying `errors`, formatted as on
 * every transport, and the subscription then completes.
 *
 * It counts on its stream's `subscriptions` from its start (`streamSubscription`) until it ends.
 */
export class SseSubscription implements AsyncGenerator<ExecutionResult, undefined>, WorkWaiter {
  private readonly key: string;
  private closed = false;
  private pumping = false;
  /** Whether the subscription still counts on its stream (counted when it was started). */
  private counted = true;
  private ended: (() => void) | undefined;
  private finished: Promise<IteratorResult<ExecutionResult, undefined>> | undefined;
  private resolveFinished: ((result: IteratorResult<ExecutionResult, undefined>) => void) | undefined;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly target: SseTarget,
    private readonly renderer: SharedRenderer,
    private readonly format: FormatResult,
  ) {
    this.key = renderer.selectionKey(args);
  }

  /** Calls `callback` once when the subscription ends, however it ends. */
  whenEnded(callback: () => void): void {
    this.ended = callback;
  }

  /** Sends every event of the source until it ends or the subscription is closed; yields nothing. */
  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (!this.finished) {
      this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
      void this.pump();
    }
    return this.finished;
  }

  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    this.closed = true;
    this.finish();
    await this.source.return?.();
    return { done: true, value: undefined };
  }

  async throw(error: unknown): Promise<IteratorResult<ExecutionResult, undefined>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /** Called by an idle source when it has work again, or by the stream once it can take more: delivery goes on. */
  resume(): void {
    void this.pump();
  }

  /**
   * Delivers what the source has while the stream can take it. When the stream is not
   * connected yet or is backed up, or the source is idle, it returns, leaving itself as the
   * waiter of whichever it waits for (`resume` starts it again): a slow client's events queue
   * in its watcher, which coalesces them, not here.
   */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const { stream } = this.target;
    let exhausted = false;
    try {
      while (!this.closed && !stream.closed) {
        if (!stream.ready) {
          stream.whenReady(this);
          return;
        }
        let value = nextFrom(this.source, this);
        if (value === IDLE) return;
        if (value instanceof Promise) {
          const step = (await value) as IteratorResult<unknown>;
          if (step.done) {
            exhausted = true;
            break;
          }
          value = step.value;
        }
        const rendered = this.renderer.payload(value, this.key, this.args);
        const payload = Buffer.isBuffer(rendered) ? rendered : await rendered;
        if (this.closed) break;
        stream.write(nextMessage(this.target, value, payload));
      }
    } catch (error) {
      exhausted = true;
      if (!this.closed) {
        const failure =
          error instanceof GraphQLError
            ? error
            : new GraphQLError(error instanceof Error ? error.message : String(error), {
                originalError: error instanceof Error ? error : undefined,
              });
        stream.write(nextMessage(this.target, undefined, Buffer.from(JSON.stringify(this.format({ errors: [failure] })))));
      }
    } finally {
      this.pumping = false;
    }
    // Ended by the stream rather than the source: the source is let go here, since graphql-sse
    // forgets a completed operation of a single connection without calling `return`.
    if (!exhausted) this.source.return?.().catch(() => undefined);
    this.finish();
  }

  private finish(): void {
    if (this.counted) {
      this.counted = false;
      this.target.stream.subscriptions -= 1;
    }
    const ended = this.ended;
    this.ended = undefined;
    ended?.();
    const resolve = this.resolveFinished;
    this.resolveFinished = undefined;
    resolve?.({ done: true, value: undefined });
  }
}

/**
 * Starts a subscription the SSE way: the root field's `subscribe` runs as usual (its errors come
 * back as an ExecutionResult), then events go to the stream through the renderer. The
 * subscription counts on its stream from this call (synchronously, so that concurrent starts see
 * each other against the limit) until it ends.
 */
export async function streamSubscription(
  args: ExecutionArgs,
  target: SseTarget,
  renderer: SharedRenderer,
  format: FormatResult,
): Promise<SseSubscription | ExecutionResult> {
  target.stream.subscriptions += 1;
  let source: Awaited<ReturnType<typeof createSourceEventStream>>;
  try {
    source = await createSourceEventStream(args);
  } catch (error) {
    target.stream.subscriptions -= 1;
    throw error;
  }
  if (!(Symbol.asyncIterator in source)) {
    target.stream.subscriptions -= 1;
    return source;
  }
  return new SseSubscription(source[Symbol.asyncIterator](), args, target, renderer, format);
}
