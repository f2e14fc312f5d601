import {
  FlatInnerProductIndex,
  allNeighbours,
  allNeighboursAsync,
  bruteForceNeighbours,
  type KnnResult,
  type NeighbourSearchable,
} from '../src';
import { randomUnitVectors, rng } from './helpers';

describe('allNeighbours on random unit vectors', () => {
  const N = 2500;
  const D = 64;
  const K = 21;
  const vectors = randomUnitVectors(N, D, 2024);
  let index: FlatInnerProductIndex;
  beforeAll(() => {
    index = FlatInnerProductIndex.build(vectors, D);
  });
  afterAll(() => index.dispose());

  it('equals a brute-force JS reference: identical ids, scores within 1e-5', () => {
    const got = allNeighbours(index, 0, N, K);
    const ref = bruteForceNeighbours(vectors, D, 0, N, K);
    expect(got.firstRow).toBe(0);
    expect(got.rows).toBe(N);
    expect(got.k).toBe(K);
    expect(Buffer.from(got.ids.buffer).equals(Buffer.from(ref.ids.buffer))).toBe(true);
    let worst = 0;
    for (let i = 0; i < ref.scores.length; i++)
      worst = Math.max(worst, Math.abs(got.scores[i]! - ref.scores[i]!));
    expect(worst).toBeLessThan(1e-5);
    let selfListed = 0;
    for (let r = 0; r < N; r++) for (let j = 0; j < K; j++) if (got.ids[r * K + j] === r) selfListed++;
    expect(selfListed).toBe(0);
  });

  it('a row range equals the same rows of the full table, sync and async, any chunking', async () => {
    const full = allNeighbours(index, 0, N, K, { chunkRows: 1000 });
    const part = allNeighbours(index, 1111, 1777, K, { chunkRows: 97 });
    const partAsync = await allNeighboursAsync(index, 1111, 1777, K);
    expect(part.firstRow).toBe(1111);
    expect(part.rows).toBe(666);
    const want = Array.from(full.ids.subarray(1111 * K, 1777 * K));
    expect(Array.from(part.ids)).toEqual(want);
    expect(Array.from(partAsync.ids)).toEqual(want);
  });

  it('validates k and the row range', () => {
    expect(() => allNeighbours(index, 0, 10, 0)).toThrow(/positive integer/);
    expect(() => allNeighbours(index, 0, 10, N)).toThrow(/exceeds/);
    expect(() => allNeighbours(index, 5, N + 1, 3)).toThrow(/row range/);
    expect(() => allNeighbours(index, 0, 10, 3, { extra: 0 })).toThrow(/extra/);
  });
});

describe('allNeighbours tie-breaking', () => {
  // Components in {-0.5, 0, 0.5}: every inner product is exact in float32 whatever the summation
  // order, so duplicated rows tie exactly in FAISS (BLAS and non-BLAS paths) and in the reference.
  const D = 8;
  function tiedVectors(seed: number): { vectors: Float32Array; n: number } {
    const rand = rng(seed);
    const bases: Float32Array[] = [];
    for (let b = 0; b < 60; b++) {
      const v = new Float32Array(D);
      for (let j = 0; j < D; j++) v[j] = (Math.floor(rand() * 3) - 1) * 0.5;
      bases.push(v);
    }
    // duplicate groups of 1..14 copies, rows shuffled so tied ids are interleaved
    const rows: Float32Array[] = [];
    bases.forEach((v, i) => {
      for (let c = 0; c <= i % 14; c++) rows.push(v);
    });
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    const vectors = new Float32Array(rows.length * D);
    rows.forEach((v, i) => vectors.set(v, i * D));
    return { vectors, n: rows.length };
  }

  it.each([
    [5, 1],
    [5, 3],
    [12, 1],
  ])('k=%i extra=%i: ids and scores equal the (score desc, id asc) reference exactly', async (k, extra) => {
    const { vectors, n } = tiedVectors(99);
    const index = FlatInnerProductIndex.build(vectors, D);
    const ref = bruteForceNeighbours(vectors, D, 0, n, k);
    const got = allNeighbours(index, 0, n, k, { extra });
    expect(Array.from(got.ids)).toEqual(Array.from(ref.ids));
    expect(Array.from(got.scores)).toEqual(Array.from(ref.scores));
    const gotAsync = await allNeighboursAsync(index, 100, 300, k, { extra, chunkRows: 64 });
    expect(Array.from(gotAsync.ids)).toEqual(Array.from(ref.ids.subarray(100 * k, 300 * k)));
    index.dispose();
  });

  it('re-searches tied rows with a wider k until the boundary is decided', () => {
    const { vectors, n } = tiedVectors(7);
    const index = FlatInnerProductIndex.build(vectors, D);
    const calls: Array<{ kind: string; k: number; rows: number }> = [];
    const spy: NeighbourSearchable = {
      get ntotal() {
        return index.ntotal;
      },
      searchRows: (s: number, e: number, k: number): KnnResult => {
        calls.push({ kind: 'rows', k, rows: e - s });
        return index.searchRows(s, e, k);
      },
      search: (q: Float32Array, k: number): KnnResult => {
        calls.push({ kind: 'queries', k, rows: q.length / D });
        return index.search(q, k);
      },
      searchRowsAsync: (s, e, k) => index.searchRowsAsync(s, e, k),
      searchAsync: (q, k) => index.searchAsync(q, k),
      reconstruct: (s, e) => index.reconstruct(s, e),
    };
    const got = allNeighbours(spy, 0, n, 3, { extra: 1 });
    const ref = bruteForceNeighbours(vectors, D, 0, n, 3);
    expect(Array.from(got.ids)).toEqual(Array.from(ref.ids));
    expect(calls[0]).toEqual({ kind: 'rows', k: 5, rows: n });
    const retries = calls.slice(1);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((c) => c.kind === 'queries')).toBe(true);
    expect(retries.map((c) => c.k)).toEqual(retries.map((_, i) => Math.min(n, 5 * 2 ** (i + 1))));
    index.dispose();
  });

  it('handles an index where every vector is identical (k searched grows to ntotal)', () => {
    const n = 50;
    const vectors = new Float32Array(n * D).fill(0.25);
    const index = FlatInnerProductIndex.build(vectors, D);
    const got = allNeighbours(index, 0, n, 4, { extra: 1, maxResultsPerSearch: 200 });
    for (let r = 0; r < n; r++) {
      const want = [0, 1, 2, 3, 4].filter((id) => id !== r).slice(0, 4);
      expect(Array.from(got.ids.subarray(r * 4, r * 4 + 4))).toEqual(want);
    }
    index.dispose();
  });

  it('works when k + 1 + extra exceeds ntotal', () => {
    const vectors = randomUnitVectors(6, 4, 1);
    const index = FlatInnerProductIndex.build(vectors, 4);
    const got = allNeighbours(index, 0, 6, 5);
    const ref = bruteForceNeighbours(vectors, 4, 0, 6, 5);
    expect(Array.from(got.ids)).toEqual(Array.from(ref.ids));
    index.dispose();
  });
});
