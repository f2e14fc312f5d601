import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FsObjectStore, InvalidKeyError, ObjectNotFoundError, StorageError } from '../src';
import { describeObjectStoreConformance } from './object-store-conformance';
import { collectList, collectPrefixes } from './helpers';

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lookalike-storage-'));
}

describeObjectStoreConformance('FsObjectStore', async () => {
  const root = await tempDir();
  return {
    store: new FsObjectStore({ root: join(root, 'store') }),
    dispose: () => rm(root, { recursive: true, force: true }),
  };
});

describe('FsObjectStore', () => {
  let base: string;
  let root: string;
  let store: FsObjectStore;

  beforeEach(async () => {
    base = await tempDir();
    root = join(base, 'root');
    store = new FsObjectStore({ root });
  });

  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('lists a prefix that holds objects only further down, and skips folders with no object', async () => {
    await store.put('a/b/c/d', Buffer.from('deep'));
    await mkdir(join(root, 'a', 'empty', 'inner'), { recursive: true });
    await writeFile(join(root, 'a', '.lookalike-tmp-1'), 'partial');
    expect(await collectPrefixes(store, '')).toEqual(['a/']);
    expect(await collectPrefixes(store, 'a/')).toEqual(['a/b/']);
    expect(await collectPrefixes(store, 'missing/')).toEqual([]);
  });

  it('maps keys to files under the root and has a file: URL', async () => {
    await store.put('a/b/c.txt', Buffer.from('hi'));
    expect(await readFile(join(root, 'a', 'b', 'c.txt'), 'utf8')).toBe('hi');
    expect(store.url).toBe(`file://${root}`);
  });

  it('only reads a root that does not exist: nothing is listed or found, and no folder is created', async () => {
    await expect(collectList(store, '')).resolves.toEqual([]);
    await expect(collectList(store, 'a/')).resolves.toEqual([]);
    expect(await store.exists('a/b')).toBe(false);
    expect(await store.head('a/b')).toBeUndefined();
    await expect(store.get('a/b')).rejects.toBeInstanceOf(ObjectNotFoundError);
    await store.deleteMany(['a/b']);
    expect(await readdir(base)).toEqual([]);
    // The first write creates it.
    await store.put('a/b', Buffer.from('x'));
    expect(await readdir(base)).toEqual(['root']);
    expect((await collectList(store, '')).map((e) => e.key)).toEqual(['a/b']);
  });

  it('rejects a traversal key and an absolute path without touching the disk', async () => {
    await expect(store.put('../x', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.put('a/../../x', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.put(join(base, 'abs'), Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.get('/etc/passwd')).rejects.toBeInstanceOf(InvalidKeyError);
    expect((await readdir(base)).filter((n) => n !== 'root')).toEqual([]);
  });

  it('refuses paths that leave the root through a symlink, and does not list symlinks', async () => {
    const outside = join(base, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret'), 'secret');
    await mkdir(root, { recursive: true });
    await symlink(outside, join(root, 'link'));
    await expect(store.get('link/secret')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.put('link/new', Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.deleteMany(['link/secret'])).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(collectList(store, 'link/')).rejects.toBeInstanceOf(InvalidKeyError);
    expect(await collectList(store, '')).toEqual([]);
    expect(await readdir(outside)).toEqual(['secret']);
  });

  // That readers never see a torn object while writers race is in the conformance suite; here, what only the
  // filesystem shows: no temporary file is left beside the object.
  it('leaves no temporary file behind when writers race on one key', async () => {
    const size = 2 * 1024 * 1024;
    const versions = Array.from({ length: 8 }, (_, i) => Buffer.alloc(size + i * 4096, i + 1));
    const writer = async (w: number) => {
      for (let round = 0; round < 5; round++) {
        const body = versions[(w + round) % versions.length]!;
        await store.put(
          'race/key.bin',
          round % 2 ? Readable.from([body.subarray(0, size / 2), body.subarray(size / 2)]) : body,
        );
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(w)));
    const final = await store.get('race/key.bin');
    expect(versions.some((v) => v.equals(final))).toBe(true);
    expect(await readdir(join(root, 'race'))).toEqual(['key.bin']); // no temp files left
  });

  it('keeps the old object and leaves no temp file when a stream put fails', async () => {
    await store.put('k', Buffer.from('old'));
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1000, 1));
        this.destroy(new Error('source broke'));
      },
    });
    await expect(store.put('k', failing)).rejects.toThrow(/source broke/);
    expect((await store.get('k')).toString()).toBe('old');
    expect(await readdir(root)).toEqual(['k']);
  });

  it('hides temp files from listing', async () => {
    await store.put('d/real', Buffer.from('x'));
    await writeFile(join(root, 'd', '.lookalike-tmp-deadbeef'), 'half');
    expect(await collectList(store, '')).toEqual([{ key: 'd/real', size: 1 }]);
  });

  it('explains a key that is both an object and a parent', async () => {
    await store.put('p', Buffer.from('x'));
    await expect(store.put('p/child', Buffer.from('y'))).rejects.toThrow(StorageError);
    await store.put('q/child', Buffer.from('y'));
    await expect(store.put('q', Buffer.from('x'))).rejects.toThrow(/parent of other objects/);
  });

  it('writes with fsync when asked', async () => {
    const durable = new FsObjectStore({ root, fsync: true });
    await durable.put('f/x', Buffer.from('durable'));
    await durable.put('f/y', Readable.from([Buffer.from('stream')]));
    expect((await durable.get('f/x')).toString()).toBe('durable');
    expect((await durable.get('f/y')).toString()).toBe('stream');
  });

  it('needs an absolute root', () => {
    expect(() => new FsObjectStore({ root: 'relative/dir' })).toThrow(/absolute/);
  });
});
