import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { z } from 'zod';
import type { Config } from './config';
import { checkLocation, createLocationPolicy, type LocationPolicy } from './location-policy';
import { nonPublicAddressKind } from './network-address';

/** Resolves a host name to every address it has. */
export type ResolveHost = (host: string) => Promise<string[]>;

/**
 * Which model URLs a rebuild may name: `bundled:*` always; the configured `LOOKALIKE_MODEL_URL` as it is;
 * `file://` under the allowed locations; `http(s)://` to hosts whose every address is public, unless the
 * host is in `LOOKALIKE_ALLOWED_MODEL_HOSTS`.
 */
export interface ModelUrlPolicy {
  locations: LocationPolicy;
  /** Host names or IP literals that may be fetched from whatever they resolve to. */
  allowedHosts: readonly string[];
  /** Model URLs allowed as they are (the operator's configured model). */
  trusted?: readonly string[];
  resolve?: ResolveHost;
}

/** The policy of a service's configuration: its storage and allowed roots and hosts; its own model is trusted. */
export function modelUrlPolicyFor(
  config: Pick<Config, 'storageUrl' | 'allowedLocations' | 'allowedModelHosts' | 'modelUrl'>,
): ModelUrlPolicy {
  return {
    locations: createLocationPolicy(config),
    allowedHosts: config.allowedModelHosts,
    trusted: [config.modelUrl],
  };
}

/** `LOOKALIKE_ALLOWED_MODEL_HOSTS`: comma-separated host names or IP literals (IPv6 in brackets or not). */
export const allowedModelHostsSchema = z.string().transform((value, ctx): string[] => {
  const hosts: string[] = [];
  for (const raw of value
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '')) {
    const host = normaliseHost(raw);
    if (isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(host)) {
      ctx.addIssue({
        code: 'custom',
        message: `${raw}: expected a host name or an IP address (no scheme, port or path)`,
      });
    } else hosts.push(host);
  }
  return hosts;
});

/** Lower case, without IPv6 brackets or a trailing dot: how hosts are compared. */
export function normaliseHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

export function isAllowedModelHost(host: string, allowedHosts: readonly string[]): boolean {
  const h = normaliseHost(host);
  return allowedHosts.some((a) => normaliseHost(a) === h);
}

/** Why a model host may not be fetched from at `address` (one of its addresses), or undefined. */
export function modelAddressProblem(host: string, address: string): string | undefined {
  const kind = nonPublicAddressKind(address);
  if (kind === undefined) return undefined;
  const what =
    normaliseHost(host) === normaliseHost(address) ? `${address} is` : `${host} resolves to ${address},`;
  return `${what} ${kind} (allow the host with LOOKALIKE_ALLOWED_MODEL_HOSTS)`;
}

const resolveAll: ResolveHost = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Why `url` may not be used as a rebuild's model (a sentence), or undefined when the policy allows it. */
export async function checkModelUrl(url: string, policy: ModelUrlPolicy): Promise<string | undefined> {
  if (policy.trusted?.includes(url) || /^bundled:[\w.-]+$/.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    parsed = new URL('invalid:');
  }
  if (parsed.protocol === 'file:') {
    const problem = await checkLocation(policy.locations, url);
    return problem === undefined ? undefined : `${url} ${problem}`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return 'expected bundled:<name>, file:///path/model.json|model.onnx or http(s)://host/…/model.json|model.onnx';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'a model URL must not contain credentials';
  const host = normaliseHost(parsed.hostname);
  if (isAllowedModelHost(host, policy.allowedHosts)) return undefined;
  let addresses: string[];
  try {
    addresses = isIP(host) !== 0 ? [host] : await (policy.resolve ?? resolveAll)(host);
  } catch {
    addresses = [];
  }
  if (addresses.length === 0) return `cannot resolve ${host}`;
  for (const address of addresses) {
    const problem = modelAddressProblem(host, address);
    if (problem !== undefined) return problem;
  }
  return undefined;
}
