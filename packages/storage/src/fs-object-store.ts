import { randomBytes } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { mkdir, open, readdir, realpath, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { silentLogger, type Logger } from '@lookalike/core';
import { assertByteRange } from './byte-range';
import { forEachLimit } from '@lookalike/core';
import { InvalidKeyError, InvalidRangeError, ObjectNotFoundError, StorageError } from './errors';
import { isValidKey, RESERVED_SEGMENT_PREFIX, validateKey, validatePrefix } from './object-key';
import type { ObjectBody, ObjectHead, ObjectListEntry, ObjectStore, PutOptions } from './object-store';
import { asBuffer, isBytes } from './stream-util';

export interface FsObjectStoreOptions {
  /** Absolute path of the root directory (created on first use). */
  root: string;
  /** fsync each written file and its directory before a put resolves (durable across power loss; slower). Default false. */
  fsync?: boolean;
  logger?: Logger;
}

function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);
const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Object store over a local directory: key 'a/b/c' is file `<root>/a/b/c`.
 * Writes go to a temporary file in the target's directory and are renamed over it, so readers and
 * concurrent writers never see a partial object. Paths that resolve (through symlinks) outside the
 * root are refused. A key cannot be both an object and the parent of other objects ('a' and 'a/b').
 */
export class FsObjectStore implements ObjectStore {
  readonly root: string;
  readonly url: string;
  private readonly fsync: boolean;
  private readonly logger: Logger;
  private realRootPromise: Promise<string> | undefined;

  constructor(options: FsObjectStoreOptions) {
    if (!isAbsolute(options.root))
      throw new StorageError(
        `FsObjectStore root must be an absolute path, got ${JSON.stringify(options.root)}`,
      );
    this.root = resolve(options.root);
    this.url = pathToFileURL(this.root).href;
    this.fsync = options.fsync ?? false;
    this.logger = (options.logger ?? silentLogger).child({ component: 'fs-object-store' });
  }

  /**
   * The real path of the root. Reads never create it (a missing root reads as an empty store, so that
   * opening an input folder that does not exist leaves no trace); writes pass `create`.
   */
  private realRoot(create = false): Promise<string> {
    if (!this.realRootPromise) {
      const pending = (create ? mkdir(this.root, { recursive: true }) : Promise.resolve(undefined)).then(() =>
        realpath(this.root),
      );
      // Forget a failure (e.g. a root that does not exist yet), so that a later call tries again.
      pending.catch(() => {
        if (this.realRootPromise === pending) this.realRootPromise = undefined;
      });
      this.realRootPromise = pending;
    }
    return this.realRootPromise;
  }

  /** The real root, or undefined when it does not exist (reads only). */
  private async existingRoot(): Promise<string | undefined> {
    try {
      return await this.realRoot();
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) return undefined;
      throw this.wrap('open root', '', error);
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  /** Throws unless `real` (a realpath) is inside the root. */
  private async assertInside(key: string, real: string): Promise<void> {
    const root = await this.realRoot();
    if (real !== root && !real.startsWith(root.endsWith(sep) ? root : root + sep)) {
      throw new InvalidKeyError(key, 'resolves outside the store root (symlink)');
    }
  }

  /** The real path of an existing object file, or undefined when there is none. */
  private async existingPath(key: string): Promise<string | undefined> {
    validateKey(key);
    if ((await this.existingRoot()) === undefined) return undefined;
    let real: string;
    try {
      real = await realpath(this.pathOf(key));
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) return undefined;
      throw this.wrap('resolve', key, error);
    }
    await this.assertInside(key, real);
    return real;
  }

  private wrap(op: string, key: string, error: unknown): StorageError {
    if (error instanceof StorageError) return error;
    const message = error instanceof Error ? error.message : String(error);
    // Access denied never heals by itself; other errors (EIO, EMFILE, ENOSPC …) may.
    const denied = DENIED.has(errnoCode(error) ?? '');
    return new StorageError(`fs ${op} ${key} in ${this.root} failed: ${message}`, {
      cause: error,
      ...(denied ? { retryable: false } : {}),
    });
  }

  async put(key: string, body: ObjectBody, _options?: PutOptions): Promise<void> {
    validateKey(key);
    const target = this.pathOf(key);
    const dir = dirname(target);
    try {
      await this.realRoot(true);
      await mkdir(dir, { recursive: true });
      await this.assertInside(key, await realpath(dir));
    } catch (error) {
      if (!isBytes(body)) body.destroy();
      const code = errnoCode(error);
      if (code === 'ENOTDIR' || code === 'EEXIST') {
        throw new StorageError(`fs put ${key}: a parent of this key is itself an object`, { cause: error });
      }
      throw this.wrap('put', key, error);
    }
    const tmp = join(dir, `${RESERVED_SEGMENT_PREFIX}${randomBytes(8).toString('hex')}`);
    try {
      if (isBytes(body)) {
        await writeFile(tmp, asBuffer(body), { flag: 'wx' });
      } else {
        await pipeline(body, createWriteStream(tmp, { flags: 'wx' }));
      }
      if (this.fsync) await syncPath(tmp);
      await rename(tmp, target);
      if (this.fsync) await syncPath(dir);
    } catch (error) {
      await rm(tmp, { force: true }).catch(() => undefined);
      if (errnoCode(error) === 'EISDIR') {
        throw new StorageError(`fs put ${key}: the key is the parent of other objects`, { cause: error });
      }
      throw this.wrap('put', key, error);
    }
    this.logger.debug({ key }, 'put');
  }

  async get(key: string): Promise<Buffer> {
    const handle = await this.openFile(key);
    try {
      return await handle.readFile();
    } catch (error) {
      throw this.wrap('get', key, error);
    } finally {
      await handle.close();
    }
  }

  async getStream(key: string): Promise<Readable> {
    const handle = await this.openFile(key);
    return handle.createReadStream();
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Buffer> {
    assertByteRange(key, start, endInclusive);
    const handle = await this.openFile(key);
    try {
      const { size } = await handle.stat();
      if (start >= size) throw new InvalidRangeError(key, start, endInclusive, size);
      const length = Math.min(endInclusive, size - 1) - start + 1;
      const out = Buffer.allocUnsafe(length);
      let filled = 0;
      while (filled < length) {
        const { bytesRead } = await handle.read(out, filled, length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === length ? out : out.subarray(0, filled);
    } catch (error) {
      throw this.wrap('getRange', key, error);
    } finally {
      await handle.close();
    }
  }

  /** Opens an existing regular file for reading, or throws `ObjectNotFoundError`. */
  private async openFile(key: string) {
    const real = await this.existingPath(key);
    if (real === undefined) throw new ObjectNotFoundError(key);
    let handle;
    try {
      handle = await open(real, 'r');
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) throw new ObjectNotFoundError(key, { cause: error });
      throw this.wrap('open', key, error);
    }
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw new ObjectNotFoundError(key);
    }
    return handle;
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    const real = await this.existingPath(key);
    if (real === undefined) return undefined;
    try {
      const info = await stat(real);
      return info.isFile() ? { size: info.size, lastModified: new Date(info.mtimeMs) } : undefined;
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) return undefined;
      throw this.wrap('head', key, error);
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async *list(prefix: string): AsyncIterable<ObjectListEntry> {
    const dir = await this.folderOf(prefix, 'list');
    if (dir) yield* this.walk(dir.dirPath, dir.dirKey, dir.namePrefix);
  }

  async *listPrefixes(prefix: string): AsyncIterable<string> {
    const dir = await this.folderOf(prefix, 'listPrefixes');
    if (!dir) return;
    const names = (await this.entriesOf(dir.dirPath, prefix, 'listPrefixes'))
      .filter(
        (e) =>
          e.isDirectory() && e.name.startsWith(dir.namePrefix) && !e.name.startsWith(RESERVED_SEGMENT_PREFIX),
      )
      .map((e) => e.name)
      .sort((x, y) => utf8Compare(`${x}/`, `${y}/`));
    for (const name of names) {
      const key = dir.dirKey === '' ? name : `${dir.dirKey}/${name}`;
      // A folder counts once it holds an object (as a common prefix exists on S3 only through its objects).
      for await (const _entry of this.walk(join(dir.dirPath, name), key, '')) {
        yield `${key}/`;
        break;
      }
    }
  }

  /**
   * The folder that a prefix's keys lie in: its key and path, and the start of the names in it; undefined when
   * the store or the folder does not exist. Refuses a folder that resolves outside the root.
   */
  private async folderOf(
    prefix: string,
    op: string,
  ): Promise<{ dirKey: string; dirPath: string; namePrefix: string } | undefined> {
    validatePrefix(prefix);
    const root = await this.existingRoot();
    if (root === undefined) return undefined;
    const slash = prefix.lastIndexOf('/');
    const dirKey = slash < 0 ? '' : prefix.slice(0, slash);
    const namePrefix = prefix.slice(slash + 1);
    if (dirKey === '') return { dirKey, dirPath: root, namePrefix };
    let real: string;
    try {
      real = await realpath(this.pathOf(dirKey));
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) return undefined;
      throw this.wrap(op, prefix, error);
    }
    await this.assertInside(prefix, real);
    return { dirKey, dirPath: this.pathOf(dirKey), namePrefix };
  }

  /** A folder's entries; none when it is missing. */
  private async entriesOf(dirPath: string, key: string, op: string): Promise<Dirent[]> {
    try {
      return await readdir(dirPath, { withFileTypes: true });
    } catch (error) {
      if (MISSING.has(errnoCode(error) ?? '')) return [];
      throw this.wrap(op, key, error);
    }
  }

  /**
   * Depth-first walk that yields keys in global UTF-8 byte order without collecting them: sorting
   * a directory's entries by name + '/' for directories orders every key below a directory exactly
   * where the directory's name + '/' sorts among its siblings. Symlinks and other non-regular files are skipped.
   */
  private async *walk(dirPath: string, dirKey: string, namePrefix: string): AsyncGenerator<ObjectListEntry> {
    const kept = (await this.entriesOf(dirPath, dirKey, 'list'))
      .filter(
        (e) =>
          e.name.startsWith(namePrefix) &&
          !e.name.startsWith(RESERVED_SEGMENT_PREFIX) &&
          (e.isFile() || e.isDirectory()),
      )
      .map((e) => ({
        name: e.name,
        isDir: e.isDirectory(),
        sortKey: e.isDirectory() ? `${e.name}/` : e.name,
      }))
      .sort((a, b) => utf8Compare(a.sortKey, b.sortKey));
    for (const entry of kept) {
      const key = dirKey === '' ? entry.name : `${dirKey}/${entry.name}`;
      const path = join(dirPath, entry.name);
      if (entry.isDir) {
        yield* this.walk(path, key, '');
        continue;
      }
      if (!isValidKey(key)) continue;
      try {
        const info = await stat(path);
        if (info.isFile()) yield { key, size: info.size };
      } catch (error) {
        if (!MISSING.has(errnoCode(error) ?? '')) throw this.wrap('list', key, error);
      }
    }
  }

  async deleteMany(keys: Iterable<string>): Promise<void> {
    const all = [...new Set(keys)];
    for (const key of all) validateKey(key);
    const checkedDirs = new Map<string, Promise<void>>();
    await forEachLimit(all, 32, async (key) => {
      const path = this.pathOf(key);
      const dir = dirname(path);
      let check = checkedDirs.get(dir);
      if (!check) {
        check = realpath(dir).then(
          (real) => this.assertInside(key, real),
          (error: unknown) => {
            if (!MISSING.has(errnoCode(error) ?? '')) throw error;
          },
        );
        checkedDirs.set(dir, check);
      }
      await check;
      try {
        await unlink(path);
      } catch (error) {
        const code = errnoCode(error) ?? '';
        if (MISSING.has(code) || code === 'EPERM') return; // missing, or a directory (not an object)
        throw this.wrap('delete', key, error);
      }
    });
    this.logger.debug({ count: all.length }, 'deleteMany');
  }

  async delete(key: string): Promise<void> {
    await this.deleteMany([key]);
  }

  async close(): Promise<void> {}
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
