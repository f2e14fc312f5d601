import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { types } from 'node:util';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import {
  AnnFormatError,
  AnnInputError,
  AnnNativeError,
  FlatInnerProductIndex,
  bruteForceNeighbours,
  getFaissThreads,
  loadFaiss,
  setFaissThreads,
} from '../src';
import { randomUnitVectors } from './helpers';

const N = 2000;
const D = 64;
const K = 10;
const vectors = randomUnitVectors(N, D, 42);

/** Exact inner products of each query row with every vector (float64), best first, ties by id. */
function bruteSearch(queries: Float32Array, k: number): { labels: Int32Array; distances: Float32Array } {
  const rows = queries.length / D;
  const labels = new Int32Array(rows * k);
  const distances = new Float32Array(rows * k);
  for (let q = 0; q < rows; q++) {
    const all: Array<[number, number]> = [];
    for (let c = 0; c < N; c++) {
      let dot = 0;
      for (let j = 0; j < D; j++) dot += queries[q * D + j]! * vectors[c * D + j]!;
      all.push([dot, c]);
    }
    all.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let j = 0; j < k; j++) {
      labels[q * k + j] = all[j]![1];
      distances[q * k + j] = all[j]![0];
    }
  }
  return { labels, distances };
}

describe('FlatInnerProductIndex', () => {
  let index: FlatInnerProductIndex;
  beforeAll(() => {
    index = FlatInnerProductIndex.build(vectors, D);
  });
  afterAll(() => index.dispose());

  it('builds with the right shape', () => {
    expect(index.ntotal).toBe(N);
    expect(index.dim).toBe(D);
  });

  it('search matches a brute-force reference (ids identical, scores within 1e-5)', () => {
    const queries = randomUnitVectors(50, D, 7);
    const res = index.search(queries, K);
    expect(res.rows).toBe(50);
    // native arrays come from the main realm, so check with util.types rather than instanceof (jest sandbox)
    expect(types.isFloat32Array(res.distances)).toBe(true);
    expect(types.isInt32Array(res.labels)).toBe(true);
    const ref = bruteSearch(queries, K);
    expect(Array.from(res.labels)).toEqual(Array.from(ref.labels));
    for (let i = 0; i < ref.distances.length; i++) {
      expect(Math.abs(res.distances[i]! - ref.distances[i]!)).toBeLessThan(1e-5);
    }
  });

  it('searchRows(start, end) equals the same rows of a full search', () => {
    const full = index.searchRows(0, N, K);
    const part = index.searchRows(700, 1300, K);
    expect(part.rows).toBe(600);
    expect(Array.from(part.labels)).toEqual(Array.from(full.labels.subarray(700 * K, 1300 * K)));
    const fullScores = full.distances.subarray(700 * K, 1300 * K);
    part.distances.forEach((s, i) => expect(Math.abs(s - fullScores[i]!)).toBeLessThan(1e-5));
    // ... and equals searching those rows passed in as queries.
    const byQuery = index.search(vectors.slice(700 * D, 1300 * D), K);
    expect(Array.from(byQuery.labels)).toEqual(Array.from(part.labels));
  });

  it('honours a subarray byteOffset (sync and async)', async () => {
    const start = 1234;
    const rows = 25;
    const sub = vectors.subarray(start * D, (start + rows) * D);
    expect(sub.byteOffset).toBe(start * D * 4);
    const copy = index.search(vectors.slice(start * D, (start + rows) * D), 3);
    const viaSub = index.search(sub, 3);
    expect(Array.from(viaSub.labels)).toEqual(Array.from(copy.labels));
    for (let r = 0; r < rows; r++) expect(viaSub.labels[r * 3]).toBe(start + r); // each row finds itself first
    const viaSubAsync = await index.searchAsync(sub, 3);
    expect(Array.from(viaSubAsync.labels)).toEqual(Array.from(copy.labels));
    // an index built from a subarray holds exactly those rows
    const small = FlatInnerProductIndex.build(sub, D);
    expect(small.ntotal).toBe(rows);
    expect(Array.from(small.reconstruct(0, 1))).toEqual(
      Array.from(vectors.subarray(start * D, (start + 1) * D)),
    );
    small.dispose();
  });

  it('async searches match sync ones and block mutation while pending', async () => {
    const pending = index.searchRowsAsync(0, N, K);
    expect(() => index.add(randomUnitVectors(1, D, 1))).toThrow(AnnNativeError);
    const [rows, sync] = [await pending, index.searchRows(0, N, K)];
    expect(Array.from(rows.labels)).toEqual(Array.from(sync.labels));
    expect(index.ntotal).toBe(N);
  });

  it('toBuffer/fromBuffer round trip gives identical results', () => {
    const buf = index.toBuffer();
    const copy = FlatInnerProductIndex.fromBuffer(buf);
    expect(copy.ntotal).toBe(N);
    expect(copy.dim).toBe(D);
    const a = index.searchRows(0, 300, K);
    const b = copy.searchRows(0, 300, K);
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.distances)).toEqual(Array.from(a.distances));
    // a Uint8Array view at an offset works too
    const padded = new Uint8Array(buf.length + 3);
    padded.set(buf, 3);
    const fromView = FlatInnerProductIndex.fromBuffer(padded.subarray(3));
    expect(fromView.ntotal).toBe(N);
    copy.dispose();
    fromView.dispose();
  });

  it('writeFile/readFile round trip gives identical results', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ann-'));
    try {
      const file = path.join(dir, 'index.faiss');
      index.writeFile(file);
      const copy = FlatInnerProductIndex.readFile(file);
      const a = index.searchRows(1500, 2000, K);
      const b = copy.searchRows(1500, 2000, K);
      expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
      expect(Array.from(b.distances)).toEqual(Array.from(a.distances));
      copy.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('toBuffer/fromBuffer do not leak (faiss-node 0.5.1 leaked ~ the index size per call)', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const big = FlatInnerProductIndex.build(randomUnitVectors(32768, 64, 3), 64); // 8 MiB
    const cycle = () => FlatInnerProductIndex.fromBuffer(big.toBuffer()).dispose();
    for (let i = 0; i < 5; i++) cycle();
    gc();
    const before = process.memoryUsage().rss;
    for (let i = 0; i < 30; i++) cycle();
    gc();
    const grown = process.memoryUsage().rss - before;
    big.dispose();
    expect(grown).toBeLessThan(150 * 1024 * 1024); // a leak would be ~30 x 16 MiB
  });

  it('rejects invalid input before native code', () => {
    expect(() => FlatInnerProductIndex.create(0)).toThrow(AnnInputError);
    expect(() => FlatInnerProductIndex.build(new Float32Array(10), 3)).toThrow(
      /not a multiple of the dimension 3/,
    );
    expect(() => index.add(new Float32Array(D + 1))).toThrow(AnnInputError);
    expect(() => index.search(new Float32Array(D * 2 - 1), 1)).toThrow(/not a multiple/);
    expect(() => index.search(randomUnitVectors(1, 32, 1), 1)).toThrow(/not a multiple of the dimension 64/);
    expect(() => index.search(vectors.subarray(0, D), 0)).toThrow(/k must be a positive integer/);
    expect(() => index.search(vectors.subarray(0, D), 1.5)).toThrow(AnnInputError);
    expect(() => index.search(vectors.subarray(0, D), N + 1)).toThrow(/exceeds the 2000 vectors/);
    const nan = vectors.slice(0, 2 * D);
    nan[D + 5] = Number.NaN;
    expect(() => index.search(nan, 1)).toThrow(/non-finite value \(NaN\) at row 1, column 5/);
    const inf = vectors.slice(0, D);
    inf[0] = Infinity;
    expect(() => index.add(inf)).toThrow(/non-finite/);
    expect(() => index.searchRows(10, 5, 1)).toThrow(/row range/);
    expect(() => index.searchRows(0, N + 1, 1)).toThrow(/row range/);
    expect(() => index.search([1, 2] as unknown as Float32Array, 1)).toThrow(/must be a Float32Array/);
    expect(index.ntotal).toBe(N);
  });

  it('rejects serialised data that is not a flat IP index, or is truncated', () => {
    expect(() => FlatInnerProductIndex.fromBuffer(Buffer.from('not an index at all'))).toThrow(
      AnnFormatError,
    );
    const l2 = new (loadFaiss().IndexFlatL2)(4);
    expect(() => FlatInnerProductIndex.fromBuffer(l2.toBuffer())).toThrow(/IxF2/);
    const buf = index.toBuffer();
    // passes the fourcc check, then FAISS itself fails: a JS error, not an abort
    const err = captureError(() => FlatInnerProductIndex.fromBuffer(buf.subarray(0, buf.length - 100)));
    expect(err).toBeInstanceOf(AnnNativeError);
    expect((err as AnnNativeError).code).toBe('ERR_FAISS');
    expect((err as Error).message).toMatch(/read error/);
  });

  it('surfaces FAISS C++ exceptions as JS errors instead of aborting', async () => {
    const faiss = loadFaiss();
    // adding to an untrained IVF index: FAISS throws (faiss-node 0.5.1 aborted the process here)
    const ivf = faiss.Index.fromFactory(8, 'IVF4,Flat', faiss.MetricType.METRIC_INNER_PRODUCT);
    const add = captureError(() => ivf.add(new Float32Array(16)));
    expect(types.isNativeError(add)).toBe(true);
    expect((add as Error & { code?: string }).code).toBe('ERR_FAISS');
    expect((add as Error).message).toMatch(/is_trained/);
    // an unknown factory string
    expect(() => faiss.Index.fromFactory(8, 'NoSuchIndex')).toThrow(/could not parse index string/);
    // errors raised inside FAISS during a search, sync and on the thread pool
    const train = randomUnitVectors(200, 8, 5);
    ivf.train(train);
    ivf.add(train);
    expect(() => ivf.setParam('noSuchParameter', 1)).toThrow(/could not set parameter/);
    ivf.setParam('nprobe', 0);
    expect(() => ivf.search(train.subarray(0, 8), 1)).toThrow(/nprobe > 0/);
    await expect(ivf.searchAsync(train.subarray(0, 8), 1)).rejects.toMatchObject({ code: 'ERR_FAISS' });
    ivf.setParam('nprobe', 2);
    expect(ivf.search(train.subarray(0, 8), 1).labels[0]).toBe(0);
    // IndexIDMap refuses add() without ids
    expect(() => faiss.Index.fromFactory(8, 'IDMap,Flat').add(train)).toThrow(/add_with_ids/);
    // dimension mismatch that reaches the binding: a thrown error, not a crash
    const raw = new faiss.IndexFlatIP(4);
    expect(() => raw.add(new Float32Array(6))).toThrow(/Invalid the given array length/);
    raw.add(new Float32Array([1, 0, 0, 0]));
    expect(() => raw.search(new Float32Array(3), 1)).toThrow(/Invalid the given array length/);
    expect(() => raw.search(new Float32Array(4), 2)).toThrow(/greater than `ntotal`/);
    raw.dispose();
    expect(() => raw.ntotal()).toThrow(/disposed/);
    ivf.dispose();
  });

  it('keeps the original number[] API of faiss-node working', () => {
    const raw = new (loadFaiss().IndexFlatIP)(2);
    raw.add([1, 0, 0, 1, 0.6, 0.8]);
    const res = raw.search([1, 0], 2);
    expect(Array.isArray(res.distances)).toBe(true);
    expect(res.labels).toEqual([0, 2]);
    expect(res.distances[1]).toBeCloseTo(0.6, 6);
  });

  it('dispose frees the index; later calls throw', () => {
    const tmp = FlatInnerProductIndex.build(vectors.subarray(0, 10 * D), D);
    tmp.dispose();
    expect(tmp.disposed).toBe(true);
    expect(() => tmp.ntotal).toThrow(/disposed/);
    expect(() => tmp.search(vectors.subarray(0, D), 1)).toThrow(/disposed/);
    tmp.dispose(); // idempotent
  });

  it('sets the FAISS thread count', () => {
    const before = getFaissThreads();
    setFaissThreads(1);
    expect(getFaissThreads()).toBe(1);
    expect(() => setFaissThreads(0)).toThrow(AnnInputError);
    setFaissThreads(before);
  });

  it('agrees with bruteForceNeighbours on a small table', () => {
    const ref = bruteForceNeighbours(vectors, D, 0, 20, 5);
    const res = index.searchRows(0, 20, 6);
    for (let r = 0; r < 20; r++) {
      expect(Array.from(res.labels.subarray(r * 6 + 1, r * 6 + 6))).toEqual(
        Array.from(ref.ids.subarray(r * 5, r * 5 + 5)),
      );
    }
  });
});

function captureError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}
