import { isNetworkError, isRetryableStatus } from '@lookalike/core';

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
