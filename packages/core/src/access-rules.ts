import type { CredentialVerifier, Principal } from './credential-verifier';
import { isLoopbackHost } from './network-address';

/** What an access rule looks at in a request. */
export interface AccessRequest {
  method: string;
  /** The `Authorization` header. */
  authorization?: string;
  /** The peer's address (`socket.remoteAddress`). */
  peer?: string;
  /** `Origin`, `Host` and `Sec-Fetch-Site`, to refuse cross-site writes made with a browser's Basic credentials. */
  origin?: string;
  host?: string;
  secFetchSite?: string;
}

export type AccessDecision =
  { ok: true; principal?: Principal } | { ok: false; status: 401 | 403; error: string; challenge: boolean };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const unauthenticated = {
  ok: false,
  status: 401,
  error: 'authentication required',
  challenge: true,
} as const;

const forbidden = (error: string): AccessDecision => ({ ok: false, status: 403, error, challenge: false });

function hostOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return '';
  }
}

/** The `WWW-Authenticate` challenges for what is configured. */
export function authChallenges(verifier: CredentialVerifier, realm = 'lookalike'): string[] {
  return [
    ...(verifier.hasBasic ? [`Basic realm="${realm}", charset="UTF-8"`] : []),
    ...(verifier.hasApiCredentials || verifier.hasMetricsToken ? [`Bearer realm="${realm}"`] : []),
  ];
}

/** A browser sent this write from another site (its cached Basic credentials would otherwise go with it). */
function crossSite(request: AccessRequest): boolean {
  if (request.secFetchSite !== undefined && !['same-origin', 'none'].includes(request.secFetchSite))
    return true;
  if (request.origin === undefined || request.origin === 'null') return request.origin === 'null';
  try {
    return new URL(request.origin).host !== request.host;
  } catch {
    return true;
  }
}

/**
 * Every route but `/healthz` and `/metrics`: with no credential configured the API is open to loopback
 * peers only (local mode; a service refuses to listen elsewhere then), asked for by a loopback `Host` and
 * not written to from another site; otherwise a valid token or Basic
 * user is needed, read-only ones may only read, the metrics token reads `/metrics` only, and a write with
 * Basic credentials must not come from another site.
 */
export function decideApiAccess(verifier: CredentialVerifier, request: AccessRequest): AccessDecision {
  const write = !SAFE_METHODS.has(request.method.toUpperCase());
  if (!verifier.hasApiCredentials) {
    if (request.peer === undefined || !isLoopbackHost(request.peer)) return unauthenticated;
    // Open local mode: only pages of this machine may use it (no DNS rebinding, no cross-site writes).
    if (request.host !== undefined && !isLoopbackHost(hostOf(request.host)))
      return forbidden('the Host must be a loopback name');
    return write && crossSite(request) ? forbidden('cross-site request refused') : { ok: true };
  }
  const principal = verifier.authorization(request.authorization);
  if (!principal) return unauthenticated;
  if (principal.access === 'metrics') return forbidden('the metrics token reads /metrics only');
  if (write && principal.access !== 'write') return forbidden(`${principal.name} is read-only`);
  if (write && principal.kind === 'basic' && crossSite(request))
    return forbidden('cross-site request refused');
  return { ok: true, principal };
}

/**
 * `/metrics`: the scrape token (or any API credential) from anywhere; without a configured scrape token,
 * loopback peers without credentials too.
 */
export function decideMetricsAccess(verifier: CredentialVerifier, request: AccessRequest): AccessDecision {
  const principal = verifier.authorization(request.authorization);
  if (principal) return { ok: true, principal };
  if (!verifier.hasMetricsToken && request.peer !== undefined && isLoopbackHost(request.peer))
    return { ok: true };
  return unauthenticated;
}
