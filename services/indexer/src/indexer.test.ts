import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from '@lookalike/queue';
import { bruteForceNeighbours, decodeNeighbourTable } from '@lookalike/ann';
import { neighbourQualityReportSchema, Rng, silentLogger } from '@lookalike/core';
import { l2Normalise } from '@lookalike/linalg';
import {
  encodeVectorShard,
  FsObjectStore,
  getJson,
  indexIdsKey,
  neighbourQualityKey,
  neighboursPartKey,
  reducedShardKey,
} from '@lookalike/storage';
import { createBuildIndexHandler } from './build-index';
import { IndexCache } from './index-cache';
import { createNeighboursHandler } from './neighbours';
import { createQualityHandler } from './quality';

describe('indexer handlers', () => {
  let dir: string;
  let store: FsObjectStore;
  const job = { updateProgress: async () => undefined } as unknown as Job;
  const dim = 16;
  const rows = [70, 0, 55]; // a shard whose images all failed has no rows
  const total = rows.reduce((a, b) => a + b, 0);
  const vectors = new Float32Array(total * dim);
  const random = new Rng(7);
  for (let i = 0; i < vectors.length; i++) vectors[i] = random.float() - 0.5;
  l2Normalise(vectors, dim);
  const ids = Array.from({ length: total }, (_, i) => String(500_000_000 + i).padStart(10, '0'));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'indexer-'));
    store = new FsObjectStore({ root: dir });
    let offset = 0;
    for (const [shard, n] of rows.entries()) {
      await store.put(
        reducedShardKey('r', shard),
        encodeVectorShard({
          ids: ids.slice(offset, offset + n),
          dim,
          vectors: vectors.slice(offset * dim, (offset + n) * dim),
        }),
      );
      offset += n;
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('builds the index from every shard and answers row ranges exactly', async () => {
    const built = await createBuildIndexHandler({ store }).handle(
      { rebuildId: 'r', shards: 3 },
      job,
      undefined,
      silentLogger,
    );
    expect(built).toMatchObject({ rows: total, dim });
    expect(await getJson(store, indexIdsKey('r'))).toEqual(ids);
    const indexes = new IndexCache(store);
    const neighbours = createNeighboursHandler({ store, indexes });
    const parts = [
      [0, 50],
      [50, total],
    ];
    for (const [part, [start, end]] of parts.entries()) {
      await neighbours.handle(
        { rebuildId: 'r', part, start: start!, end: end!, k: 10 },
        job,
        undefined,
        silentLogger,
      );
    }
    const expected = bruteForceNeighbours(vectors, dim, 0, total, 10);
    for (const [part, [start]] of parts.entries()) {
      const table = decodeNeighbourTable(await store.get(neighboursPartKey('r', part)));
      expect(table.firstRow).toBe(start);
      expect(Array.from(table.ids)).toEqual(
        Array.from(expected.ids.subarray(start! * 10, (start! + table.rows) * 10)),
      );
      table.scores.forEach((s, i) =>
        expect(Math.abs(s - expected.scores[start! * 10 + i]!)).toBeLessThan(1e-5),
      );
    }
    await expect(
      neighbours.handle(
        { rebuildId: 'r', part: 9, start: 100, end: total + 1, k: 10 },
        job,
        undefined,
        silentLogger,
      ),
    ).rejects.toThrow(/exceed the index/);
    await indexes.dispose();
  });

  it('measures the neighbours against articles.csv and writes neighbour-quality.json', async () => {
    // Label each article by its row's parity: a table of row neighbours whose parity agreement is counted here.
    const csv = [
      'article_id,product_code,product_type_name',
      ...ids.map((id, i) => `${id},${id.slice(0, 7)},${i % 2 ? 'Odd' : 'Even'}`),
    ].join('\n');
    const source = new FsObjectStore({ root: join(dir, 'inputs') });
    await source.put('articles.csv', Buffer.from(csv));
    const result = await createQualityHandler({ store, openSource: () => source }).handle(
      { rebuildId: 'r', articles: `${source.url}/articles.csv`, parts: 2, lenient: false },
      job,
      undefined,
      silentLogger,
    );
    const written = neighbourQualityReportSchema.parse(await getJson(store, neighbourQualityKey('r')));
    expect(written).toEqual(result.report);
    expect(written).toMatchObject({ articles: total, labelled: total, k: 10, ks: [1, 5, 10] });
    const expected = bruteForceNeighbours(vectors, dim, 0, total, 10);
    let same = 0;
    for (let row = 0; row < total; row++) if (expected.ids[row * 10]! % 2 === row % 2) same += 1;
    const type = written.labels.find((l) => l.column === 'product_type_name')!;
    expect(type.shareAt['1']).toBeCloseTo(same / total, 5);
    // 63 odd and 62 even rows: chance = (63·62 + 62·61) / (125·124).
    expect(type.chance).toBeCloseTo((63 * 62 + 62 * 61) / (125 * 124), 5);
  });
});
