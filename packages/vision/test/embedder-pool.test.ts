import { join } from 'node:path';
import { Embedder, EmbedderPool, ModelLoadError } from '../src';
import {
  checkerSvg,
  maxAbsDiff,
  pseudoRandomBytes,
  recordingLogger,
  toJpeg,
  toPng,
  trousersSvg,
  tshirtSvg,
} from './fixtures';

jest.setTimeout(120_000);

// Workers run the TypeScript sources through this bootstrap; the built package uses dist/embedder-worker.js.
const workerScript = join(__dirname, 'ts-worker.js');

describe('EmbedderPool (worker_threads, one wasm instance each)', () => {
  test('gives the same results as a single Embedder, bad images included', async () => {
    const fills = ['#c0392b', '#2980b9', '#27ae60', '#8e44ad', '#f39c12'];
    const images: Buffer[] = [
      ...(await Promise.all(fills.map((fill, i) => toPng(tshirtSvg({ fill, dx: i * 4 }))))),
      Buffer.alloc(0),
      await toJpeg(trousersSvg({ fill: '#34495e' })),
      pseudoRandomBytes(1000),
      await toPng(checkerSvg()),
    ];
    const logger = recordingLogger();
    const pool = await EmbedderPool.create({ workers: 2, batchSize: 2, workerScript, logger });
    try {
      expect(pool.size).toBe(2);
      expect(pool.dim).toBe(1792);
      expect(pool.backend).toBe('wasm');
      expect(logger.records.find((r) => r.msg === 'embedder pool ready')?.obj).toMatchObject({
        workers: 2,
        dim: 1792,
      });

      const [a, b] = await Promise.all([pool.embed(images), pool.embed(images.slice(0, 3))]);
      expect(a.ok).toEqual([0, 1, 2, 3, 4, 6, 8]);
      expect(a.failures.map((f) => [f.index, f.reason])).toEqual([
        [5, 'empty'],
        [7, expect.stringMatching(/^(unsupported|corrupt)$/)],
      ]);
      expect(b.ok).toEqual([0, 1, 2]);
      expect(maxAbsDiff(b.vectors, a.vectors.subarray(0, 3 * 1792))).toBeLessThan(1e-4);

      const single = await Embedder.create({ batchSize: 2 });
      try {
        expect(single.modelId).toBe(pool.modelId);
        const reference = await single.embed(images);
        expect(reference.ok).toEqual(a.ok);
        expect(maxAbsDiff(reference.vectors, a.vectors)).toBeLessThan(1e-4);
      } finally {
        single.dispose();
      }
    } finally {
      await pool.dispose();
    }
    await expect(pool.embed(images)).rejects.toThrow(/disposed/);
  });

  test('a model that cannot load fails create with the worker error', async () => {
    await expect(
      EmbedderPool.create({ workers: 1, workerScript, model: 'file:///nonexistent/model.json' }),
    ).rejects.toThrow(ModelLoadError);
  });
});
