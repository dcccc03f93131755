import { createHash } from 'node:crypto';
import { MAX_TOKEN_LENGTH } from '../config';

const BEARER = new RegExp(`^Bearer\\s+(\\S{1,${MAX_TOKEN_LENGTH}})$`, 'i');

/** The token of an `Authorization: Bearer <token>` header; undefined when the header is absent or not of that form. */
export function bearerToken(authorization: string | undefined): string | undefined {
  return authorization === undefined ? undefined : BEARER.exec(authorization.trim())?.[1];
}

/** A SHA-256 digest: digests compare in constant time (`timingSafeEqual`) whatever the lengths of what they digest. */
export const sha256 = (value: string): Buffer => createHash('sha256').update(value).digest();
