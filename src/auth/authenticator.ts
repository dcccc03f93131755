import { timingSafeEqual, webcrypto } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyOptions } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config';
import { ErrorCode, JobgateError } from '../errors';
import { bearerToken, sha256 } from './bearer';
import { DEV_CALLER, OwnerId, Role, type Caller } from './caller';

/** A caller and until when its credentials hold (JWT `exp`, in ms); API keys do not expire. */
export interface Principal extends Caller {
  expiresAt?: number;
}

const KNOWN_ROLES = new Set<string>(Object.values(Role));
/** Verified JWTs remembered at most, and for at most this long (a key removed from the JWKS stops working within it). */
const VERIFIED_TOKENS = 10_000;
const VERIFIED_TTL_MS = 5 * 60_000;

/**
 * One array per distinct list of roles (as tokens list them), shared by every principal with it:
 * an open socket keeps its caller as long as it lives, and `filter` leaves each list in a
 * 17-slot array. Lists longer than the known roles are not shared, so the lists kept stay few.
 */
const roleLists = new Map<string, readonly Role[]>();

function sharedRoles(roles: readonly Role[]): readonly Role[] {
  if (roles.length > KNOWN_ROLES.size) return roles;
  const key = roles.join(' ');
  let shared = roleLists.get(key);
  if (!shared) roleLists.set(key, (shared = Object.freeze([...roles])));
  return shared;
}

const unauthenticated = (message: string): JobgateError => new JobgateError(ErrorCode.UNAUTHENTICATED, message);

/**
 * Turns the credentials of a request (HTTP `Authorization` header, or the `authorization` of
 * the WebSocket `connection_init` payload) into a caller. One code path for both transports.
 * Accepts `Bearer <API key>` (compared in constant time) and `Bearer <JWT>`: HS256 with
 * `JWT_SECRET`, or RS256/ES256 from `JWKS_URL`. Claims: `sub` (owner), `roles`, `exp`.
 * A verified JWT is remembered (bounded, a few minutes, never past its `exp`): a client sends
 * the same token with every request, and its signature check costs more than the request.
 */
export class Authenticator {
  private readonly keys: { digest: Buffer; caller: Caller }[];
  private readonly jwks?: ReturnType<typeof createRemoteJWKSet>;
  /** The HS256 secret, imported once: a raw secret would be imported again on every verification. */
  private readonly secret?: Promise<webcrypto.CryptoKey>;
  private readonly verified = new LRUCache<string, Principal>({ max: VERIFIED_TOKENS, ttl: VERIFIED_TTL_MS });
  /**
   * The credentials a keep-alive connection last proved, and until when they hold: a client
   * sends the same header with every request, and hashing it for the cache cost ~5% of an
   * enqueue. Compared in constant time (a proxy may pass several clients over one connection).
   */
  private readonly provenOnConnection = new WeakMap<object, { credentials: Buffer; principal: Principal; until: number }>();

  /** The claims every JWT is checked for, beyond its signature. */
  private readonly claims: Pick<JWTVerifyOptions, 'audience' | 'issuer' | 'requiredClaims'>;

  constructor(private readonly config: Config) {
    this.claims = { audience: config.jwtAudience, issuer: config.jwtIssuer, requiredClaims: config.jwtRequireExp ? ['exp'] : [] };
    this.keys = config.apiKeys.map(({ key, owner, roles }) => ({
      digest: sha256(key),
      caller: { id: OwnerId.apiKey(owner), roles: roles as Role[] },
    }));
    if (config.jwtSecret)
      this.secret = webcrypto.subtle.importKey(
        'raw',
        new TextEncoder().encode(config.jwtSecret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['verify'],
      );
    if (config.jwksUrl) this.jwks = createRemoteJWKSet(new URL(config.jwksUrl));
  }

  /** `connection`: the request's socket, whose last proven credentials are then reused while they hold. */
  async authenticate(authorization: string | undefined, connection?: object): Promise<Principal> {
    if (this.config.devMode) return DEV_CALLER;
    if (!authorization) throw unauthenticated('Missing credentials: send Authorization: Bearer <token>');
    if (!connection) return this.prove(authorization);
    const credentials = Buffer.from(authorization);
    const proven = this.provenOnConnection.get(connection);
    if (
      proven &&
      proven.until > Date.now() &&
      proven.credentials.length === credentials.length &&
      timingSafeEqual(proven.credentials, credentials)
    )
      return proven.principal;
    const principal = await this.prove(authorization);
    this.provenOnConnection.set(connection, {
      credentials,
      principal,
      until: Math.min(Date.now() + VERIFIED_TTL_MS, principal.expiresAt ?? Infinity),
    });
    return principal;
  }

  private async prove(authorization: string): Promise<Principal> {
    const token = bearerToken(authorization);
    if (!token) throw unauthenticated('Malformed Authorization header: expected Bearer <token>');
    const digest = sha256(token);
    const key = this.keys.find((candidate) => timingSafeEqual(candidate.digest, digest));
    if (key) return key.caller;
    // Keyed by the token's digest: the cache then holds 44 characters per token, not the token.
    const cacheKey = digest.toString('base64');
    const known = this.verified.get(cacheKey);
    if (known && (known.expiresAt === undefined || known.expiresAt > Date.now())) return known;
    const principal = await this.verifyJwt(token);
    this.verified.set(cacheKey, principal, { ttl: Math.min(VERIFIED_TTL_MS, (principal.expiresAt ?? Infinity) - Date.now()) });
    return principal;
  }

  private async verifyJwt(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      if (this.secret && /^eyJ[^.]*\.[^.]*\.[^.]*$/.test(token) && this.algorithmOf(token) === 'HS256') {
        ({ payload } = await jwtVerify(token, await this.secret, { ...this.claims, algorithms: ['HS256'] }));
      } else if (this.jwks) {
        ({ payload } = await jwtVerify(token, this.jwks, { ...this.claims, algorithms: ['RS256', 'ES256'] }));
      } else {
        throw unauthenticated('Invalid credentials');
      }
    } catch (error) {
      if (error instanceof JobgateError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw unauthenticated('Token expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed)
        throw unauthenticated(
          `Token refused: claim "${error.claim}" ${error.reason === 'missing' ? 'is missing' : 'does not match this gateway'}`,
        );
      throw unauthenticated('Invalid credentials');
    }
    if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw unauthenticated('Token has no subject (sub)');
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((role): role is Role => typeof role === 'string' && KNOWN_ROLES.has(role))
      : [];
    return { id: OwnerId.jwt(payload.sub), roles: sharedRoles(roles), ...(payload.exp !== undefined && { expiresAt: payload.exp * 1000 }) };
  }

  private algorithmOf(token: string): string | undefined {
    try {
      return (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()) as { alg?: string }).alg;
    } catch {
      return undefined;
    }
  }
}
