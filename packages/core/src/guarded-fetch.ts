import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import { isAllowedModelHost, modelAddressProblem, normaliseHost } from './model-url-policy';

export interface GuardedFetchOptions {
  /** Hosts that may be reached whatever they resolve to (`LOOKALIKE_ALLOWED_MODEL_HOSTS`). */
  allowedHosts: readonly string[];
  /** Redirects followed, each one checked like the first URL (default 5). */
  maxRedirects?: number;
}

/** A model download went (or would have gone) somewhere the policy forbids. */
export class ForbiddenAddressError extends Error {
  override readonly name = 'ForbiddenAddressError';
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 204, 205, 304]);

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** `dns.lookup` that fails instead of answering a non-public address of a host that is not allowed. */
function checkedLookup(host: string, allowedHosts: readonly string[]) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, []);
      if (!isAllowedModelHost(host, allowedHosts)) {
        for (const { address } of addresses) {
          const problem = modelAddressProblem(host, address);
          if (problem !== undefined) return callback(new ForbiddenAddressError(problem), []);
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first)
        return callback(Object.assign(new Error(`cannot resolve ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}

function requestOnce(
  url: URL,
  method: string,
  allowedHosts: readonly string[],
  signal?: AbortSignal | null,
): Promise<IncomingMessage> {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return Promise.reject(
      new ForbiddenAddressError(`${url.protocol} URLs cannot be fetched (http and https only)`),
    );
  }
  if (url.username !== '' || url.password !== '') {
    return Promise.reject(new ForbiddenAddressError('model URLs must not contain credentials'));
  }
  const host = normaliseHost(url.hostname);
  // Node does not look IP literals up: check them here; names are checked at connect time, so the
  // address that is connected to is the address that was checked (no DNS rebinding in between).
  if (isIP(host) !== 0 && !isAllowedModelHost(host, allowedHosts)) {
    const problem = modelAddressProblem(host, host);
    if (problem !== undefined) return Promise.reject(new ForbiddenAddressError(problem));
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, {
      method,
      lookup: checkedLookup(host, allowedHosts) as never,
      // A fresh connection per request: a pooled socket would skip the connect-time check.
      agent: false,
      ...(signal ? { signal } : {}),
    });
    req.once('response', resolve);
    req.once('error', reject);
    req.end();
  });
}

function toResponse(res: IncomingMessage): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const status = res.statusCode ?? 500;
  const body = NULL_BODY.has(status) ? null : (Readable.toWeb(res) as ReadableStream<Uint8Array>);
  if (body === null) res.resume();
  return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}

/**
 * A `fetch` for downloading models from rebuild-supplied URLs: GET/HEAD over http(s) only; every
 * address a host resolves to must be public unless the host is allowed (checked when connecting, so a
 * name cannot resolve to a public address at check time and a private one at connect time); redirects
 * are followed by hand, each target checked the same way. Anything else rejects with
 * `ForbiddenAddressError` before a byte is sent.
 */
export function createGuardedFetch(options: GuardedFetchOptions): typeof fetch {
  const maxRedirects = options.maxRedirects ?? 5;
  const guarded = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    if (method !== 'GET' && method !== 'HEAD')
      throw new ForbiddenAddressError(`${method}: only GET and HEAD are allowed`);
    let url = new URL(input instanceof Request ? input.url : input.toString());
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    for (let redirects = 0; ; redirects++) {
      const res = await requestOnce(url, method, options.allowedHosts, signal);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.statusCode ?? 0) || location === undefined) return toResponse(res);
      res.resume();
      if (redirects >= maxRedirects)
        throw new ForbiddenAddressError(`${url.origin}: more than ${maxRedirects} redirects`);
      url = new URL(location, url);
    }
  };
  return guarded as typeof fetch;
}
