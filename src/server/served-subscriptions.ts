import { validateMessage, type Context } from 'graphql-ws';
import { GraphQLError } from 'graphql';
import type { WebSocket } from 'ws';
import { isRecord } from '../lib/is-record';
import { CloseCode } from './close-codes';

/** A subscription that delivers its events itself once started, and can be told when it has ended. */
export interface ServedSubscription {
  /** Its graphql-ws operation id. */
  readonly id: string;
  /** Starts delivery; `owner.ended(this, error)` once its source ends or fails, or it is returned. */
  serve(owner: SubscriptionOwner): void;
  /** Ends it, as a client's `complete` or the socket's close does. */
  return(): Promise<unknown>;
}

/** Told when a served subscription has ended, with its source's error if it failed. */
export interface SubscriptionOwner {
  ended(subscription: ServedSubscription, error?: unknown): void;
}

/** What a socket's `error` message carries for errors raised while a subscription ran. */
export type ErrorPayload = (errors: readonly GraphQLError[]) => unknown;

/** What graphql-ws is handed back for a subscription it no longer runs: it iterates it not and returns it not. */
const HANDED_OVER: AsyncIterable<never> = Object.freeze({
  [Symbol.asyncIterator]: (): AsyncIterator<never> => ({ next: async () => ({ done: true, value: undefined }) }),
});

/**
 * The subscriptions of one socket that the gateway serves itself once graphql-ws has started
 * them. graphql-ws runs each subscription in a `for await` of its message handler, suspended for
 * the subscription's life with the message, three closures and their promises (~1 KiB per idle
 * subscription); a pushed subscription yields nothing to that loop. So once one has started, it
 * is taken from graphql-ws' table (`adopt`) and the rest of the protocol is done here as
 * graphql-ws would: a client's `complete` ends it, a `subscribe` reusing its id closes the socket
 * with 4409, its end sends `complete` and its failure an `error` message, and the socket's close
 * ends it. Most sockets hold one subscription: it takes no map.
 */
export class ServedSubscriptions implements SubscriptionOwner {
  private first: ServedSubscription | undefined = undefined;
  private rest: Map<string, ServedSubscription> | undefined = undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly errorPayload: ErrorPayload,
  ) {}

  /** Subscriptions served now. */
  get size(): number {
    return (this.first ? 1 : 0) + (this.rest?.size ?? 0);
  }

  /**
   * Takes `subscription`, which graphql-ws has just started as operation `id` of `context`, from
   * graphql-ws and starts it; returns what graphql-ws' `onOperation` is to hand back. One the
   * client completed while it started is left to graphql-ws, which returns it.
   */
  adopt<S extends ServedSubscription>(context: Pick<Context, 'subscriptions'>, subscription: S): AsyncIterable<never> | S {
    const { id } = subscription;
    if (!(id in context.subscriptions)) return subscription;
    delete context.subscriptions[id];
    if (!this.first) this.first = subscription;
    else (this.rest ??= new Map()).set(id, subscription);
    subscription.serve(this);
    return HANDED_OVER;
  }

  /**
   * Handles `message` when it names a served subscription (a `complete`, or a `subscribe` with its
   * id); returns undefined for every other message, which is graphql-ws'.
   */
  intercept(message: unknown): Promise<unknown> | undefined {
    if (!isRecord(message) || typeof message.id !== 'string') return undefined;
    const subscription = this.get(message.id);
    if (!subscription) return undefined;
    if (message.type === 'complete') {
      this.remove(subscription);
      return subscription.return();
    }
    if (message.type !== 'subscribe' || !isValid(message)) return undefined;
    this.socket.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${message.id} already exists`);
    return Promise.resolve();
  }

  /** Ends every served subscription: the socket has closed. */
  closeAll(): Promise<unknown> {
    const all = [...(this.first ? [this.first] : []), ...(this.rest?.values() ?? [])];
    this.first = undefined;
    this.rest = undefined;
    return Promise.all(all.map((subscription) => subscription.return()));
  }

  /** A served subscription has ended: the client is told unless the end was its own (or the socket's). */
  ended(subscription: ServedSubscription, error?: unknown): void {
    if (!this.remove(subscription)) return;
    const { id } = subscription;
    if (error === undefined) this.send({ id, type: 'complete' });
    else {
      // What graphql-ws sends when a subscription's iteration throws.
      const original = error instanceof Error ? error : new Error(String(error));
      this.send({ id, type: 'error', payload: this.errorPayload([new GraphQLError(original.message, { originalError: original })]) });
    }
  }

  private get(id: string): ServedSubscription | undefined {
    return this.first?.id === id ? this.first : this.rest?.get(id);
  }

  /** Whether `subscription` was served (and is no longer). */
  private remove(subscription: ServedSubscription): boolean {
    if (this.first === subscription) {
      this.first = undefined;
      return true;
    }
    return this.rest?.get(subscription.id) === subscription && this.rest.delete(subscription.id);
  }

  private send(message: object): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(message));
  }
}

/** Whether graphql-ws would take `message` as a valid message (it closes the socket with 4400 otherwise). */
function isValid(message: unknown): boolean {
  try {
    validateMessage(message);
    return true;
  } catch {
    return false;
  }
}
