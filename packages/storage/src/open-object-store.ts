import { fileURLToPath } from 'node:url';
import { InvalidStoreUrlError } from './errors';
import { FsObjectStore } from './fs-object-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore, type S3ConnectionOptions } from './s3-object-store';

export interface OpenObjectStoreOptions extends S3ConnectionOptions {
  /** For `file:` URLs: fsync every write (see `FsObjectStoreOptions.fsync`). */
  fsync?: boolean;
}

/**
 * Opens a store from a URL:
 * - `file:///abs/dir` → `FsObjectStore` rooted at /abs/dir;
 * - `s3://bucket` or `s3://bucket/key/prefix` → `S3ObjectStore` with the connection `options`.
 * Throws `InvalidStoreUrlError` for anything else.
 */
export function openObjectStore(url: string, options: OpenObjectStoreOptions = {}): ObjectStore {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidStoreUrlError(url, 'not a URL (expected file:///abs/path or s3://bucket/prefix)');
  }
  if (parsed.search || parsed.hash)
    throw new InvalidStoreUrlError(url, 'query strings and fragments are not supported');
  // new URL() would silently resolve dot segments ('s3://b/a/../c' → prefix 'c').
  if (/(^|\/)(\.|%2e){1,2}(\/|$)/i.test(url.slice(url.indexOf(':') + 1).replace(/^\/\/[^/]*/, ''))) {
    throw new InvalidStoreUrlError(url, 'path has a "." or ".." segment');
  }
  switch (parsed.protocol) {
    case 'file:': {
      if (parsed.host !== '' && parsed.host !== 'localhost') {
        throw new InvalidStoreUrlError(
          url,
          `file URLs need an absolute path (file:///abs/path); got host "${parsed.host}"`,
        );
      }
      const root = fileURLToPath(parsed);
      return new FsObjectStore({
        root,
        ...(options.fsync === undefined ? {} : { fsync: options.fsync }),
        ...(options.logger ? { logger: options.logger } : {}),
      });
    }
    case 's3:': {
      const bucket = parsed.hostname;
      if (!bucket)
        throw new InvalidStoreUrlError(url, 'missing bucket (expected s3://bucket/optional/prefix)');
      if (parsed.username || parsed.password || parsed.port) {
        throw new InvalidStoreUrlError(
          url,
          'credentials and ports do not belong in an s3:// URL; pass endpoint/credentials as options',
        );
      }
      const prefix = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
      try {
        return new S3ObjectStore({ ...options, bucket, prefix });
      } catch (error) {
        throw new InvalidStoreUrlError(url, error instanceof Error ? error.message : String(error));
      }
    }
    default:
      throw new InvalidStoreUrlError(
        url,
        `unsupported scheme "${parsed.protocol}" (use file:///abs/path or s3://bucket/prefix)`,
      );
  }
}

/** `s3://bucket/dir/file.csv` → `{ storeUrl: 's3://bucket/dir', key: 'file.csv' }` (same for `file://`). */
export function splitObjectUrl(url: string): { storeUrl: string; key: string } {
  const slash = url.lastIndexOf('/');
  const key = url.slice(slash + 1);
  if (slash < 0 || key === '')
    throw new InvalidStoreUrlError(url, 'expected the URL of an object, not of a folder');
  return { storeUrl: url.slice(0, slash), key };
}
