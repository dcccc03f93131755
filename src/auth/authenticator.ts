import type { Config } from '../config';
import { ErrorCode, JobgateError } from '../errors';
import { DEV_CALLER, type Caller } from './caller';

/**
 * Turns the credentials of a request (HTTP `Authorization` header or the WebSocket
 * `connection_init` payload's `authorization`) into a caller. One code path for both
 * transports.
 */
export class Authenticator {
  constructor(private readonly config: Config) {}

  async authenticate(authorization: string | undefined): Promise<Caller> {
    if (this.config.devMode) return DEV_CALLER;
    if (!authorization) throw new JobgateError(ErrorCode.UNAUTHENTICATED, 'Missing Authorization: Bearer <token>');
    throw new JobgateError(ErrorCode.UNAUTHENTICATED, 'Invalid credentials');
  }
}
