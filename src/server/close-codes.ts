import { CloseCode as GraphqlWsCloseCode } from 'graphql-ws';

/**
 * Every code the gateway closes a WebSocket with, and what it means. The one place they are
 * written: the WebSocket layer, the SocketKeeper and tests use these names, never the numbers.
 * Codes from 4400 on are graphql-ws' (`graphql-transport-ws`), taken from its catalogue so they
 * cannot drift; 1001 and 1011 are RFC 6455's.
 */
export const CloseCode = {
  /** RFC 6455 "going away": the gateway is shutting down; clients reconnect (to another gateway). */
  GoingAway: 1001,
  /** RFC 6455 "internal error": authentication failed for a reason other than the credentials (a defect, Redis down…). */
  InternalError: 1011,
  /** graphql-ws: a message could not be handled, or the socket failed; the defect is logged. */
  InternalServerError: GraphqlWsCloseCode.InternalServerError,
  /** graphql-ws: missing, invalid or expired credentials (at `connection_init`, or when they expire later). */
  Unauthorized: GraphqlWsCloseCode.Unauthorized,
  /** graphql-ws: no accepted `connection_init` within the init timeout. */
  ConnectionInitialisationTimeout: GraphqlWsCloseCode.ConnectionInitialisationTimeout,
  /** Too many sockets open for the caller's owner (MAX_SOCKETS_PER_OWNER); graphql-ws' "too many initialisation requests" number. */
  TooManySockets: GraphqlWsCloseCode.TooManyInitialisationRequests,

  /**
   * graphql-ws: a `subscribe` with the id of an operation still running on the socket. graphql-ws
   * sends it while the operation starts, the gateway once it serves it (ServedSubscriptions), with
   * graphql-ws' reason `Subscriber for <id> already exists`.
   */
  SubscriberAlreadyExists: GraphqlWsCloseCode.SubscriberAlreadyExists,

  // Sent by graphql-ws itself (the gateway never writes them; listed so this is every code a client can get):
  /** graphql-ws: a message that is not valid `graphql-transport-ws` (or `connection_init` twice: TooManySockets' 4429). */
  BadRequest: GraphqlWsCloseCode.BadRequest,
  /** graphql-ws: the client asked for no protocol graphql-ws speaks. */
  SubprotocolNotAcceptable: GraphqlWsCloseCode.SubprotocolNotAcceptable,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** The reason sent with each code (at most 123 bytes, as RFC 6455 allows). */
export const CloseReason = {
  GoingAway: 'Server shutting down',
  InternalError: 'Internal error',
  InternalServerError: 'Internal server error',
  Unauthorized: 'Unauthorized',
  TokenExpired: 'Token expired',
  ConnectionInitialisationTimeout: 'Connection initialisation timeout',
  TooManySockets: 'Too many sockets for this owner',
} as const;
