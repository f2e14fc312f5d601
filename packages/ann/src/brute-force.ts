import type { NeighbourTable } from './neighbour-table';
import { assertDim, assertK, assertMatrix, assertRowRange } from './validate';

const fround = Math.fround; // no global lookup in the hot loop (slow in vm sandboxes such as jest's)

/**
 * Plain-JS exact all-neighbours by inner product (float64 accumulation, scores rounded to
 * float32), self removed, ordered by (score desc, id asc). O(rows x n x dim): a test oracle for
 * small sets, not for production sizes.
 */
export function bruteForceNeighbours(
  vectors: Float32Array,
  dim: number,
  start: number,
  end: number,
  k: number,
): NeighbourTable {
  assertDim(dim);
  const n = assertMatrix(vectors, dim, 'vectors');
  assertRowRange(start, end, n);
  assertK(k, n - 1);
  const rows = end - start;
  const ids = new Int32Array(rows * k);
  const scores = new Float32Array(rows * k);
  const topIds = new Int32Array(k);
  const topScores = new Float64Array(k);
  for (let q = start; q < end; q++) {
    let filled = 0;
    const qb = q * dim;
    for (let c = 0; c < n; c++) {
      if (c === q) continue;
      const cb = c * dim;
      let dot = 0;
      for (let j = 0; j < dim; j++) dot += vectors[qb + j]! * vectors[cb + j]!;
      const s = fround(dot);
      // Candidates arrive in increasing id order, so an equal score never displaces an entry.
      if (filled === k && !(s > topScores[k - 1]!)) continue;
      let p = filled < k ? filled++ : k - 1;
      while (p > 0 && topScores[p - 1]! < s) {
        topScores[p] = topScores[p - 1]!;
        topIds[p] = topIds[p - 1]!;
        p--;
      }
      topScores[p] = s;
      topIds[p] = c;
    }
    ids.set(topIds, (q - start) * k);
    for (let j = 0; j < k; j++) scores[(q - start) * k + j] = topScores[j]!;
  }
  return { firstRow: start, rows, k, ids, scores };
}
