/** HS256 tokens the bench presents to the gateway, as DESIGN.md's "Auth" describes them. */
import { createHmac } from 'node:crypto';

const base64url = (value: string): string => Buffer.from(value).toString('base64url');

/** A token for owner `sub` with `roles`, valid for `ttlSeconds`, signed with the UTF-8 bytes of `secret`. */
export function signToken(secret: string, sub: string, roles: readonly string[], ttlSeconds: number): string {
  const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = base64url(JSON.stringify({ sub, roles, exp: Math.floor(Date.now() / 1000) + ttlSeconds }));
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${header}.${claims}`).digest('base64url');
  return `${header}.${claims}.${signature}`;
}

/** The token of watcher `index`: its own owner, with the role that may watch every job. */
export function watcherToken(secret: string, index: number): string {
  return signToken(secret, `bench-watcher-${index}`, ['viewer'], 3600);
}
