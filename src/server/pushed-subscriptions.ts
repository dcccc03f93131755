import {
  BREAK,
  createSourceEventStream,
  execute,
  getOperationAST,
  isAbstractType,
  Kind,
  separateOperations,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import type { WebSocket } from 'ws';
import type { WorkWaiter } from '../events/watcher';
import { isCallerDependent } from '../schema/caller-dependent';
import type { TurnWrites } from './turn-writes';

/** Bytes buffered for a socket above which a subscription waits for the socket to drain before its next event. */
const HIGH_WATER_BYTES = 64 * 1024;

/** First byte of a final, unfragmented text frame (RFC 6455 §5.2): graphql-ws speaks in text. */
const FINAL_TEXT_FRAME = 0x81;
const NEXT_MESSAGE_END = 0x7d; // "}"

/** What a payload's `next` frames share: the payload with the message's closing brace, and the frame headers made for it. */
interface NextFrameParts {
  tail: Buffer;
  /** WebSocket headers by message length: subscribers whose operation ids have the same length (UUIDs all do) share one. */
  headers: Map<number, Buffer>;
}

/** Per rendered payload (the renderer's own bytes, shared by every subscriber of an event's selection). */
const framings = new WeakMap<Buffer, NextFrameParts>();

/** The WebSocket header of a final, unmasked text frame of `length` bytes: the length in the second byte up to 125, else in 16 or 64 bits after it. */
function frameHeader(length: number): Buffer {
  if (length < 126) return Buffer.from([FINAL_TEXT_FRAME, length]);
  if (length < 0x10000) return Buffer.from([FINAL_TEXT_FRAME, 126, length >> 8, length & 0xff]);
  const header = Buffer.allocUnsafe(10);
  header[0] = FINAL_TEXT_FRAME;
  header[1] = 127;
  header.writeUInt32BE(Math.floor(length / 0x100000000), 2);
  header.writeUInt32BE(length % 0x100000000, 6);
  return header;
}

/** The start of operation `id`'s `next` messages, up to their payload. */
export function nextOpening(id: string): Buffer {
  return Buffer.from(`{"id":${JSON.stringify(id)},"type":"next","payload":`);
}

/**
 * The graphql-ws `next` message carrying `payload` whose start is `opening` (its operation's,
 * {@link nextOpening}), as one whole WebSocket frame in three parts (a server's frames are not
 * masked), written one after the other: the frame header, the opening, and the tail (the payload
 * and the closing brace). The tail is made once per payload and the header once per payload and
 * message length, both shared by every subscriber; the opening is made once per subscription.
 * Delivering an event to thousands of sockets copies nothing per socket: the payload is neither
 * encoded again nor copied, and all that is made per socket is the returned pair, which dies
 * within the turn (young garbage costs a scavenge nothing; survivors do).
 */
export function nextFrame(opening: Buffer, payload: Buffer): { header: Buffer; tail: Buffer } {
  let parts = framings.get(payload);
  if (!parts) {
    const tail = Buffer.allocUnsafe(payload.length + 1);
    payload.copy(tail);
    tail[payload.length] = NEXT_MESSAGE_END;
    framings.set(payload, (parts = { tail, headers: new Map() }));
  }
  const { tail, headers } = parts;
  const length = opening.length + tail.length;
  let header = headers.get(length);
  if (header === undefined) headers.set(length, (header = frameHeader(length)));
  return { header, tail };
}

/** Where one subscription's messages go: the socket, the graphql-ws operation id, and the coalescer of the socket's writes. */
export interface PushTarget {
  socket: WebSocket;
  id: string;
  writes: TurnWrites;
}

/**
 * A source that can say it has nothing to hand over now, and resume a waiter when it has: a
 * subscription then waits without a pending `next()` (an idle subscription keeps no
 * suspended function frames, only a reference to itself in its source). It hands over what it
 * has without a promise (`takeNow`), so a busy subscription delivers without one per event.
 */
export interface IdleAwareSource {
  readonly idle: boolean;
  /** Calls `waiter.resume()` once, when the source has something (an event, an end, an error). */
  onWork(waiter: WorkWaiter): void;
  /** The next value when it can be had at once; undefined when `next()` must be asked (a wait, an end, an error). */
  takeNow(): unknown;
}

function isIdleAware(source: object): source is IdleAwareSource {
  return 'idle' in source && 'onWork' in source && 'takeNow' in source;
}

/** What `nextFrom` gives when the source has nothing now and will resume the waiter. */
export const IDLE = Symbol('idle');

/**
 * What a subscription's delivery loop takes next from `source`: a value it has at once; IDLE
 * once `waiter` is left to be resumed when it has work; else its `next()`, to await (an end, an
 * error, or an event still being checked). Sources yield objects (events), never promises.
 */
export function nextFrom(source: AsyncIterator<unknown>, waiter: WorkWaiter): unknown {
  if (!isIdleAware(source)) return source.next();
  const value = source.takeNow();
  if (value !== undefined) return value;
  if (!source.idle) return source.next();
  source.onWork(waiter);
  return IDLE;
}

/** Turns an event's execution result into what the client may see (errors formatted, defects logged). */
export type FormatResult = (result: ExecutionResult) => FormattedExecutionResult;

/**
 * The contexts of an event's execution, made from the subscription's own context: fresh per
 * event, so per-request caches never go stale.
 */
export interface RenderContexts {
  /** For a render shared by every caller: it has no caller (reading it throws). */
  shared(subscriptionContext: unknown): unknown;
  /** For a render of one caller's selection that reaches a caller-dependent field: the subscriber's caller. */
  own(subscriptionContext: unknown): unknown;
  /** All a field can tell of the subscription's caller (owner id and roles): callers with the same key get the same answers. */
  callerKey(subscriptionContext: unknown): string;
}

/** What the renderer knows of one document: its number, the variables below its root fields, whether it reaches a caller-dependent field. */
interface Selection {
  id: number;
  variables: readonly string[];
  perCaller: boolean;
  /** Events rendered, until the operation is compiled. */
  renders: number;
  /** The operation compiled to a function once it has rendered COMPILE_AFTER events; null when graphql-jit cannot compile it. */
  compiled?: CompiledQuery | null;
}

/**
 * Renders of a selection before it is compiled: compiling costs more than a few renders, and a
 * selection that never gets busy (or a client sending a stream of distinct documents) is not
 * worth it.
 */
const COMPILE_AFTER = 10;

/**
 * Executes and serializes each event once per distinct selection, for every subscription
 * that receives it. Events are the objects the subscription sources yield (one JobEvent is
 * handed to every watcher of its job), so the cache is keyed by the event object itself and
 * goes away with it.
 *
 * Sharing a payload between callers must not show one caller another's view, so it does not
 * rest on a convention. A selection that reaches a field marked `@CallerDependent()` is keyed
 * and rendered per caller (with that caller's context); every other selection is rendered in a
 * context without a caller, so an unmarked field that reads the caller fails (an internal
 * error, logged) instead of answering with the first subscriber's view.
 */
export class SharedRenderer {
  /** Per event and selection key: the payload while it renders, then the payload itself (a waiter less per later subscriber). */
  private readonly rendered = new WeakMap<object, Map<string, Buffer | Promise<Buffer>>>();
  /** Per document, per operation name ('' for an anonymous or only operation). */
  private readonly selections = new WeakMap<DocumentNode, Map<string, Selection>>();
  private documents = 0;

  constructor(
    private readonly format: FormatResult,
    private readonly contexts: RenderContexts,
  ) {}

  /**
   * What decides an event's payload for this subscription: the document, the operation and
   * the variables used below the root field (the root field's own arguments, such as a job
   * id or a resume cursor, only choose which events arrive); and the caller, when the
   * selection reaches a caller-dependent field.
   */
  selectionKey(args: ExecutionArgs): string {
    const selection = this.selection(args);
    const values = args.variableValues ?? {};
    const used = selection.variables.map((name) => values[name]);
    const key = `${selection.id}|${args.operationName ?? ''}|${used.length > 0 ? JSON.stringify(used) : ''}`;
    return selection.perCaller ? `${key}|${this.contexts.callerKey(args.contextValue)}` : key;
  }

  /**
   * The event's payload as UTF-8 JSON, executed, serialized and encoded at most once per
   * selection key; the bytes themselves once they are rendered.
   */
  payload(event: unknown, key: string, args: ExecutionArgs): Buffer | Promise<Buffer> {
    if (typeof event !== 'object' || event === null) return this.render(event, args);
    let byKey = this.rendered.get(event);
    if (!byKey) this.rendered.set(event, (byKey = new Map()));
    const known = byKey.get(key);
    if (known !== undefined) return known;
    const rendering = this.render(event, args);
    byKey.set(key, rendering);
    if (Buffer.isBuffer(rendering)) return rendering;
    const rendered = byKey;
    rendering.then(
      (payload) => rendered.set(key, payload),
      () => undefined,
    );
    return rendering;
  }

  /**
   * Executes the selection for `event`: at once when no field waits (a running job's PROGRESS
   * event carries its job). A busy selection's operation is compiled once (graphql-jit) and run
   * as a function for every event: graphql-js' `execute` interprets the document anew each time.
   */
  private render(event: unknown, args: ExecutionArgs): Buffer | Promise<Buffer> {
    try {
      const selection = this.selection(args);
      const contextValue = selection.perCaller ? this.contexts.own(args.contextValue) : this.contexts.shared(args.contextValue);
      const compiled = this.compiled(selection, args);
      const result = compiled
        ? compiled.query(event, contextValue, args.variableValues)
        : execute({ ...args, rootValue: event, contextValue });
      return result instanceof Promise ? result.then((done) => this.encode(done)) : this.encode(result);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  private encode(result: ExecutionResult): Buffer {
    return Buffer.from(JSON.stringify(this.format(result)));
  }

  private compiled(selection: Selection, { schema, document, operationName }: ExecutionArgs): CompiledQuery | null {
    if (selection.compiled === undefined && ++selection.renders > COMPILE_AFTER) {
      const compiled = compileQuery(schema, document, operationName ?? undefined);
      selection.compiled = isCompiledQuery(compiled) ? compiled : null;
    }
    return selection.compiled ?? null;
  }

  private selection({ document, operationName, schema }: ExecutionArgs): Selection {
    let byOperation = this.selections.get(document);
    if (!byOperation) this.selections.set(document, (byOperation = new Map()));
    let selection = byOperation.get(operationName ?? '');
    if (!selection) {
      selection = {
        id: ++this.documents,
        variables: variablesBelowRoot(document, operationName ?? undefined),
        perCaller: reachesCallerDependent(schema, document),
        renders: 0,
      };
      byOperation.set(operationName ?? '', selection);
    }
    return selection;
  }
}

/**
 * Whether any field the document selects (in any operation or fragment) is marked caller-
 * dependent; for a field of an interface or union, whether it is on any possible type.
 */
function reachesCallerDependent(schema: GraphQLSchema, document: DocumentNode): boolean {
  const typeInfo = new TypeInfo(schema);
  let reaches = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field: (node) => {
        const field = typeInfo.getFieldDef();
        const parent = typeInfo.getParentType();
        const possible =
          parent && isAbstractType(parent) ? schema.getPossibleTypes(parent).map((type) => type.getFields()[node.name.value]) : [];
        if ((field && isCallerDependent(field)) || possible.some((candidate) => candidate && isCallerDependent(candidate))) {
          reaches = true;
          return BREAK;
        }
        return undefined;
      },
    }),
  );
  return reaches;
}

/**
 * Variables the operation uses anywhere but in its root fields' arguments: in its own selection
 * and the fragments it spreads, not in the document's other operations.
 */
function variablesBelowRoot(document: DocumentNode, operationName: string | undefined): string[] {
  const operation = getOperationAST(document, operationName);
  if (!operation) return [];
  const used = separateOperations(document)[operation.name?.value ?? ''];
  const rootArguments = new Set(
    operation.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? (selection.arguments ?? []) : [])),
  );
  const names = new Set<string>();
  visit(used, {
    Argument: (node) => (rootArguments.has(node) ? false : undefined),
    Variable: (node) => {
      names.add(node.name.value);
    },
    VariableDefinition: () => false,
  });
  return [...names].sort();
}

/**
 * A subscription whose events are written straight to its socket as graphql-ws `next`
 * messages, their payloads shared through the renderer. graphql-ws still owns the protocol:
 * it sees an iteration that yields nothing and ends when the source ends (then sends
 * `complete`), throws when the source fails (then sends `error`), and calls `return` when
 * the client completes or the socket closes.
 */
export class PushedSubscription implements AsyncGenerator<ExecutionResult, undefined>, WorkWaiter {
  private readonly key: string;
  private closed = false;
  private pumping = false;
  /** The start of this subscription's `next` messages (`nextFrame`), made at its first. */
  private opening: Buffer | undefined = undefined;
  private ended: (() => void) | undefined;
  private finished: Promise<IteratorResult<ExecutionResult, undefined>> | undefined;
  /**
   * The promise's own resolve function, kept as it is: a settling closure around it would cost
   * every idle subscription a closure and a context. No reject function: a failure resolves it
   * with a rejected promise, which rejects it alike, and an idle subscription keeps one closure less.
   */
  private resolveFinished: ((result: IteratorResult<ExecutionResult, undefined> | Promise<never>) => void) | undefined;

  constructor(
    private readonly source: AsyncIterator<unknown>,
    private readonly args: ExecutionArgs,
    private readonly target: PushTarget,
    private readonly renderer: SharedRenderer,
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
      this.finished = new Promise((resolve) => {
        this.resolveFinished = resolve;
      });
      this.resume();
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

  /** Called by an idle source when it has work again: delivery goes on. */
  resume(): void {
    if (this.pumping) return;
    this.pumping = true;
    let rest: typeof IDLE | Promise<Buffer> | undefined;
    try {
      rest = this.sendAtHand();
    } catch (error) {
      this.finish(error);
      rest = IDLE;
    }
    if (rest === IDLE) this.pumping = false;
    else void this.pump(rest);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.return();
  }

  /**
   * Sends what the source has at hand, rendered, while the socket takes it: a busy subscription
   * delivers synchronously, without a promise per event. IDLE once the source is idle (it resumes
   * this subscription when it has work); otherwise `pump` goes on: from the start (an event still
   * being checked, the source's end or error, a socket closed or backed up), or with the payload
   * still being rendered that it returns.
   */
  private sendAtHand(): typeof IDLE | Promise<Buffer> | undefined {
    const { source } = this;
    if (!isIdleAware(source)) return undefined;
    const { socket } = this.target;
    while (!this.closed && socket.readyState === socket.OPEN && socket.bufferedAmount < HIGH_WATER_BYTES) {
      const value = source.takeNow();
      if (value === undefined) {
        if (!source.idle) return undefined;
        source.onWork(this);
        return IDLE;
      }
      const rendered = this.renderer.payload(value, this.key, this.args);
      if (!Buffer.isBuffer(rendered)) return rendered;
      this.send(rendered);
    }
    return undefined;
  }

  /**
   * Delivers what the source has, waiting where `sendAtHand` cannot; `first` is a payload it left
   * rendering. When the source is idle it returns, leaving itself as the source's waiter
   * (`resume` starts it again), rather than waiting inside the source's `next()`. Runs with
   * `pumping` set, and clears it.
   */
  private async pump(first: Promise<Buffer> | undefined): Promise<void> {
    const { socket } = this.target;
    let rendered: Buffer | Promise<Buffer> | undefined = first;
    try {
      while (!this.closed) {
        if (rendered === undefined) {
          let value = nextFrom(this.source, this);
          if (value === IDLE) return;
          if (value instanceof Promise) {
            const step = (await value) as IteratorResult<unknown>;
            if (step.done) break;
            value = step.value;
          }
          rendered = this.renderer.payload(value, this.key, this.args);
        }
        const payload = Buffer.isBuffer(rendered) ? rendered : await rendered;
        rendered = undefined;
        if (this.closed || socket.readyState !== socket.OPEN) break;
        if (socket.bufferedAmount < HIGH_WATER_BYTES) this.send(payload);
        else await new Promise<void>((resolve) => this.send(payload, resolve));
      }
      this.finish();
    } catch (error) {
      this.finish(error);
    } finally {
      this.pumping = false;
    }
  }

  /** Writes `payload` as this subscription's next frame; `written` once the socket has taken it. */
  private send(payload: Buffer, written?: () => void): void {
    this.opening ??= nextOpening(this.target.id);
    const { header, tail } = nextFrame(this.opening, payload);
    const transport = this.target.writes.held(this.target.socket);
    transport.write(header);
    transport.write(this.opening);
    transport.write(tail, written);
  }

  private finish(error?: unknown): void {
    this.end();
    const resolve = this.resolveFinished;
    this.resolveFinished = undefined;
    if (error === undefined) resolve?.({ done: true, value: undefined });
    else if (resolve) resolve(Promise.reject(error));
  }

  private end(): void {
    const ended = this.ended;
    this.ended = undefined;
    ended?.();
  }
}

/**
 * Starts a subscription the pushed way: the root field's `subscribe` runs as usual (its errors
 * come back as an ExecutionResult), then events go to the socket through the renderer.
 */
export async function pushSubscription(
  args: ExecutionArgs,
  target: PushTarget,
  renderer: SharedRenderer,
): Promise<PushedSubscription | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  return new PushedSubscription(source[Symbol.asyncIterator](), args, target, renderer);
}
