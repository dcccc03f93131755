import { ErrorCode, JobgateError } from '../errors';

/** The limits every long-lived transport enforces (read when used). */
export interface ConnectionLimits {
  /** Connections one owner may hold at once per gateway process, WebSockets and SSE event streams together. */
  readonly maxSocketsPerOwner: number;
  /** Subscriptions at once on one connection. */
  readonly maxSubscriptionsPerSocket: number;
}

/**
 * How many connections each owner holds, refused beyond `maxSocketsPerOwner`. The gateway
 * makes one and hands it to the WebSocket admission and the SSE one, so an owner's sockets and
 * event streams come out of one budget: an owner cannot hold the limit on each transport.
 */
export class OwnerConnections {
  private readonly open = new Map<string, number>();

  constructor(private readonly limits: Pick<ConnectionLimits, 'maxSocketsPerOwner'>) {}

  /** Counts one more connection of `owner` until `release`; false (nothing counted) when it holds the limit already. */
  take(owner: string): boolean {
    const open = this.open.get(owner) ?? 0;
    if (open >= this.limits.maxSocketsPerOwner) return false;
    this.open.set(owner, open + 1);
    return true;
  }

  /** One connection of `owner` counted by `take` has ended. */
  release(owner: string): void {
    const remaining = (this.open.get(owner) ?? 1) - 1;
    if (remaining > 0) this.open.set(owner, remaining);
    else this.open.delete(owner);
  }
}

/**
 * The refusal of a new subscription on a connection that has `open` of them (the new one
 * included), else undefined. `per` names the connection in the message ("socket", "event stream").
 */
export function subscriptionRefusal(
  limits: Pick<ConnectionLimits, 'maxSubscriptionsPerSocket'>,
  open: number,
  per: string,
): JobgateError | undefined {
  const { maxSubscriptionsPerSocket } = limits;
  return open > maxSubscriptionsPerSocket
    ? new JobgateError(ErrorCode.RATE_LIMITED, `At most ${maxSubscriptionsPerSocket} subscriptions per ${per}`)
    : undefined;
}
