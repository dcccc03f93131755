import { SignJWT } from 'jose';

/** The HS256 secret test stacks are started with (JWT_SECRET). */
export const TEST_JWT_SECRET = 'test-secret-of-at-least-thirty-two-bytes!';

/** A signed HS256 token for `sub` with `roles`, expiring in `expiresInSeconds`. */
export function token(sub: string, roles: string[], expiresInSeconds = 3600): Promise<string> {
  return new SignJWT({ roles })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(TEST_JWT_SECRET));
}

/** `Authorization` header value for `token`. */
export const bearer = (value: string): Record<string, string> => ({ authorization: `Bearer ${value}` });
