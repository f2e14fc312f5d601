import { Readable } from 'node:stream';
import { decodeNeighbourTable } from '@lookalike/ann';
import { readIndexIds } from '@lookalike/rebuild-artifacts';
import {
  neighboursCsvKey,
  neighboursJsonKey,
  neighboursPartKey,
  type ObjectStore,
} from '@lookalike/storage';

export interface MergeSummary {
  rows: number;
  k: number;
}

/**
 * Merges the neighbour parts into `neighbours.csv` (`article_id,neighbour_id,rank,score`) and
 * `neighbours.json` (the prototype's records `{master_pi, similar_pi, similarity}`), streamed so
 * that memory stays at one part.
 */
export async function mergeNeighbours(store: ObjectStore, rebuildId: string, parts: number): Promise<MergeSummary> {
  const ids = await readIndexIds(store, rebuildId);
  let rows = 0;
  let k = 0;
  async function* lines(format: 'csv' | 'json'): AsyncGenerator<string> {
    yield format === 'csv' ? 'article_id,neighbour_id,rank,score\n' : '[';
    let first = true;
    for (let part = 0; part < parts; part++) {
      const table = decodeNeighbourTable(await store.get(neighboursPartKey(rebuildId, part)));
      if (format === 'csv') {
        rows += table.rows;
        k = table.k;
      }
      let chunk = '';
      for (let r = 0; r < table.rows; r++) {
        const master = ids[table.firstRow + r]!;
        for (let j = 0; j < table.k; j++) {
          const similar = ids[table.ids[r * table.k + j]!]!;
          const score = Number(table.scores[r * table.k + j]!.toFixed(6));
          if (format === 'csv') chunk += `${master},${similar},${j + 1},${score}\n`;
          else {
            chunk += `${first ? '' : ','}\n{"similarity":${score},"master_pi":"${master}","similar_pi":"${similar}"}`;
            first = false;
          }
        }
        if (chunk.length > 1 << 20) {
          yield chunk;
          chunk = '';
        }
      }
      if (chunk) yield chunk;
    }
    if (format === 'json') yield '\n]\n';
  }
  await store.put(neighboursCsvKey(rebuildId), Readable.from(lines('csv')), { contentType: 'text/csv' });
  await store.put(neighboursJsonKey(rebuildId), Readable.from(lines('json')), { contentType: 'application/json' });
  if (rows !== ids.length) throw new Error(`neighbour parts cover ${rows} rows, the index has ${ids.length}`);
  return { rows, k };
}
