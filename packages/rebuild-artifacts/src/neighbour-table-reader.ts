import { decodeNeighbourTable } from '@lookalike/ann';
import { neighboursPartKey, type ObjectStore } from '@lookalike/storage';
import { readIndexIds } from './index-ids';

/** A rebuild's whole neighbour table: row r is article `articleIds[r]`; its j-th neighbour is row `ids[r*k+j]`. */
export interface WholeNeighbourTable {
  articleIds: string[];
  k: number;
  ids: Int32Array;
  scores: Float32Array;
}

/** Reads every neighbour part of a rebuild into one table (105k × 20 ≈ 17 MB). */
export async function readNeighbourTable(
  store: ObjectStore,
  rebuildId: string,
  parts: number,
): Promise<WholeNeighbourTable> {
  const articleIds = await readIndexIds(store, rebuildId);
  let k = 0;
  let ids = new Int32Array(0);
  let scores = new Float32Array(0);
  let covered = 0;
  for (let part = 0; part < parts; part++) {
    const table = decodeNeighbourTable(await store.get(neighboursPartKey(rebuildId, part)));
    if (part === 0) {
      k = table.k;
      ids = new Int32Array(articleIds.length * k);
      scores = new Float32Array(articleIds.length * k);
    }
    if (table.k !== k) throw new Error(`neighbour part ${part} has k=${table.k}, expected ${k}`);
    ids.set(table.ids, table.firstRow * k);
    scores.set(table.scores, table.firstRow * k);
    covered += table.rows;
  }
  if (covered !== articleIds.length)
    throw new Error(`neighbour parts cover ${covered} rows, the index has ${articleIds.length}`);
  return { articleIds, k, ids, scores };
}
