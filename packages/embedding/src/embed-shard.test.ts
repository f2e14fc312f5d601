import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { silentLogger, type PlanShard } from '@lookalike/core';
import {
  decodeVectorShard,
  embeddingsFailuresKey,
  embeddingPackPrefix,
  embeddingsShardKey,
  FsObjectStore,
  type ObjectStore,
  getJson,
  planShardKey,
  putJson,
} from '@lookalike/storage';
import { Embedder } from '@lookalike/vision';
import { embedShard, type EmbedShardDeps } from './embed-shard';

/** A real store whose calls are counted (the requests a job makes). */
function countingStore(inner: FsObjectStore): { store: ObjectStore; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const count = (name: string) => (calls[name] = (calls[name] ?? 0) + 1);
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || prop === 'constructor') return value;
      return (...args: unknown[]) => {
        count(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as ObjectStore;
  return { store, calls };
}

async function jpeg(colour: string, x: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="300"><rect width="200" height="300" fill="#eee"/><rect x="${x}" y="60" width="100" height="160" fill="${colour}"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg().toBuffer();
}

describe('embedShard', () => {
  let dir: string;
  let store: FsObjectStore;
  let images: FsObjectStore;
  let embedder: Embedder;
  const progress: [number, number][] = [];
  const hooks = {
    log: silentLogger,
    onProgress: async (done: number, total: number) => void progress.push([done, total]),
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'embed-shard-'));
    store = new FsObjectStore({ root: join(dir, 'store') });
    images = new FsObjectStore({ root: join(dir, 'images') });
    embedder = await Embedder.create({ batchSize: 4 });
    await images.put('010/0100000001.jpg', await jpeg('#c00', 20));
    await images.put('010/0100000002.jpg', await jpeg('#00c', 60));
    await images.put('010/0100000003.jpg', Buffer.from('garbage'));
    await images.put('010/0100000004.jpg', await jpeg('#0c0', 40));
    const plan: PlanShard = {
      rebuildId: 'r1',
      shard: 0,
      source: images.url,
      items: ['1', '2', '3', '4', '5'].map((n) => ({
        articleId: `010000000${n}`,
        key: `010/010000000${n}.jpg`,
      })),
    };
    await putJson(store, planShardKey('r1', 0), plan);
    await putJson(store, planShardKey('r2', 0), { ...plan, rebuildId: 'r2' });
    // r3: the plan after a new article (…06) arrived: the shard's range differs from r1's pack.
    await images.put('010/0100000006.jpg', await jpeg('#cc0', 30));
    await putJson(store, planShardKey('r3', 0), {
      ...plan,
      rebuildId: 'r3',
      items: ['2', '4', '6'].map((n) => ({ articleId: `010000000${n}`, key: `010/010000000${n}.jpg` })),
    });
  });

  afterAll(async () => {
    await embedder.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const deps = (over: Partial<EmbedShardDeps> = {}): EmbedShardDeps => ({
    store,
    openSource: () => images,
    embedderFor: async () => embedder,
    ioConcurrency: 2,
    ...over,
  });

  it('embeds readable images in plan order and records the others with their reason', async () => {
    const counted = countingStore(store);
    const result = await embedShard(
      deps({ store: counted.store, ioConcurrency: undefined }),
      { rebuildId: 'r1', shard: 0, batchSize: 4, padding: 'edge' },
      hooks,
    );
    expect(progress.at(-1)).toEqual([5, 5]);
    expect(result).toMatchObject({
      planned: 5,
      embedded: 3,
      failed: 2,
      cached: 0,
      dim: 1792,
      modelId: embedder.modelId,
    });
    expect(result.provider).toBe(embedder.provider);
    expect(result.maxEventLoopDelayMs).toBeGreaterThanOrEqual(0);
    // A cold cache costs one listing and one pack write per job, not a lookup and a put per image.
    expect(counted.calls).toEqual({ get: 1, list: 1, put: 3 }); // plan; packs; failures + shard + pack
    const shard = decodeVectorShard(await store.get(embeddingsShardKey('r1', 0)));
    expect(shard.ids).toEqual(['0100000001', '0100000002', '0100000004']);
    expect(shard.dim).toBe(1792);
    const alone = await embedder.embed([await images.get('010/0100000002.jpg')]);
    expect(Array.from(shard.vectors.subarray(1792, 2 * 1792))).toEqual(Array.from(alone.vectors));
    const failures = await getJson<{ failures: { articleId: string; reason: string }[] }>(
      store,
      embeddingsFailuresKey('r1', 0),
    );
    expect(failures.failures.map((f) => [f.articleId, f.reason])).toEqual([
      ['0100000003', expect.stringMatching(/unsupported|corrupt/)],
      ['0100000005', 'missing'],
    ]);
  });

  it('serves unchanged images from the content-hash cache and re-embeds changed ones', async () => {
    await images.put('010/0100000004.jpg', await jpeg('#0c0', 45));
    const result = await embedShard(
      deps(),
      { rebuildId: 'r2', shard: 0, batchSize: 4, padding: 'edge' },
      hooks,
    );
    expect(result).toMatchObject({ embedded: 3, cached: 2, failed: 2 });
    const first = decodeVectorShard(await store.get(embeddingsShardKey('r1', 0)));
    const second = decodeVectorShard(await store.get(embeddingsShardKey('r2', 0)));
    expect(Array.from(second.vectors.subarray(0, 1792 * 2))).toEqual(
      Array.from(first.vectors.subarray(0, 1792 * 2)),
    );
    expect(Array.from(second.vectors.subarray(1792 * 2))).not.toEqual(
      Array.from(first.vectors.subarray(1792 * 2)),
    );
  });

  it('finds unchanged images in the packs of an earlier plan whose shard ranges differ', async () => {
    const result = await embedShard(
      deps(),
      { rebuildId: 'r3', shard: 0, batchSize: 4, padding: 'edge' },
      hooks,
    );
    // …02 is unchanged since r1/r2, …04 changed before r2 (in r2's pack), …06 is new.
    expect(result).toMatchObject({ planned: 3, embedded: 3, cached: 2, failed: 0 });
    const r2 = decodeVectorShard(await store.get(embeddingsShardKey('r2', 0)));
    const r3 = decodeVectorShard(await store.get(embeddingsShardKey('r3', 0)));
    expect(r3.ids).toEqual(['0100000002', '0100000004', '0100000006']);
    expect(Array.from(r3.vectors.subarray(0, 1792 * 2))).toEqual(
      Array.from(r2.vectors.subarray(1792, 1792 * 3)),
    );
    const packs: string[] = [];
    for await (const entry of store.list(embeddingPackPrefix(embedder.modelId)))
      packs.push(entry.key.split('/').at(-1)!);
    expect(packs.sort()).toEqual(['0100000001~0100000005.vec', '0100000002~0100000006.vec']);
  });
});
