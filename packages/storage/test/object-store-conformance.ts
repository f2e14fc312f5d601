import { Readable } from 'node:stream';
import {
  getJson,
  getJsonIfExists,
  InvalidKeyError,
  InvalidRangeError,
  ObjectNotFoundError,
  putJson,
  readableToBuffer,
  type ObjectStore,
} from '../src';
import {
  chunkedStream,
  collectList,
  collectPrefixes,
  inParallel,
  randomBuffer,
  sha256,
  utf8Sorted,
} from './helpers';

export interface ConformanceSubject {
  /** A store that is empty and private to the caller (e.g. a fresh temp dir or a unique S3 prefix). */
  store: ObjectStore;
  dispose?: () => Promise<void>;
}

export const INVALID_KEYS: string[] = [
  '',
  '/abs/path',
  '../x',
  'a/../../x',
  'a/./b',
  '.',
  '..',
  'a//b',
  'a/',
  'a\\b',
  '..\\x',
  'a\0b',
  'a\nb',
  'C:/windows',
  '.lookalike-tmp-123',
  'x'.repeat(1025),
  `a/${'y'.repeat(256)}`,
];

const MB = 1024 * 1024;

/**
 * One behaviour suite for every `ObjectStore` backend: run it unchanged with a factory that gives
 * each test a fresh, empty, private store.
 */
export function describeObjectStoreConformance(
  name: string,
  factory: () => Promise<ConformanceSubject>,
): void {
  describe(`ObjectStore conformance: ${name}`, () => {
    let subject: ConformanceSubject;
    let store: ObjectStore;

    beforeEach(async () => {
      subject = await factory();
      store = subject.store;
    });

    afterEach(async () => {
      await store.close();
      await subject.dispose?.();
    });

    it('round-trips Buffer and Uint8Array bodies byte for byte', async () => {
      const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await store.put('bytes/all.bin', all);
      expect((await store.get('bytes/all.bin')).equals(all)).toBe(true);

      // A Uint8Array view into a bigger buffer: only the view's bytes may be stored.
      const backing = new Uint8Array(100).map((_, i) => i);
      await store.put('bytes/view.bin', backing.subarray(10, 20));
      expect([...(await store.get('bytes/view.bin'))]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);

      const random = randomBuffer(MB + 7);
      await store.put('bytes/random.bin', random);
      expect(sha256(await store.get('bytes/random.bin'))).toBe(sha256(random));

      const text = Buffer.from('line1\r\nline2\n\0\u00e9\u{1f600}', 'utf8');
      await store.put('bytes/text.bin', text);
      expect((await store.get('bytes/text.bin')).equals(text)).toBe(true);
    });

    it('stores an empty object', async () => {
      await store.put('empty', Buffer.alloc(0));
      expect((await store.get('empty')).length).toBe(0);
      expect((await store.head('empty'))?.size).toBe(0);
      expect(await store.exists('empty')).toBe(true);
    });

    it('round-trips stream bodies and reads back as a stream', async () => {
      const data = randomBuffer(300 * 1024 + 3);
      await store.put('streams/a.bin', chunkedStream(data, 10_000));
      expect((await store.get('streams/a.bin')).equals(data)).toBe(true);
      const stream = await store.getStream('streams/a.bin');
      expect((await readableToBuffer(stream)).equals(data)).toBe(true);

      await store.put('streams/empty.bin', Readable.from([]));
      expect((await store.get('streams/empty.bin')).length).toBe(0);
    });

    it('overwrites an object with new, shorter bytes', async () => {
      await store.put('over/x', Buffer.from('a long first version'));
      await store.put('over/x', Buffer.from('short'));
      expect((await store.get('over/x')).toString()).toBe('short');
      expect((await store.head('over/x'))?.size).toBe(5);
      expect((await collectList(store, 'over/')).map((e) => e.key)).toEqual(['over/x']);
    });

    it('heads and checks existence', async () => {
      expect(await store.head('h/missing')).toBeUndefined();
      expect(await store.exists('h/missing')).toBe(false);
      const before = Date.now();
      await store.put('h/x.bin', Buffer.alloc(1234, 7), { contentType: 'application/octet-stream' });
      const head = await store.head('h/x.bin');
      expect(head?.size).toBe(1234);
      expect(head?.lastModified).toBeInstanceOf(Date);
      expect(Math.abs(head!.lastModified!.getTime() - before)).toBeLessThan(60_000);
      expect(await store.exists('h/x.bin')).toBe(true);
      // A "directory" is not an object.
      expect(await store.exists('h')).toBe(false);
      expect(await store.head('h')).toBeUndefined();
    });

    it('throws ObjectNotFoundError for a missing key', async () => {
      await expect(store.get('nope/x')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.get('nope/x')).rejects.toMatchObject({ key: 'nope/x' });
      await expect(store.getStream('nope/x')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.getRange('nope/x', 0, 10)).rejects.toBeInstanceOf(ObjectNotFoundError);
      await store.put('nope/dir/y', Buffer.from('y'));
      await expect(store.get('nope/dir')).rejects.toBeInstanceOf(ObjectNotFoundError);
    });

    it('reads byte ranges', async () => {
      const data = randomBuffer(10_000);
      await store.put('range.bin', data);
      expect((await store.getRange('range.bin', 0, 9)).equals(data.subarray(0, 10))).toBe(true);
      expect((await store.getRange('range.bin', 1234, 5678)).equals(data.subarray(1234, 5679))).toBe(true);
      expect((await store.getRange('range.bin', 9999, 9999)).equals(data.subarray(9999))).toBe(true);
      // An end past the object is clipped to it.
      expect((await store.getRange('range.bin', 9990, 20_000)).equals(data.subarray(9990))).toBe(true);
      await expect(store.getRange('range.bin', 10_000, 10_010)).rejects.toBeInstanceOf(InvalidRangeError);
      await expect(store.getRange('range.bin', 20, 10)).rejects.toBeInstanceOf(InvalidRangeError);
      await expect(store.getRange('range.bin', -1, 10)).rejects.toThrow(RangeError);
    });

    it('moves objects over 5 MB through the streaming (multipart) path intact', async () => {
      const data = randomBuffer(12 * MB + 12345);
      await store.put('big/stream.bin', chunkedStream(data), { contentType: 'application/octet-stream' });
      expect((await store.head('big/stream.bin'))?.size).toBe(data.length);
      expect(sha256(await store.get('big/stream.bin'))).toBe(sha256(data));
      expect(sha256(await readableToBuffer(await store.getStream('big/stream.bin')))).toBe(sha256(data));
      // A range that crosses the 5 MiB and 8 MiB part boundaries.
      const start = 5 * MB - 100;
      const end = 8 * MB + 100;
      expect((await store.getRange('big/stream.bin', start, end)).equals(data.subarray(start, end + 1))).toBe(
        true,
      );

      // A big in-memory buffer takes the multipart path too.
      await store.put('big/buffer.bin', data);
      expect(sha256(await store.get('big/buffer.bin'))).toBe(sha256(data));
    });

    it('rejects invalid keys in every operation, before any I/O', async () => {
      for (const key of INVALID_KEYS) {
        await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.get(key)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.getStream(key)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.getRange(key, 0, 1)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.head(key)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.exists(key)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.delete(key)).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.deleteMany(['fine', key])).rejects.toBeInstanceOf(InvalidKeyError);
      }
      for (const prefix of ['/abs', '../', 'a/../', 'a\\', 'a\0']) {
        await expect(collectList(store, prefix)).rejects.toBeInstanceOf(InvalidKeyError);
      }
      expect(await collectList(store, '')).toEqual([]);
    });

    it('deletes single objects and ignores missing ones', async () => {
      await store.put('del/a', Buffer.from('a'));
      await store.put('del/b', Buffer.from('b'));
      await store.delete('del/a');
      await store.delete('del/a');
      await store.deleteMany(['del/missing', 'del/b', 'del/b']);
      expect(await collectList(store, 'del/')).toEqual([]);
      await store.deleteMany([]);
    });

    it('round-trips JSON', async () => {
      const value = { rebuildId: 'r1', shards: [1, 2, 3], nested: { ok: true, text: 'é' } };
      await putJson(store, 'json/v.json', value);
      expect(await getJson(store, 'json/v.json')).toEqual(value);
      expect(await getJsonIfExists(store, 'json/missing.json')).toBeUndefined();
      const parsed = await getJson(store, 'json/v.json', (v) => (v as { shards: number[] }).shards.length);
      expect(parsed).toBe(3);
      await store.put('json/bad.json', Buffer.from('{nope'));
      await expect(getJson(store, 'json/bad.json')).rejects.toThrow(/not valid JSON/);
    });

    it('never lets a reader see a torn object while writers race on one key', async () => {
      // S3 replaces an object whole; the filesystem store renames a temporary file over it, and our s3rver is
      // patched to do the same (patches/s3rver@3.7.1.patch: it wrote in place, so a GET could read half a PUT).
      const size = MB;
      const versions = Array.from({ length: 4 }, (_, i) => Buffer.alloc(size + i * 4096, i + 1));
      await store.put('race/key.bin', versions[0]!);
      let writing = true;
      let reads = 0;
      const reader = (async () => {
        while (writing) {
          const got = await store.get('race/key.bin');
          reads++;
          if (!versions.some((v) => v.equals(got)))
            throw new Error(`partial or mixed read of ${got.length} bytes`);
        }
      })();
      const writer = async (w: number) => {
        for (let round = 0; round < 4; round++) {
          const body = versions[(w + round) % versions.length]!;
          // Half of the writes stream in two chunks, to make a torn write likely if replacing were not atomic.
          await store.put(
            'race/key.bin',
            round % 2 ? Readable.from([body.subarray(0, size / 2), body.subarray(size / 2)]) : body,
          );
        }
      };
      await Promise.all(Array.from({ length: 4 }, (_, w) => writer(w)));
      writing = false;
      await reader;
      expect(reads).toBeGreaterThan(0);
      const final = await store.get('race/key.bin');
      expect(versions.some((v) => v.equals(final))).toBe(true);
      expect((await collectList(store, 'race/')).map((e) => e.key)).toEqual(['race/key.bin']);
    });

    it('survives duplicated concurrent writes of identical bytes (idempotent jobs)', async () => {
      const body = randomBuffer(512 * 1024);
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => store.put('race/key', i % 2 ? chunkedStream(body) : body)),
      );
      expect(sha256(await store.get('race/key'))).toBe(sha256(body));
      expect(await collectList(store, 'race/')).toEqual([{ key: 'race/key', size: body.length }]);
    });

    it('lists in UTF-8 byte order across directory boundaries', async () => {
      const keys = [
        'd/1-dash', // '-' < '.' < '/' < '0': a sibling may sort before or after a directory's contents
        'd/1.dot',
        'd/1/x',
        'd/1/y/z',
        'd/10x',
        'd/0a',
        'd/0/0',
        'm/man',
        'm/many/x',
        'm/many-other/x',
        'm/many.txt',
        'm/manz',
        'u/z',
        'u/\u00e9',
        'u/\uff21', // UTF-8 EF BC A1: before the emoji, although UTF-16 order says after
        'u/\u{1f600}',
        'u/a b',
        'u/a+b',
      ];
      await inParallel(keys, 8, (key) => store.put(key, Buffer.from(key)));
      expect((await collectList(store, '')).map((e) => e.key)).toEqual(utf8Sorted(keys));
      expect((await collectList(store, 'd/1')).map((e) => e.key)).toEqual([
        'd/1-dash',
        'd/1.dot',
        'd/1/x',
        'd/1/y/z',
        'd/10x',
      ]);
      expect((await collectList(store, 'd/1/')).map((e) => e.key)).toEqual(['d/1/x', 'd/1/y/z']);
      expect((await collectList(store, 'm/many')).map((e) => e.key)).toEqual([
        'm/many-other/x',
        'm/many.txt',
        'm/many/x',
      ]);
      expect((await collectList(store, 'u/')).map((e) => e.key).slice(-2)).toEqual([
        'u/\uff21',
        'u/\u{1f600}',
      ]);
    });

    // Every prefix listed holds an object right below it: s3rver 3.7.1 prunes the folders below a common
    // prefix before it has seen their objects, so there 'a/' is found through 'a/x', not through 'a/b/x' alone.
    it("lists the next '/'-level of prefixes, in UTF-8 byte order, each once", async () => {
      const keys = [
        'd/1-dash',
        'd/1/x',
        'd/1/y/z',
        'd/0/0',
        'm/many/x',
        'm/many-other/x',
        'm/many.txt',
        'top',
      ];
      await inParallel(keys, 8, (key) => store.put(key, Buffer.from(key)));
      expect(await collectPrefixes(store, '')).toEqual(['d/', 'm/']);
      expect(await collectPrefixes(store, 'd/')).toEqual(['d/0/', 'd/1/']);
      expect(await collectPrefixes(store, 'd/1/')).toEqual(['d/1/y/']);
      expect(await collectPrefixes(store, 'm/many')).toEqual(['m/many-other/', 'm/many/']);
      expect(await collectPrefixes(store, 'd/1/y/')).toEqual([]);
      expect(await collectPrefixes(store, 'nothing/')).toEqual([]);
      // A prefix exists through its objects only (the filesystem store keeps the emptied folder).
      await store.delete('d/0/0');
      expect(await collectPrefixes(store, 'd/')).toEqual(['d/1/']);
      await expect(collectPrefixes(store, '../')).rejects.toBeInstanceOf(InvalidKeyError);
    });

    describe('with more than 1,000 keys', () => {
      // Nested one level, with no sibling of a directory that sorts inside it, so that pages break
      // the same way on every server (s3rver pages in its directory-walk order; see the report).
      let many: ConformanceSubject;
      const inside: string[] = [];
      for (let i = 0; i < 1205; i++) inside.push(`bulk/${i % 5}/${i}`);
      const outside = ['bul', 'bulkz', 'other/bulk/x'];

      beforeAll(async () => {
        many = await factory();
        // Written in a scrambled order: listing must sort.
        const scrambled = [...inside, ...outside].sort((a, b) =>
          sha256(Buffer.from(a)) < sha256(Buffer.from(b)) ? -1 : 1,
        );
        await inParallel(scrambled, 32, (key) => many.store.put(key, Buffer.from(key)));
      });

      afterAll(async () => {
        await many.store.close();
        await many.dispose?.();
      });

      it('lists every key under a prefix once, sorted, across pages', async () => {
        const listed = await collectList(many.store, 'bulk/');
        expect(listed.map((e) => e.key)).toEqual(utf8Sorted(inside));
        expect(listed.every((e) => e.size === Buffer.byteLength(e.key))).toBe(true);
        expect(new Set(listed.map((e) => e.key)).size).toBe(inside.length);
      });

      it('filters by prefix', async () => {
        expect((await collectList(many.store, 'bulk/1/')).map((e) => e.key)).toEqual(
          utf8Sorted(inside.filter((k) => k.startsWith('bulk/1/'))),
        );
        expect((await collectList(many.store, 'bulk/3/12')).map((e) => e.key)).toEqual(
          utf8Sorted(inside.filter((k) => k.startsWith('bulk/3/12'))),
        );
        expect((await collectList(many.store, 'bul')).map((e) => e.key)).toEqual(
          utf8Sorted([...inside, 'bul', 'bulkz']),
        );
        expect((await collectList(many.store, '')).map((e) => e.key)).toEqual(
          utf8Sorted([...inside, ...outside]),
        );
        expect(await collectList(many.store, 'bulk/9/')).toEqual([]);
        expect(await collectList(many.store, 'nothing-here/')).toEqual([]);
      });

      it('lists the prefixes above more than 1,000 keys once each', async () => {
        expect(await collectPrefixes(many.store, 'bulk/')).toEqual([
          'bulk/0/',
          'bulk/1/',
          'bulk/2/',
          'bulk/3/',
          'bulk/4/',
        ]);
      });

      it('deletes more than 1,000 keys in one call', async () => {
        await many.store.deleteMany([...inside, 'bulk/never-existed']);
        expect(await collectList(many.store, 'bulk/')).toEqual([]);
        expect((await collectList(many.store, '')).map((e) => e.key)).toEqual(utf8Sorted(outside));
      });
    });
  });
}
