import { newRebuildId } from '@lookalike/core';
import { validateKey } from './object-key';
import * as keys from './keys';

const R = newRebuildId(new Date('2026-01-05T12:00:00Z'));

describe('key layout', () => {
  it('builds every key of DESIGN.md', () => {
    expect(R).toMatch(/^rb-20260105-120000-[0-9a-f]{6}$/);
    expect(keys.manifestKey(R)).toBe(`rebuilds/${R}/manifest.json`);
    expect(keys.planShardKey(R, 5)).toBe(`rebuilds/${R}/plan/00005.json`);
    expect(keys.embeddingsShardKey(R, 12)).toBe(`rebuilds/${R}/embeddings/00012.vec`);
    expect(keys.embeddingsFailuresKey(R, 12)).toBe(`rebuilds/${R}/embeddings/00012.failures.json`);
    expect(keys.pcaKey(R)).toBe(`rebuilds/${R}/pca.bin`);
    expect(keys.reducedShardKey(R, 0)).toBe(`rebuilds/${R}/reduced/00000.vec`);
    expect(keys.indexKey(R)).toBe(`rebuilds/${R}/index.faiss`);
    expect(keys.neighboursPartKey(R, 99999)).toBe(`rebuilds/${R}/neighbours/99999.bin`);
    expect(keys.neighboursCsvKey(R)).toBe(`rebuilds/${R}/neighbours.csv`);
    expect(keys.neighboursJsonKey(R)).toBe(`rebuilds/${R}/neighbours.json`);
    expect(keys.neighbourQualityKey(R)).toBe(`rebuilds/${R}/neighbour-quality.json`);
    expect(keys.recommendationsPartKey(R, 3)).toBe(`rebuilds/${R}/recommendations/00003.csv`);
    expect(keys.submissionKey(R)).toBe(`rebuilds/${R}/submission.csv`);
    expect(keys.evaluationKey(R)).toBe(`rebuilds/${R}/evaluation.json`);
    expect(keys.recommendationsEvalKey(R, 3)).toBe(`rebuilds/${R}/recommendations/00003.eval.json`);
    expect(keys.galleryPageKey(R)).toBe(`rebuilds/${R}/gallery/index.html`);
    expect(keys.galleryThumbKey(R, '0108775015')).toBe(`rebuilds/${R}/gallery/thumbs/0108775015.jpg`);
    expect(() => keys.galleryThumbKey(R, '../x')).toThrow(RangeError);
    expect(keys.rebuildIdOfPrefix(keys.rebuildPrefix(R))).toBe(R);
    expect(keys.rebuildIdOfPrefix(`rebuilds/${R}`)).toBeUndefined();
    expect(keys.rebuildIdOfPrefix(`rebuilds/${R}/plan/`)).toBeUndefined();
    expect(keys.rebuildIdOfPrefix('rebuilds/a:b/')).toBeUndefined();
    expect(keys.rebuildIdOfPrefix(`other/${R}/`)).toBeUndefined();
    for (const [suffix, key] of <[string, string][]>[
      [keys.OUTPUT_SUFFIX.embeddingsShard, keys.embeddingsShardKey(R, 1)],
      [keys.OUTPUT_SUFFIX.reducedShard, keys.reducedShardKey(R, 1)],
      [keys.OUTPUT_SUFFIX.neighboursPart, keys.neighboursPartKey(R, 1)],
      [keys.OUTPUT_SUFFIX.recommendationsEval, keys.recommendationsEvalKey(R, 1)],
    ]) {
      expect(key.endsWith(suffix)).toBe(true);
    }
    expect(keys.embeddingPackKey('clip-vit-b32', '0108775015', '0110065001')).toBe(
      'cache/embeddings/clip-vit-b32/packs/0108775015~0110065001.vec',
    );
    expect(keys.currentPointerKey()).toBe('current.json');
  });

  it('gives prefixes that the shard keys start with', () => {
    expect(keys.planShardKey(R, 1).startsWith(keys.planPrefix(R))).toBe(true);
    expect(keys.embeddingsShardKey(R, 1).startsWith(keys.embeddingsPrefix(R))).toBe(true);
    expect(keys.reducedShardKey(R, 1).startsWith(keys.reducedPrefix(R))).toBe(true);
    expect(keys.neighboursPartKey(R, 1).startsWith(keys.neighboursPrefix(R))).toBe(true);
    expect(keys.recommendationsPartKey(R, 1).startsWith(keys.recommendationsPrefix(R))).toBe(true);
    expect(keys.embeddingPackKey('m', '1', '2').startsWith(keys.embeddingPackPrefix('m'))).toBe(true);
    expect(keys.embeddingPackPrefix('m').startsWith(keys.embeddingCachePrefix('m'))).toBe(true);
    expect(keys.manifestKey(R).startsWith(keys.rebuildPrefix(R))).toBe(true);
  });

  it('builds keys that pass validateKey', () => {
    for (const key of [
      keys.manifestKey(R),
      keys.planShardKey(R, 7),
      keys.embeddingPackKey('m.v2', '0100000001', '0100000009'),
      keys.currentPointerKey(),
    ]) {
      expect(validateKey(key)).toBe(key);
    }
  });

  it('pads shard numbers so lexical order is numeric order', () => {
    const shards = [0, 1, 2, 9, 10, 11, 99, 100, 1000, 12345, 99999];
    const built = shards.map((s) => keys.embeddingsShardKey(R, s));
    expect([...built].sort()).toEqual(built);
  });

  it('parses shard numbers back', () => {
    expect(keys.parseShard(keys.embeddingsShardKey(R, 42))).toBe(42);
    expect(keys.parseShard(keys.embeddingsFailuresKey(R, 42))).toBe(42);
    expect(keys.parseShard('00007')).toBe(7);
    expect(keys.parseShard(keys.pcaKey(R))).toBeUndefined();
    expect(keys.parseShard('rebuilds/x/plan/123456.json')).toBeUndefined();
    expect(keys.parseShard('rebuilds/x/plan/0001.json')).toBeUndefined();
  });

  it.each([-1, 1.5, 100000, NaN])('rejects shard %p', (shard) => {
    expect(() => keys.planShardKey(R, shard)).toThrow(RangeError);
  });

  it.each(['', '../x', 'a/b', '.x', 'a..b', 'a.b', 'a:b', 'a b', 'x'.repeat(101)])(
    'rejects rebuild id %j',
    (id) => {
      expect(() => keys.manifestKey(id)).toThrow(RangeError);
    },
  );

  it('rejects bad model names and pack ranges', () => {
    expect(() => keys.embeddingPackKey('a/b', '1', '2')).toThrow(/model/);
    expect(() => keys.embeddingPackKey('..', '1', '2')).toThrow(/model/);
    expect(() => keys.embeddingPackKey('m', '1/2', '3')).toThrow(/article id/);
    expect(() => keys.embeddingPackKey('m', '9', '1')).toThrow(/reversed/);
  });

  it('parses pack ranges back and ignores other keys', () => {
    expect(keys.parseEmbeddingPackKey(keys.embeddingPackKey('m', '0100000001', '0100000999'))).toEqual({
      first: '0100000001',
      last: '0100000999',
    });
    expect(keys.parseEmbeddingPackKey('0100000001~0100000999.vec')).toEqual({
      first: '0100000001',
      last: '0100000999',
    });
    expect(keys.parseEmbeddingPackKey('cache/embeddings/m/packs/2~1.vec')).toBeUndefined();
    expect(keys.parseEmbeddingPackKey('cache/embeddings/m/packs/readme.txt')).toBeUndefined();
  });
});
