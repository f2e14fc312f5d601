import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNeighbourTable } from '@lookalike/ann';
import {
  FsObjectStore,
  indexIdsKey,
  neighboursCsvKey,
  neighboursJsonKey,
  neighboursPartKey,
  putJson,
} from '@lookalike/storage';
import { mergeNeighbours } from './merge-neighbours';

describe('mergeNeighbours', () => {
  it('writes every part, in row order, as neighbours.csv and the prototype’s neighbours.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'artifacts-merge-'));
    const store = new FsObjectStore({ root: dir });
    try {
      await putJson(store, indexIdsKey('r'), ['0108775015', '0108775044', '0110065001']);
      // Part 1 (row 2) is written before part 0: the merge orders by row, not by arrival.
      await store.put(
        neighboursPartKey('r', 1),
        encodeNeighbourTable({
          firstRow: 2,
          rows: 1,
          k: 2,
          ids: Int32Array.of(0, 1),
          scores: Float32Array.of(0.5, 0.25),
        }),
      );
      await store.put(
        neighboursPartKey('r', 0),
        encodeNeighbourTable({
          firstRow: 0,
          rows: 2,
          k: 2,
          ids: Int32Array.of(1, 2, 0, 2),
          // 0.1234567 is rounded to 6 decimals; float32 noise never reaches the file.
          scores: Float32Array.of(0.9, 0.1234567, 0.875, -0.5),
        }),
      );
      expect(await mergeNeighbours(store, 'r', 2)).toEqual({ rows: 3, k: 2 });
      expect((await store.get(neighboursCsvKey('r'))).toString()).toBe(
        [
          'article_id,neighbour_id,rank,score',
          '0108775015,0108775044,1,0.9',
          '0108775015,0110065001,2,0.123457',
          '0108775044,0108775015,1,0.875',
          '0108775044,0110065001,2,-0.5',
          '0110065001,0108775015,1,0.5',
          '0110065001,0108775044,2,0.25',
          '',
        ].join('\n'),
      );
      const records = JSON.parse((await store.get(neighboursJsonKey('r'))).toString()) as unknown[];
      expect(records).toHaveLength(6);
      expect(records[1]).toEqual({ similarity: 0.123457, master_pi: '0108775015', similar_pi: '0110065001' });
      await expect(mergeNeighbours(store, 'r', 1)).rejects.toThrow(/cover 2 rows, the index has 3/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
