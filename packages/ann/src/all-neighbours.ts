import { AnnInputError } from './errors';
import type { FlatInnerProductIndex } from './flat-inner-product-index';
import type { KnnResult } from './knn-result';
import type { NeighbourTable } from './neighbour-table';
import { selectNeighbours } from './select-neighbours';
import { assertK, assertRowRange } from './validate';

export interface AllNeighboursOptions {
  /**
   * Results fetched per row beyond k + 1 (the row itself) in the first pass (default 3). More
   * makes a re-search for boundary ties rarer; at least 1 is needed to detect a tie at all.
   */
  extra?: number;
  /** Query rows per native search call (default 4096, FAISS's own query block). */
  chunkRows?: number;
  /** Cap on rows x k results held by one re-search of tied rows (default 16M, ~192 MB). */
  maxResultsPerSearch?: number;
}

/** The index operations `allNeighbours` needs (satisfied by `FlatInnerProductIndex`). */
export type NeighbourSearchable = Pick<
  FlatInnerProductIndex,
  'ntotal' | 'searchRows' | 'searchRowsAsync' | 'search' | 'searchAsync' | 'reconstruct'
>;

type SearchRequest =
  | { readonly kind: 'rows'; readonly start: number; readonly end: number; readonly k: number }
  | { readonly kind: 'queries'; readonly rows: readonly number[]; readonly k: number };

/**
 * Exact top-k neighbours (self removed, score descending then id ascending) of index rows
 * [start, end), each row compared with every row of the index.
 *
 * Each row is searched with k + 1 + extra results; `selectNeighbours` drops the row itself, sorts by
 * (score desc, id asc) and keeps k. When the k-th kept score equals the lowest score returned, a tie
 * may continue beyond what FAISS returned, and which rows FAISS returns among equal scores is
 * arbitrary, so those rows are searched again with twice the k (up to ntotal, where the answer is
 * complete) until the boundary is decided. Ties are exact float32 equality of FAISS's scores.
 */
export function allNeighbours(
  index: NeighbourSearchable,
  start: number,
  end: number,
  k: number,
  options: AllNeighboursOptions = {},
): NeighbourTable {
  const plan = planAllNeighbours(index, start, end, k, options);
  let step = plan.next();
  while (!step.done) {
    const req = step.value;
    step = plan.next(
      req.kind === 'rows'
        ? index.searchRows(req.start, req.end, req.k)
        : index.search(gather(index, req.rows), req.k),
    );
  }
  return step.value;
}

/** `allNeighbours` with every search on the libuv thread pool (the event loop stays free). */
export async function allNeighboursAsync(
  index: NeighbourSearchable,
  start: number,
  end: number,
  k: number,
  options: AllNeighboursOptions = {},
): Promise<NeighbourTable> {
  const plan = planAllNeighbours(index, start, end, k, options);
  let step = plan.next();
  while (!step.done) {
    const req = step.value;
    const res =
      req.kind === 'rows'
        ? await index.searchRowsAsync(req.start, req.end, req.k)
        : await index.searchAsync(gather(index, req.rows), req.k);
    step = plan.next(res);
  }
  return step.value;
}

function* planAllNeighbours(
  index: NeighbourSearchable,
  start: number,
  end: number,
  k: number,
  options: AllNeighboursOptions,
): Generator<SearchRequest, NeighbourTable, KnnResult> {
  const ntotal = index.ntotal;
  assertRowRange(start, end, ntotal);
  assertK(k, ntotal - 1, 'k (neighbours per row, self excluded)');
  const extra = options.extra ?? 3;
  const chunkRows = options.chunkRows ?? 4096;
  const maxResults = options.maxResultsPerSearch ?? 16 * 1024 * 1024;
  if (!Number.isInteger(extra) || extra < 1)
    throw new AnnInputError(`extra must be an integer >= 1, got ${extra}`);
  if (!Number.isInteger(chunkRows) || chunkRows < 1)
    throw new AnnInputError(`chunkRows must be >= 1, got ${chunkRows}`);

  const rows = end - start;
  const ids = new Int32Array(rows * k);
  const scores = new Float32Array(rows * k);
  const store = (offsets: ArrayLike<number>, sel: { ids: Int32Array; scores: Float32Array }): void => {
    for (let i = 0; i < offsets.length; i++) {
      const at = offsets[i]! * k;
      ids.set(sel.ids.subarray(i * k, i * k + k), at);
      scores.set(sel.scores.subarray(i * k, i * k + k), at);
    }
  };

  let searched = Math.min(ntotal, k + 1 + extra);
  let pending: number[] = []; // absolute row numbers still undecided
  for (let s = start; s < end; s += chunkRows) {
    const e = Math.min(end, s + chunkRows);
    const res: KnnResult = yield { kind: 'rows', start: s, end: e, k: searched };
    const sel = selectNeighbours(res, s, k, { complete: searched >= ntotal });
    ids.set(sel.ids, (s - start) * k);
    scores.set(sel.scores, (s - start) * k);
    for (const r of sel.unresolved) pending.push(s + r);
  }

  while (pending.length > 0) {
    searched = Math.min(ntotal, searched * 2);
    const complete = searched >= ntotal;
    const batch = Math.max(1, Math.floor(maxResults / searched));
    const next: number[] = [];
    for (let b = 0; b < pending.length; b += batch) {
      const rowsHere = pending.slice(b, b + batch);
      const res: KnnResult = yield { kind: 'queries', rows: rowsHere, k: searched };
      const sel = selectNeighbours(res, rowsHere, k, { complete });
      store(
        rowsHere.map((r) => r - start),
        sel,
      );
      for (const r of sel.unresolved) next.push(rowsHere[r]!);
    }
    pending = next;
  }
  return { firstRow: start, rows, k, ids, scores };
}

/** The index's own vectors for `rows`, concatenated (contiguous runs read in one call). */
function gather(index: NeighbourSearchable, rows: readonly number[]): Float32Array {
  const parts: Float32Array[] = [];
  let total = 0;
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    while (j < rows.length && rows[j] === rows[j - 1]! + 1) j++;
    const part = index.reconstruct(rows[i]!, rows[j - 1]! + 1);
    parts.push(part);
    total += part.length;
    i = j;
  }
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
