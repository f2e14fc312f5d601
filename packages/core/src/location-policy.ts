import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { locationSchema } from './rebuild-spec';

/**
 * Where rebuild inputs (and `file://` models) may be read from: the storage root and the roots of
 * `LOOKALIKE_ALLOWED_LOCATIONS` (`s3://bucket/prefix`, `file:///dir`). A location is allowed when it
 * is one of them or below one, segment by segment, after normalisation: no `.`/`..` segments, and for
 * `file://` with symbolic links resolved on both sides.
 */
export interface LocationPolicy {
  readonly roots: readonly string[];
}

type ParsedLocation = { scheme: 's3'; bucket: string; key: string } | { scheme: 'file'; path: string };

const DOT_SEGMENT = /(^|\/)(\.|%2e){1,2}(\/|$)/i;

function parseLocation(location: string): ParsedLocation | { problem: string } {
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    return { problem: 'is not a URL (expected s3://bucket/prefix or file:///path)' };
  }
  // new URL() resolves dot segments silently ('file:///data/../etc' → '/etc'): look at the text.
  const path = location.slice(location.indexOf(':') + 1).replace(/^\/\/[^/]*/, '');
  if (DOT_SEGMENT.test(path)) return { problem: 'has a "." or ".." segment' };
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '' || url.port !== '') {
    return { problem: 'must not have a query, fragment, credentials or port' };
  }
  try {
    if (url.protocol === 's3:') {
      return {
        scheme: 's3',
        bucket: url.hostname,
        key: decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, ''),
      };
    }
    if (url.protocol === 'file:') return { scheme: 'file', path: fileURLToPath(url) };
  } catch {
    return { problem: 'has an invalid escape or an encoded "/"' };
  }
  return { problem: 'expected s3://bucket/prefix or file:///path' };
}

/** What is wrong with the syntax of `location` as a policy root or input, or undefined. */
export function locationSyntaxProblem(location: string): string | undefined {
  const parsed = parseLocation(location);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** `LOOKALIKE_ALLOWED_LOCATIONS`: comma-separated roots, each normalised like a rebuild location. */
export const allowedLocationsSchema = z.string().transform((value, ctx): string[] => {
  const roots: string[] = [];
  for (const raw of value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '')) {
    const parsed = locationSchema.safeParse(raw);
    const problem = parsed.success ? locationSyntaxProblem(parsed.data) : parsed.error.issues[0]?.message;
    if (parsed.success && problem === undefined) roots.push(parsed.data);
    else ctx.addIssue({ code: 'custom', message: `${raw}: ${problem ?? 'invalid location'}` });
  }
  return roots;
});

export function createLocationPolicy(options: {
  storageUrl: string;
  allowedLocations?: readonly string[];
}): LocationPolicy {
  return { roots: [...new Set([options.storageUrl, ...(options.allowedLocations ?? [])])] };
}

/** The real path of `path`: symbolic links of its deepest existing ancestor resolved, the rest appended. */
async function canonicalPath(path: string): Promise<string> {
  const rest: string[] = [];
  let head = path;
  for (;;) {
    try {
      const real = await realpath(head);
      return rest.length === 0 ? real : join(real, ...rest.reverse());
    } catch {
      const parent = dirname(head);
      if (parent === head) return path;
      rest.push(basename(head));
      head = parent;
    }
  }
}

function fileWithin(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Why `location` (a normalised rebuild location, e.g. from `locationSchema`) may not be read, or
 * undefined when it falls under an allowed root.
 */
export async function checkLocation(policy: LocationPolicy, location: string): Promise<string | undefined> {
  const parsed = parseLocation(location);
  if ('problem' in parsed) return parsed.problem;
  const target = parsed.scheme === 'file' ? await canonicalPath(parsed.path) : undefined;
  for (const root of policy.roots) {
    const allowed = parseLocation(root);
    if ('problem' in allowed || allowed.scheme !== parsed.scheme) continue;
    if (allowed.scheme === 'file' && target !== undefined) {
      if (fileWithin(await canonicalPath(allowed.path), target)) return undefined;
    } else if (allowed.scheme === 's3' && parsed.scheme === 's3' && allowed.bucket === parsed.bucket) {
      if (allowed.key === '' || parsed.key === allowed.key || parsed.key.startsWith(`${allowed.key}/`))
        return undefined;
    }
  }
  return 'is outside the allowed locations (the storage and LOOKALIKE_ALLOWED_LOCATIONS)';
}

/** The input locations of a rebuild spec. */
export const SPEC_LOCATION_FIELDS = ['images', 'articles', 'transactions', 'customers'] as const;

/** One issue per input location of `spec` that the policy refuses, naming the field. */
export async function checkSpecLocations(
  policy: LocationPolicy,
  spec: Partial<Record<(typeof SPEC_LOCATION_FIELDS)[number], string>>,
): Promise<{ field: string; message: string }[]> {
  const issues: { field: string; message: string }[] = [];
  for (const field of SPEC_LOCATION_FIELDS) {
    const location = spec[field];
    if (location === undefined) continue;
    const problem = await checkLocation(policy, location);
    if (problem !== undefined) issues.push({ field, message: `${location} ${problem}` });
  }
  return issues;
}
