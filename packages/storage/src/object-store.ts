import type { Readable } from 'node:stream';

/** Bytes to store: in memory, or a stream (streamed to disk / uploaded in parts, never held whole). */
export type ObjectBody = Buffer | Uint8Array | Readable;

export interface PutOptions {
  /** MIME type; kept by S3, ignored by the filesystem store. */
  contentType?: string;
}

export interface ObjectHead {
  size: number;
  etag?: string;
  lastModified?: Date;
  contentType?: string;
}

export interface ObjectListEntry {
  /** Relative to the store root (never includes the store's own prefix). */
  key: string;
  size: number;
}

/**
 * Blob storage for the pipeline's intermediate results. Keys are '/'-separated relative paths
 * checked by `validateKey` (an invalid key throws `InvalidKeyError` before any I/O).
 * A put replaces the whole object atomically: readers see the old bytes or the new bytes, never a mix.
 */
export interface ObjectStore {
  /** Human-readable location, e.g. `s3://bucket/prefix` or `file:///data/store`. */
  readonly url: string;

  /** Writes (or overwrites) an object. A `Readable` body is streamed (multipart upload on S3). */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<void>;

  /** The whole object. Throws `ObjectNotFoundError` when missing. */
  get(key: string): Promise<Buffer>;

  /** The object as a stream, for big objects. Throws `ObjectNotFoundError` (from the promise) when missing. */
  getStream(key: string): Promise<Readable>;

  /**
   * Bytes `start..endInclusive` (an end past the object is clipped to it, as in HTTP ranges).
   * Throws `ObjectNotFoundError` when missing and `InvalidRangeError` when start > end or start >= size.
   */
  getRange(key: string, start: number, endInclusive: number): Promise<Buffer>;

  /** Size and metadata, or undefined when missing. */
  head(key: string): Promise<ObjectHead | undefined>;

  exists(key: string): Promise<boolean>;

  /**
   * Every object whose key starts with `prefix` (a plain string prefix; '' lists all), in
   * lexicographic order of the keys' UTF-8 bytes, paginated underneath, each key once.
   */
  list(prefix: string): AsyncIterable<ObjectListEntry>;

  /**
   * The next '/'-level under `prefix`, as S3 lists it with `Delimiter: '/'` (its `CommonPrefixes`): for
   * every object key `prefix + name + '/' + rest`, the prefix `prefix + name + '/'` once, in UTF-8 byte order
   * of the prefixes, paginated underneath. Objects directly at the level (no '/' after `prefix`) are not
   * listed, and neither is a folder of the filesystem store that holds no object. E.g. `listPrefixes('rebuilds/')`
   * gives `'rebuilds/<id>/'` for each rebuild without listing what each rebuild holds.
   */
  listPrefixes(prefix: string): AsyncIterable<string>;

  /** Deletes the objects; keys that do not exist are ignored. Batched (≤ 1000 per S3 request). */
  deleteMany(keys: Iterable<string>): Promise<void>;

  /** Deletes one object; a missing key is ignored. */
  delete(key: string): Promise<void>;

  /** Releases sockets and other resources. */
  close(): Promise<void>;
}
