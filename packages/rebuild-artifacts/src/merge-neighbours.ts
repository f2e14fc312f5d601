import { Readable } from 'node:stream';
import { readNeighbourTable, type WholeNeighbourTable } from './neighbour-table-reader';
import { neighboursCsvKey, neighboursJsonKey, type ObjectStore } from '@lookalike/storage';

export interface MergeSummary {
  rows: number;
  k: number;
}

/** Text lines of the table, `format`ted, in chunks of about 1 MB (the table is read once, ~17 MB at H&M size). */
function* tableText(table: WholeNeighbourTable, format: 'csv' | 'json'): Generator<string> {
  const { articleIds, k, ids, scores } = table;
  let chunk = format === 'csv' ? 'article_id,neighbour_id,rank,score\n' : '[';
  let first = true;
  for (let row = 0; row < articleIds.length; row++) {
    const master = articleIds[row]!;
    for (let j = 0; j < k; j++) {
      const similar = articleIds[ids[row * k + j]!]!;
      const score = Number(scores[row * k + j]!.toFixed(6));
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
  yield format === 'json' ? `${chunk}\n]\n` : chunk;
}

/**
 * Merges the neighbour parts into `neighbours.csv` (`article_id,neighbour_id,rank,score`) and
 * `neighbours.json` (the prototype's records `{master_pi, similar_pi, similarity}`). The parts are
 * read once; the text is streamed to storage.
 */
export async function mergeNeighbours(
  store: ObjectStore,
  rebuildId: string,
  parts: number,
): Promise<MergeSummary> {
  const table = await readNeighbourTable(store, rebuildId, parts);
  await store.put(neighboursCsvKey(rebuildId), Readable.from(tableText(table, 'csv')), {
    contentType: 'text/csv',
  });
  await store.put(neighboursJsonKey(rebuildId), Readable.from(tableText(table, 'json')), {
    contentType: 'application/json',
  });
  return { rows: table.articleIds.length, k: table.k };
}
