import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Rng } from '@lookalike/core';
import { VectorShardError } from './errors';
import { FsObjectStore } from './fs-object-store';
import type { ObjectStore } from './object-store';
import { readVectorShardHeaders, readVectorShardRows, readVectorShards } from './shard-reader';
import { decodeVectorShard, encodeVectorShard, type VectorShard } from './vector-shard';

const DIM = 5;
const ROW_BYTES = DIM * 4;

function shard(rows: number, seed: number, dim = DIM): VectorShard {
  const r = new Rng(seed);
  return {
    ids: Array.from({ length: rows }, (_, i) => `a${seed}-${i}`),
    dim,
    vectors: Float32Array.from({ length: rows * dim }, () => r.float() * 2 - 1),
  };
}

/** The store, counting its calls and the reads in flight. */
function counted(store: ObjectStore) {
  const calls = { get: 0, getRange: 0, inFlight: 0, maxInFlight: 0 };
  const track = async <T>(p: () => Promise<T>): Promise<T> => {
    calls.inFlight += 1;
    calls.maxInFlight = Math.max(calls.maxInFlight, calls.inFlight);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2));
      return await p();
    } finally {
      calls.inFlight -= 1;
    }
  };
  const wrapped: ObjectStore = Object.create(store) as ObjectStore;
  wrapped.get = (key) => {
    calls.get += 1;
    return track(() => store.get(key));
  };
  wrapped.getRange = (key, start, end) => {
    calls.getRange += 1;
    return track(() => store.getRange(key, start, end));
  };
  return { store: wrapped, calls };
}

describe('shard reader', () => {
  let dir: string;
  let store: FsObjectStore;
  const shards = [shard(40, 1), shard(0, 2), shard(7, 3), shard(25, 4)];
  const keys = shards.map((_, i) => `shards/${i}.vec`);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shard-reader-'));
    store = new FsObjectStore({ root: dir });
    await Promise.all(shards.map((s, i) => store.put(keys[i]!, encodeVectorShard(s))));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads every shard, a bounded number at a time, in key order', async () => {
    const { store: s, calls } = counted(store);
    const progress: number[] = [];
    const read = await readVectorShards(s, keys, {
      concurrency: 2,
      onProgress: (done, total) => progress.push(done * 10 + total),
    });
    expect(read).toEqual(shards);
    expect(calls.get).toBe(4);
    expect(calls.maxInFlight).toBe(2);
    expect(progress).toEqual([14, 24, 34, 44]);
  });

  it('reads headers with a ranged read of 32 bytes each', async () => {
    const { store: s, calls } = counted(store);
    const headers = await readVectorShardHeaders(s, keys);
    expect(headers.map((h) => [h.count, h.dim])).toEqual([
      [40, DIM],
      [0, DIM],
      [7, DIM],
      [25, DIM],
    ]);
    expect(calls).toMatchObject({ get: 0, getRange: 4 });
  });

  it("reads only the wanted rows' bytes, adjacent rows in one read, in the order given", async () => {
    const headers = await readVectorShardHeaders(store, keys);
    const rows = [[0, 1, 2, 10, 39], [], [3], [5, 6, 20]];
    const { store: s, calls } = counted(store);
    const got = await readVectorShardRows(s, keys, headers, rows, { maxGapBytes: 0, concurrency: 3 });
    const expected = rows.flatMap((wanted, i) =>
      wanted.flatMap((r) => Array.from(shards[i]!.vectors.subarray(r * DIM, (r + 1) * DIM))),
    );
    expect(got.dim).toBe(DIM);
    expect(Array.from(got.vectors)).toEqual(expected);
    expect(got.reads).toBe(6); // 0-2, 10, 39, 3, 5-6, 20
    expect(got.bytesRead).toBe(9 * ROW_BYTES);
    expect(calls).toMatchObject({ get: 0, getRange: 6 });
    expect(calls.maxInFlight).toBeLessThanOrEqual(3);
  });

  it('reads through small gaps, never more than maxReadBytes at once', async () => {
    const headers = await readVectorShardHeaders(store, keys);
    const rows = [[0, 2, 4, 6, 8, 30], [], [], []];
    const through = await readVectorShardRows(store, keys, headers, rows, { maxGapBytes: ROW_BYTES });
    expect(through.reads).toBe(2); // 0..8 and 30
    expect(through.bytesRead).toBe(10 * ROW_BYTES);
    const capped = await readVectorShardRows(store, keys, headers, rows, {
      maxGapBytes: ROW_BYTES,
      maxReadBytes: 5 * ROW_BYTES,
    });
    expect(capped.reads).toBe(3); // 0..4, 6..8, 30
    const expected = rows[0]!.flatMap((r) => Array.from(shards[0]!.vectors.subarray(r * DIM, (r + 1) * DIM)));
    expect(Array.from(through.vectors)).toEqual(expected);
    expect(Array.from(capped.vectors)).toEqual(expected);
  });

  it('gives the rows a whole-shard read gives, for many samples', async () => {
    const headers = await readVectorShardHeaders(store, keys);
    const whole = await readVectorShards(store, keys);
    const r = new Rng(9);
    for (let trial = 0; trial < 20; trial++) {
      const rows = headers.map((h) =>
        Array.from({ length: h.count }, (_, i) => i).filter(() => r.float() < 0.4),
      );
      const got = await readVectorShardRows(store, keys, headers, rows, {
        maxGapBytes: Math.floor(r.float() * 4) * ROW_BYTES,
        maxReadBytes: (1 + Math.floor(r.float() * 6)) * ROW_BYTES,
      });
      const expected = rows.flatMap((wanted, i) =>
        wanted.flatMap((row) => Array.from(whole[i]!.vectors.subarray(row * DIM, (row + 1) * DIM))),
      );
      expect(Array.from(got.vectors)).toEqual(expected);
    }
  });

  it('refuses rows out of order or range, shards of another dim, and a shard shorter than its header', async () => {
    const headers = await readVectorShardHeaders(store, keys);
    await expect(readVectorShardRows(store, keys, headers, [[3, 2], [], [], []])).rejects.toThrow(/ascend/);
    await expect(readVectorShardRows(store, keys, headers, [[40], [], [], []])).rejects.toThrow(RangeError);
    await expect(readVectorShardRows(store, keys, headers, [[1], []])).rejects.toThrow(RangeError);

    const odd = [...keys, 'shards/wide.vec'];
    await store.put('shards/wide.vec', encodeVectorShard(shard(3, 5, DIM + 1)));
    const oddHeaders = await readVectorShardHeaders(store, odd);
    await expect(readVectorShardRows(store, odd, oddHeaders, [[0], [], [], [], [0]])).rejects.toThrow(
      /dim 6, expected 5/,
    );

    const bytes = encodeVectorShard(shard(10, 6));
    await store.put('shards/cut.vec', bytes.subarray(0, bytes.length - 4 - 3 * ROW_BYTES));
    const [cut] = await readVectorShardHeaders(store, ['shards/cut.vec']);
    const error = await readVectorShardRows(store, ['shards/cut.vec'], [cut!], [[5, 8]]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(VectorShardError);
    expect((error as VectorShardError).code).toBe('TRUNCATED');
    // The same object read whole fails its checksum, as before.
    expect(() => decodeVectorShard(bytes.subarray(0, bytes.length - 1))).toThrow(VectorShardError);
  });
});
