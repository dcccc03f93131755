import type { IncomingHttpHeaders } from 'node:http';
import type { Config } from '../config';

/** `localhost`, its subdomains, 127.0.0.0/8 and ::1: names a page on this machine may have. */
function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** The hostname of a `Host` header (`name:port`, `[v6]:port`), or undefined when it is not one. */
function hostnameOf(host: string): string | undefined {
  try {
    return new URL(`http://${host}`).hostname;
  } catch {
    return undefined;
  }
}

/**
 * Which browser pages may use the gateway: checked on every WebSocket upgrade (browsers open
 * them cross-site without asking) and every HTTP GraphQL request.
 *
 * - A request without `Origin` is not from a page's script (curl, services, SDKs): allowed.
 * - Listed in `ALLOWED_ORIGINS`: allowed.
 * - Dev mode: every caller has every role, so only pages on loopback may call, and the `Host`
 *   must be a loopback name too: a page whose own name was made to resolve to 127.0.0.1 (DNS
 *   rebinding) is same-origin to the browser but sends its own name as `Host`. With
 *   ALLOW_INSECURE_DEV=1 (listening beyond loopback) any `Host`, and the gateway's own pages.
 * - Otherwise, with `ALLOWED_ORIGINS` set, the gateway's own pages (same host) and the listed
 *   ones; unset, any page, since a page needs the caller's token to do anything.
 */
export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(private readonly config: Pick<Config, 'devMode' | 'allowInsecureDev' | 'allowedOrigins'>) {
    this.allowed = new Set(config.allowedOrigins);
  }

  /** Why a request with these headers is refused (HTTP 403), or undefined when it is allowed. */
  refusal(headers: IncomingHttpHeaders): string | undefined {
    const { devMode, allowInsecureDev } = this.config;
    if (devMode && !allowInsecureDev) {
      const hostname = hostnameOf(headers.host ?? '');
      if (hostname === undefined || !isLoopbackName(hostname))
        return 'Host is not a loopback name: a dev-mode gateway answers only this machine';
    }
    const origin = headers.origin;
    if (origin === undefined || this.allowed.has(origin)) return undefined;
    let page: URL;
    try {
      page = new URL(origin);
    } catch {
      return `Origin ${origin.slice(0, 100)} is not allowed`;
    }
    const sameHost = page.host === headers.host;
    if (devMode) {
      if (isLoopbackName(page.hostname) || (allowInsecureDev && sameHost)) return undefined;
      return `Origin ${page.origin} is not allowed: a dev-mode gateway answers pages on loopback only (or set ALLOWED_ORIGINS)`;
    }
    if (this.allowed.size === 0 || sameHost) return undefined;
    return `Origin ${page.origin} is not in ALLOWED_ORIGINS`;
  }
}
