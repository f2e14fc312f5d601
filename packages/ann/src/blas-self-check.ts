import { randomFillSync } from 'node:crypto';
import { allNeighbours } from './all-neighbours';
import { bruteForceNeighbours } from './brute-force';
import { FlatInnerProductIndex } from './flat-inner-product-index';
import { l2NormalizeRows } from './l2-normalize';
import type { NeighbourTable } from './neighbour-table';

/** How a FAISS search with this process's BLAS kernels compared with a plain brute force. */
export interface BlasSelfCheckResult {
  ok: boolean;
  rows: number;
  dim: number;
  k: number;
  /** Rows where a rank's score, or the score of the id FAISS returned, is off by more than `tolerance`. */
  badRows: number;
  /** Largest |FAISS score - exact score| over every rank of every row. */
  maxScoreDiff: number;
  tolerance: number;
  ms: number;
}

export interface BlasSelfCheckOptions {
  /** Random vectors (default 487: a few hundred, not a multiple of any kernel's block). */
  rows?: number;
  /** Dimension (default 256, the pipeline's PCA output). */
  dim?: number;
  k?: number;
  /** Allowed score difference (default 1e-5; float32 rounding is ~1e-6 at d = 256). */
  tolerance?: number;
}

/**
 * Searches a few hundred random unit vectors with FAISS (the BLAS path: more than 20 queries at
 * once) and with `bruteForceNeighbours`, and compares them rank by rank. Ties can swap ids, so a
 * row passes when, at every rank, FAISS's score equals the brute-force score and the exact score of
 * the id FAISS returned, both within the tolerance. Loads FAISS (and OpenBLAS) in this process.
 */
export function runBlasSelfCheck(options: BlasSelfCheckOptions = {}): BlasSelfCheckResult {
  const rows = options.rows ?? 487;
  const dim = options.dim ?? 256;
  const k = options.k ?? 10;
  const tolerance = options.tolerance ?? 1e-5;
  const t0 = performance.now();
  const raw = randomFillSync(new Float32Array(rows * dim));
  // Random bits as floats: map each word's integer value into [-0.5, 0.5).
  const words = new Uint32Array(raw.buffer);
  for (let i = 0; i < raw.length; i++) raw[i] = words[i]! / 4294967296 - 0.5;
  const vectors = l2NormalizeRows(raw, dim).vectors;

  const index = FlatInnerProductIndex.build(vectors, dim);
  let faiss;
  try {
    faiss = allNeighbours(index, 0, rows, k);
  } finally {
    index.dispose();
  }
  const { badRows, maxScoreDiff } = compareWithBruteForce(vectors, dim, faiss, tolerance);
  return { ok: badRows === 0, rows, dim, k, badRows, maxScoreDiff, tolerance, ms: performance.now() - t0 };
}

/**
 * Compares an all-neighbours table of `vectors` rows [firstRow, firstRow + rows) with
 * `bruteForceNeighbours`, rank by rank: a row is bad where FAISS's score differs from the
 * brute-force score at that rank, or from the exact score of the id FAISS returned, by more than
 * `tolerance` (NaN and out-of-range ids are bad). Tied ids may swap without making a row bad.
 */
export function compareWithBruteForce(
  vectors: Float32Array,
  dim: number,
  table: NeighbourTable,
  tolerance: number,
): { badRows: number; maxScoreDiff: number } {
  const { firstRow, rows, k } = table;
  const n = vectors.length / dim;
  const exact = bruteForceNeighbours(vectors, dim, firstRow, firstRow + rows, k);
  let badRows = 0;
  let maxScoreDiff = 0;
  for (let r = 0; r < rows; r++) {
    const q = (firstRow + r) * dim;
    let bad = false;
    for (let j = 0; j < k; j++) {
      const at = r * k + j;
      const id = table.ids[at]!;
      const score = table.scores[at]!;
      let dot = Number.NaN;
      if (Number.isInteger(id) && id >= 0 && id < n && id !== firstRow + r) {
        dot = 0;
        for (let c = 0; c < dim; c++) dot += vectors[q + c]! * vectors[id * dim + c]!;
      }
      const diff = Math.max(Math.abs(score - exact.scores[at]!), Math.abs(score - dot));
      if (Number.isNaN(diff)) {
        bad = true;
        maxScoreDiff = Number.POSITIVE_INFINITY;
      } else {
        if (diff > tolerance) bad = true;
        maxScoreDiff = Math.max(maxScoreDiff, diff);
      }
    }
    if (bad) badRows++;
  }
  return { badRows, maxScoreDiff };
}
