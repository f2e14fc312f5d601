import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsObjectStore, recommendationsPartKey } from '@lookalike/storage';
import { readRecommendationRows } from './recommendation-rows';

describe('readRecommendationRows', () => {
  it('finds each customer on its line of its part, and says when a part is short', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'artifacts-'));
    const store = new FsObjectStore({ root: dir });
    const row = (c: number) =>
      `c${c},${Array.from({ length: 12 }, (_, i) => String(100 * c + i).padStart(10, '0')).join(' ')}\n`;
    try {
      // Three customers per job: parts hold customers 0-2, 3-5 and 6.
      for (const [part, customers] of [
        [0, [0, 1, 2]],
        [1, [3, 4, 5]],
        [2, [6]],
      ] as const) {
        await store.put(recommendationsPartKey('r', part), Buffer.from(customers.map(row).join('')));
      }
      const rows = await readRecommendationRows(store, 'r', 3, [4, 0, 6, 2]);
      expect([...rows.keys()].sort()).toEqual([0, 2, 4, 6]);
      for (const c of [0, 2, 4, 6]) {
        expect(rows.get(c)).toEqual({
          customerId: `c${c}`,
          articles: Array.from({ length: 12 }, (_, i) => String(100 * c + i).padStart(10, '0')),
        });
      }
      await expect(readRecommendationRows(store, 'r', 3, [7])).rejects.toThrow(
        /00002\.csv: 1 rows, expected at least 2/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
