import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeNeighbourTable } from '@lookalike/ann';
import { FsObjectStore, indexIdsKey, neighboursPartKey, putJson } from '@lookalike/storage';
import { readNeighbourTable } from './neighbour-table-reader';

describe('readNeighbourTable', () => {
  it('assembles the parts in row order and checks they cover the index', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'artifacts-'));
    const store = new FsObjectStore({ root: dir });
    try {
      await putJson(store, indexIdsKey('r'), ['a', 'b', 'c']);
      const part = (firstRow: number, rows: number, base: number) => ({
        firstRow,
        rows,
        k: 2,
        ids: Int32Array.from({ length: rows * 2 }, (_, i) => (base + i) % 3),
        scores: Float32Array.from({ length: rows * 2 }, (_, i) => 1 - i / 10),
      });
      await store.put(neighboursPartKey('r', 0), encodeNeighbourTable(part(0, 2, 1)));
      await expect(readNeighbourTable(store, 'r', 1)).rejects.toThrow(/cover 2 rows, the index has 3/);
      await store.put(neighboursPartKey('r', 1), encodeNeighbourTable(part(2, 1, 0)));
      const table = await readNeighbourTable(store, 'r', 2);
      expect(table.articleIds).toEqual(['a', 'b', 'c']);
      expect(Array.from(table.ids)).toEqual([1, 2, 0, 1, 0, 1]);
      expect(table.k).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
