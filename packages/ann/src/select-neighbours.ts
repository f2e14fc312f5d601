import { AnnInputError } from './errors';
import type { KnnResult } from './knn-result';

/** Outcome of `selectNeighbours` for one block of query rows. */
export interface NeighbourSelection {
  /** rows x k neighbour ids (row numbers), score descending then id ascending. */
  readonly ids: Int32Array;
  readonly scores: Float32Array;
  /**
   * Offsets (0-based, within the block) of rows whose top k cannot be decided from these results:
   * a score tie may continue past the last result returned, so an unreturned row with a smaller id
   * could belong in the top k. Search those rows again with a larger k.
   */
  readonly unresolved: number[];
}

/**
 * Picks each query row's top k neighbours from a wider search result (pure function).
 *
 * `result` holds `result.k` (> k) results per query, as FAISS returns them: best score first,
 * ties in no particular order. Query r is index row `selfRows + r` when `selfRows` is a number
 * (a row range), else `selfRows[r]`. For each row: drop the row itself (and -1 padding), sort the rest by
 * (score desc, id asc), keep the first k.
 *
 * Exactness at the k boundary: FAISS guarantees that every row it did not return scores <= the
 * lowest score it did return (`sMin`). So if the k-th kept score is strictly greater than `sMin`,
 * nothing outside the result can tie with or beat it and the selection is exact. If it equals
 * `sMin`, an unreturned row with the same score and a smaller id could belong in the top k: the
 * row is reported in `unresolved` (unless `complete`, i.e. the search returned every index row).
 */
export function selectNeighbours(
  result: KnnResult,
  selfRows: number | ArrayLike<number>,
  k: number,
  options: { complete?: boolean } = {},
): NeighbourSelection {
  const { rows, k: searched, distances, labels } = result;
  if (!Number.isInteger(k) || k < 1) throw new AnnInputError(`k must be a positive integer, got ${k}`);
  if (searched < k + 1 && !options.complete) {
    throw new AnnInputError(
      `need at least k + 1 = ${k + 1} results per row to drop the row itself, got ${searched}`,
    );
  }
  const ids = new Int32Array(rows * k);
  const scores = new Float32Array(rows * k);
  const unresolved: number[] = [];
  const candIds = new Int32Array(searched);
  const candScores = new Float32Array(searched);

  for (let r = 0; r < rows; r++) {
    const self = typeof selfRows === 'number' ? selfRows + r : selfRows[r]!;
    const base = r * searched;
    let n = 0;
    let sMin = Infinity;
    for (let j = 0; j < searched; j++) {
      const id = labels[base + j]!;
      if (id < 0) continue;
      const s = distances[base + j]!;
      if (s < sMin) sMin = s;
      if (id === self) continue;
      // Insertion sort by (score desc, id asc): O(n) on FAISS's already score-sorted output.
      let p = n++;
      while (p > 0 && (candScores[p - 1]! < s || (candScores[p - 1] === s && candIds[p - 1]! > id))) {
        candScores[p] = candScores[p - 1]!;
        candIds[p] = candIds[p - 1]!;
        p--;
      }
      candScores[p] = s;
      candIds[p] = id;
    }
    if (n < k) {
      // Fewer than k other rows came back (only possible when the index is too small, or
      // labels were padded with -1): undecidable here.
      if (!options.complete) unresolved.push(r);
      ids.fill(-1, r * k, r * k + k);
      scores.fill(Number.NaN, r * k, r * k + k);
      for (let j = 0; j < n; j++) {
        ids[r * k + j] = candIds[j]!;
        scores[r * k + j] = candScores[j]!;
      }
      continue;
    }
    for (let j = 0; j < k; j++) {
      ids[r * k + j] = candIds[j]!;
      scores[r * k + j] = candScores[j]!;
    }
    if (!options.complete && !(candScores[k - 1]! > sMin)) unresolved.push(r);
  }
  return { ids, scores, unresolved };
}
