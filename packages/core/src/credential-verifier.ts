import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiToken, TokenAccess } from './api-tokens';

/** Who made a request. `metrics` may read `/metrics` only. */
export interface Principal {
  /** The token's name, or the Basic user name. */
  name: string;
  kind: 'token' | 'basic' | 'metrics';
  access: TokenAccess | 'metrics';
}

export interface CredentialSettings {
  /** Bearer tokens for programs (`LOOKALIKE_API_TOKENS`). */
  apiTokens?: readonly ApiToken[];
  /** Basic credentials for people (the dashboard user); `readOnly` people may only read. */
  basic?: { user: string; password: string; readOnly?: boolean };
  /** SHA-256 hex of the scrape token of `/metrics` (`LOOKALIKE_METRICS_TOKEN`). */
  metricsTokenSha256?: string;
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** 1 when the two 32-byte digests are equal, else 0, in time independent of where they differ. */
const same = (a: Buffer, b: Buffer): number => Number(timingSafeEqual(a, b));

/**
 * Checks credentials against the configuration. Secrets are compared as SHA-256 digests (always 32
 * bytes, so neither the length of a password nor of a token leaks) with `timingSafeEqual`, and every
 * comparison is made whatever the earlier ones gave: no early exit tells whether a user name was right
 * or which token came close.
 */
export class CredentialVerifier {
  private readonly tokens: { token: ApiToken; digest: Buffer }[];
  private readonly basic?: { user: Buffer; password: Buffer; name: string; readOnly: boolean };
  private readonly metrics?: Buffer;

  constructor(settings: CredentialSettings) {
    this.tokens = (settings.apiTokens ?? []).map((token) => ({
      token,
      digest: Buffer.from(token.sha256, 'hex'),
    }));
    if (settings.basic) {
      const { user, password, readOnly } = settings.basic;
      this.basic = {
        user: digest(user),
        password: digest(password),
        name: user,
        readOnly: readOnly === true,
      };
    }
    if (settings.metricsTokenSha256 !== undefined)
      this.metrics = Buffer.from(settings.metricsTokenSha256, 'hex');
  }

  /** Whether any API credential (token or Basic) is configured; without one the API is open (loopback only). */
  get hasApiCredentials(): boolean {
    return this.tokens.length > 0 || this.basic !== undefined;
  }

  get hasBasic(): boolean {
    return this.basic !== undefined;
  }

  get hasMetricsToken(): boolean {
    return this.metrics !== undefined;
  }

  /** The principal of a bearer token: an API token, else the metrics token, else undefined. */
  bearer(token: string): Principal | undefined {
    const presented = digest(token);
    let found: ApiToken | undefined;
    for (const candidate of this.tokens) {
      if (same(presented, candidate.digest) === 1) found = candidate.token;
    }
    const metrics = this.metrics ? same(presented, this.metrics) : 0;
    if (found) return { name: found.name, kind: 'token', access: found.access };
    if (metrics === 1) return { name: 'metrics', kind: 'metrics', access: 'metrics' };
    return undefined;
  }

  /** The principal of a Basic user and password, or undefined. */
  basicUser(user: string, password: string): Principal | undefined {
    if (!this.basic) return undefined;
    // Both comparisons always run; `&` (not `&&`) combines them.
    const ok = same(digest(user), this.basic.user) & same(digest(password), this.basic.password);
    return ok === 1
      ? { name: this.basic.name, kind: 'basic', access: this.basic.readOnly ? 'read' : 'write' }
      : undefined;
  }

  /** The principal of an `Authorization` header (`Bearer <token>` or `Basic <base64 user:password>`). */
  authorization(header: string | undefined): Principal | undefined {
    if (header === undefined) return undefined;
    const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
    if (!match) return undefined;
    const scheme = match[1]!.toLowerCase();
    const value = match[2]!;
    if (scheme === 'bearer') return this.bearer(value);
    if (scheme === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      return colon < 0
        ? this.basicUser(decoded, '')
        : this.basicUser(decoded.slice(0, colon), decoded.slice(colon + 1));
    }
    return undefined;
  }
}
