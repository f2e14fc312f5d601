import { join } from 'node:path';
import {
  compareWithBruteForce,
  FlatInnerProductIndex,
  allNeighbours,
  runBlasProbe,
  runBlasSelfCheck,
} from '../src';
import { randomUnitVectors } from './helpers';

// These run FAISS with this process's own BLAS settings (the machine's); nothing here changes
// OPENBLAS_CORETYPE, in this process or in the probe child.

describe('BLAS self-check', () => {
  it('passes with the kernels this process uses', () => {
    const r = runBlasSelfCheck({ rows: 301, dim: 64 });
    expect(r).toMatchObject({ ok: true, rows: 301, dim: 64, k: 10, badRows: 0 });
    expect(r.maxScoreDiff).toBeLessThan(1e-5);
  });

  it('catches wrong scores and wrong ids, and lets tied ids swap', () => {
    const dim = 32;
    const vectors = randomUnitVectors(200, dim, 7);
    const index = FlatInnerProductIndex.build(vectors, dim);
    const table = allNeighbours(index, 0, 200, 5);
    index.dispose();
    expect(compareWithBruteForce(vectors, dim, table, 1e-5).badRows).toBe(0);

    const scores = table.scores.slice();
    scores[3 * 5 + 2]! += 1e-3; // a kernel that computes one dot product wrong
    expect(compareWithBruteForce(vectors, dim, { ...table, scores }, 1e-5)).toMatchObject({ badRows: 1 });

    const ids = table.ids.slice();
    ids[10 * 5] = ids[10 * 5 + 4]!; // right score, wrong id
    expect(compareWithBruteForce(vectors, dim, { ...table, ids }, 1e-5).badRows).toBe(1);

    const nan = table.scores.slice();
    nan[0] = Number.NaN;
    expect(compareWithBruteForce(vectors, dim, { ...table, scores: nan }, 1e-5).maxScoreDiff).toBe(
      Number.POSITIVE_INFINITY,
    );

    // Row 0's nearest neighbour copied into another row: the two tie for row 0; either order passes.
    const nearest = table.ids[0]!;
    const copy = nearest === 199 ? 198 : 199;
    const twin = new Float32Array(vectors);
    twin.set(vectors.subarray(nearest * dim, (nearest + 1) * dim), copy * dim);
    const tIndex = FlatInnerProductIndex.build(twin, dim);
    const tTable = allNeighbours(tIndex, 0, 200, 5);
    tIndex.dispose();
    expect([...tTable.ids.subarray(0, 2)].sort()).toEqual([nearest, copy].sort());
    const swapped = tTable.ids.slice();
    [swapped[0], swapped[1]] = [swapped[1]!, swapped[0]!];
    expect(compareWithBruteForce(twin, dim, { ...tTable, ids: swapped }, 1e-5).badRows).toBe(0);
  });

  it('a probe child reports the core OpenBLAS uses here and its self-check', async () => {
    const r = await runBlasProbe({
      coretype: process.env.OPENBLAS_CORETYPE || undefined, // the machine's own setting
      childScript: join(__dirname, 'ts-probe-child.js'),
    });
    expect(r.error).toBeUndefined();
    expect(r.core).toMatch(/^[A-Za-z][A-Za-z0-9_]+$/);
    expect(r.selfCheck).toMatchObject({ ok: true, rows: 487, dim: 256, badRows: 0 });
    if (process.env.OPENBLAS_CORETYPE)
      expect(r.core!.toLowerCase()).toBe(process.env.OPENBLAS_CORETYPE.toLowerCase());
  });

  it('a probe child that fails says how', async () => {
    const r = await runBlasProbe({
      coretype: process.env.OPENBLAS_CORETYPE || undefined,
      childScript: join(__dirname, 'missing.js'),
    });
    expect(r.selfCheck).toBeUndefined();
    expect(r.error).toMatch(/exited with 1: .*Cannot find module/);
  });
});
