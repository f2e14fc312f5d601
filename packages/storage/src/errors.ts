/** Node.js network error codes: the peer is unreachable or went away (worth retrying). */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

const NETWORK_ERROR_IN_MESSAGE = new RegExp(`\\b(${[...NETWORK_ERROR_CODES].join('|')})\\b|socket hang up`);

/** Whether an error (or one of its causes) is a network failure: refused, reset, timed out, unreachable. */
export function isNetworkError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const e = error as { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && NETWORK_ERROR_CODES.has(e.code)) return true;
  if (e.name === 'TimeoutError' || e.message === 'socket hang up' || e.message === 'aborted') return true;
  // The code survives only in the message when an error crossed realms and was re-wrapped (the AWS SDK
  // wraps what is not `instanceof Error`, e.g. `AWS SDK error wrapper for Error: connect ECONNREFUSED …`).
  if (typeof e.message === 'string' && NETWORK_ERROR_IN_MESSAGE.test(e.message)) return true;
  // AggregateError (Node's happy-eyeballs connect tries every address).
  if (Array.isArray(e.errors) && e.errors.some((inner) => isNetworkError(inner, depth + 1))) return true;
  return isNetworkError(e.cause, depth + 1);
}

/** Whether an HTTP status is worth retrying: 5xx, 429 (throttling) and 408 (request timeout). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/** Base class of every error that this package throws on purpose. */
export class StorageError extends Error {
  /** HTTP status of the failed S3 request, when there was one. */
  readonly statusCode: number | undefined;
  /**
   * Whether trying again later can succeed: true for network failures, 5xx and throttling (the
   * storage is away or busy), false for a missing object or bucket, access denied, bad keys and
   * ranges (the request itself is wrong), undefined when it cannot be told.
   */
  readonly retryable: boolean | undefined;
  /** What failed, for failure classification across packages (`waiting for storage`). */
  readonly source = 'storage' as const;

  constructor(message: string, options: { cause?: unknown; statusCode?: number; retryable?: boolean } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.statusCode = options.statusCode;
    this.retryable =
      options.retryable ??
      (options.statusCode !== undefined
        ? isRetryableStatus(options.statusCode)
        : isNetworkError(options.cause)
          ? true
          : undefined);
  }
}

/** The key names no object (S3 404 `NoSuchKey`/`NotFound`, or ENOENT on the filesystem). */
export class ObjectNotFoundError extends StorageError {
  readonly key: string;

  constructor(key: string, options: { cause?: unknown } = {}) {
    super(`object not found: ${key}`, { ...options, statusCode: 404, retryable: false });
    this.key = key;
  }
}

/** A key (or list prefix, or store prefix) that breaks the key rules of `validateKey`. */
export class InvalidKeyError extends StorageError {
  readonly key: string;
  readonly reason: string;

  constructor(key: string, reason: string) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`, { retryable: false });
    this.key = key;
    this.reason = reason;
  }
}

/** `getRange` asked for bytes that do not exist (start at or past the end of the object, or start > end). */
export class InvalidRangeError extends StorageError {
  constructor(key: string, start: number, endInclusive: number, size?: number) {
    super(
      `invalid byte range ${start}-${endInclusive} of ${key}` +
        (size === undefined ? '' : ` (object size ${size})`),
      { statusCode: 416, retryable: false },
    );
  }
}

/** `openObjectStore` got a URL it cannot open. */
export class InvalidStoreUrlError extends StorageError {
  constructor(url: string, reason: string) {
    super(`cannot open object store ${JSON.stringify(url)}: ${reason}`, { retryable: false });
  }
}

/** Why a vector shard could not be decoded. */
export type VectorShardErrorCode =
  | 'BAD_MAGIC'
  | 'UNSUPPORTED_VERSION'
  | 'UNSUPPORTED_ENCODING'
  | 'HEADER_CHECKSUM_MISMATCH'
  | 'TRUNCATED'
  | 'LENGTH_MISMATCH'
  | 'CHECKSUM_MISMATCH'
  | 'INVALID_INPUT';

/** A vector shard that is not a valid `LKVS` buffer, or input that cannot be encoded as one. */
export class VectorShardError extends StorageError {
  readonly code: VectorShardErrorCode;

  constructor(code: VectorShardErrorCode, message: string) {
    super(`vector shard: ${message}`, { retryable: false });
    this.code = code;
  }
}
