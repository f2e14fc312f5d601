import { InvalidKeyError } from './errors';

/** Longest key in UTF-8 bytes (the S3 limit). */
export const MAX_KEY_BYTES = 1024;
/** Longest key segment in UTF-8 bytes (the usual filesystem name limit). */
export const MAX_SEGMENT_BYTES = 255;
/**
 * Segments starting with this are reserved: the filesystem store names its temporary files so,
 * and neither lists them nor lets a key collide with them.
 */
export const RESERVED_SEGMENT_PREFIX = '.lookalike-tmp-';

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const DRIVE_LETTER = /^[A-Za-z]:/;

function segmentProblem(segment: string): string | undefined {
  if (segment === '') return 'empty segment ("//")';
  if (segment === '.' || segment === '..') return `"${segment}" segment`;
  if (Buffer.byteLength(segment, 'utf8') > MAX_SEGMENT_BYTES)
    return `segment longer than ${MAX_SEGMENT_BYTES} bytes`;
  if (segment.startsWith(RESERVED_SEGMENT_PREFIX))
    return `segment starts with reserved "${RESERVED_SEGMENT_PREFIX}"`;
  return undefined;
}

function pathProblem(value: unknown, allowTrailingSlash: boolean): string | undefined {
  if (typeof value !== 'string') return 'not a string';
  if (value === '') return 'empty';
  if (Buffer.byteLength(value, 'utf8') > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (CONTROL_CHARS.test(value)) return 'contains a NUL or control character';
  if (value.includes('\\')) return 'contains a backslash';
  if (value.startsWith('/')) return 'absolute (leading "/")';
  if (DRIVE_LETTER.test(value)) return 'absolute (drive letter)';
  if (value.endsWith('/') && !allowTrailingSlash) return 'trailing "/"';
  const segments = value.split('/');
  if (allowTrailingSlash && value.endsWith('/')) segments.pop();
  for (const segment of segments) {
    const problem = segmentProblem(segment);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * The one key rule of every store: a key is a '/'-separated relative path of non-empty segments,
 * at most 1024 UTF-8 bytes, with no '.'/'..' segment, no backslash, no NUL or control character,
 * no leading or trailing '/', no drive letter, and no segment over 255 bytes or starting with
 * `RESERVED_SEGMENT_PREFIX`. Throws `InvalidKeyError`; returns the key.
 */
export function validateKey(key: string): string {
  const problem = pathProblem(key, false);
  if (problem) throw new InvalidKeyError(String(key), problem);
  return key;
}

/** Whether `validateKey` accepts `key`. */
export function isValidKey(key: string): boolean {
  return pathProblem(key, false) === undefined;
}

/**
 * A listing prefix: '' (everything), or a string that obeys the key rules except that it may end
 * with '/'. It is a plain string prefix, as in S3: 'plan/000' matches 'plan/00001.json'.
 */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const problem = pathProblem(prefix, true);
  if (problem) throw new InvalidKeyError(String(prefix), problem);
  return prefix;
}
