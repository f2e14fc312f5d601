import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { Embedder, preprocessImage } from '../src';
import {
  checkerSvg,
  cosine,
  maxAbsDiff,
  pseudoRandomBytes,
  recordingLogger,
  toJpeg,
  toPng,
  trousersSvg,
  truncatedJpeg,
  tshirtSvg,
} from './fixtures';

jest.setTimeout(120_000);

const row = (vectors: Float32Array, dim: number, i: number): Float32Array =>
  vectors.subarray(i * dim, (i + 1) * dim);

describe.each(['onnx', 'wasm'] as const)('Embedder (bundled MobileNetV2-1.4, %s)', (backend) => {
  let embedder: Embedder;
  const logger = recordingLogger();

  beforeAll(async () => {
    embedder = await Embedder.create({ batchSize: 4, backend, logger });
  });

  afterAll(() => embedder?.dispose());

  test('describes itself', () => {
    expect(embedder.dim).toBe(1792);
    expect(embedder.backend).toBe(backend);
    expect(embedder.provider).toMatch(
      backend === 'onnx' ? /^onnxruntime-node 1\.30\.0 \(cpu, 1 intra-op thread\)$/ : /tfjs-backend-wasm/,
    );
    expect(embedder.gpu).toBe(false);
    expect(embedder.inputHeight).toBe(224);
    expect(embedder.inputWidth).toBe(224);
    expect(embedder.outputNode).toMatch(/feature_vector\/SpatialSqueeze$/);
    expect(embedder.modelId).toMatch(/^mobilenet_v2_140_224-[0-9a-f]{12}$/);
    expect(logger.records.find((r) => r.msg === 'embedder ready')?.obj).toMatchObject({
      dim: 1792,
      backend,
      modelId: embedder.modelId,
    });
  });

  test('the same images give identical, finite 1792-d vectors every time', async () => {
    const images = [
      await toPng(tshirtSvg({ fill: '#c0392b' })),
      await toJpeg(trousersSvg({ fill: '#2c3e50' })),
      await toPng(checkerSvg()),
    ];
    const a = await embedder.embed(images);
    const b = await embedder.embed(images);
    expect(a.ok).toEqual([0, 1, 2]);
    expect(a.failures).toEqual([]);
    expect(a.dim).toBe(1792);
    expect(a.vectors).toBeInstanceOf(Float32Array);
    expect(a.vectors.length).toBe(3 * 1792);
    expect(a.vectors.every(Number.isFinite)).toBe(true);
    expect(Array.from(b.vectors)).toEqual(Array.from(a.vectors));
    // Different images give different vectors (the output is not constant).
    expect(maxAbsDiff(row(a.vectors, 1792, 0), row(a.vectors, 1792, 2))).toBeGreaterThan(0.1);
    // A fresh embedder on the same model is reproducible too.
    const other = await Embedder.create({ batchSize: 1, backend });
    try {
      expect(other.modelId).toBe(embedder.modelId);
      expect(maxAbsDiff((await other.embed(images)).vectors, a.vectors)).toBeLessThan(1e-4);
    } finally {
      await other.dispose();
    }
  });

  test('near-identical images are closer than clearly different ones', async () => {
    const red = tshirtSvg({ fill: '#c0392b' });
    const images = [
      await toPng(red), // 0: reference
      await toJpeg(red, 60), // 1: same image, lossy recompression
      await toPng(tshirtSvg({ fill: '#c0392b', dx: 12, dy: -8 })), // 2: same garment, shifted
      await toPng(trousersSvg({ fill: '#2c3e50' })), // 3: a different garment and colour
      await toPng(checkerSvg()), // 4: not a garment at all
    ];
    const { vectors, dim } = await embedder.embed(images);
    const sim = (i: number, j: number) => cosine(row(vectors, dim, i), row(vectors, dim, j));
    const near = [sim(0, 1), sim(0, 2)];
    const far = [sim(0, 3), sim(0, 4)];
    expect(Math.min(...near)).toBeGreaterThan(Math.max(...far));
    expect(sim(0, 1)).toBeGreaterThan(0.9);
  });

  test('a bad image never fails the batch', async () => {
    const good0 = await toPng(tshirtSvg({ fill: '#27ae60' }));
    const good4 = await toJpeg(trousersSvg({ fill: '#8e44ad' }));
    const result = await embedder.embed([
      good0,
      Buffer.alloc(0),
      pseudoRandomBytes(2048),
      await truncatedJpeg(),
      good4,
    ]);
    expect(result.ok).toEqual([0, 4]);
    expect(result.vectors.length).toBe(2 * 1792);
    expect(result.failures.map((f) => [f.index, f.reason])).toEqual([
      [1, 'empty'],
      [2, expect.stringMatching(/^(unsupported|corrupt)$/)],
      [3, 'corrupt'],
    ]);
    for (const f of result.failures) expect(f.message.length).toBeGreaterThan(0);
    // The good rows equal what those images give on their own.
    const alone = await embedder.embed([good0, good4]);
    expect(maxAbsDiff(alone.vectors, result.vectors)).toBeLessThan(1e-4);
    // All bad: no vectors, no throw.
    const none = await embedder.embed([Buffer.alloc(0)]);
    expect(none).toEqual({
      dim: 1792,
      vectors: new Float32Array(0),
      ok: [],
      failures: [expect.objectContaining({ index: 0, reason: 'empty' })],
    });
    expect((await embedder.embed([])).vectors.length).toBe(0);
  });

  test('embedPreprocessed matches embed, and batching does not change results', async () => {
    const images = await Promise.all(
      ['#e67e22', '#16a085', '#34495e', '#f1c40f', '#9b59b6', '#7f8c8d'].map((fill, i) =>
        toPng(tshirtSvg({ fill, dx: i * 3 })),
      ),
    );
    const per = 224 * 224 * 3;
    const batch = new Float32Array(images.length * per);
    (await Promise.all(images.map((img) => preprocessImage(img)))).forEach((p, i) => batch.set(p, i * per));
    const pre = await embedder.embedPreprocessed(batch, images.length); // batchSize 4 → calls of 4 + 2
    expect(pre.length).toBe(images.length * 1792);
    const viaEmbed = await embedder.embed(images);
    expect(maxAbsDiff(pre, viaEmbed.vectors)).toBeLessThan(1e-4);
    const oneByOne = new Float32Array(images.length * 1792);
    for (let i = 0; i < images.length; i++)
      oneByOne.set(await embedder.embedPreprocessed(batch.subarray(i * per, (i + 1) * per), 1), i * 1792);
    expect(maxAbsDiff(pre, oneByOne)).toBeLessThan(1e-4);
    await expect(embedder.embedPreprocessed(batch.subarray(0, per - 1), 1)).rejects.toThrow(RangeError);
  });

  test('releases what it holds; a disposed embedder refuses work', async () => {
    const images = [await toPng(tshirtSvg({ fill: '#d35400' })), Buffer.alloc(0), await toJpeg(checkerSvg())];
    const extra = await Embedder.create({ backend });
    await extra.dispose();
    await extra.dispose(); // idempotent
    await expect(extra.embed(images)).rejects.toThrow(/disposed/);
  });

  (backend === 'wasm' ? test : test.skip)(
    'tensors are released: tf.memory().numTensors stays flat',
    async () => {
      const images = [
        await toPng(tshirtSvg({ fill: '#d35400' })),
        Buffer.alloc(0),
        await toJpeg(checkerSvg()),
      ];
      await embedder.embed(images); // settle anything lazily created
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) await embedder.embed(images);
      await embedder.embedPreprocessed(new Float32Array(2 * 224 * 224 * 3), 2);
      expect(tf.memory().numTensors).toBe(before);
      // Creating and disposing another embedder leaves nothing behind either.
      const extra = await Embedder.create({ backend });
      await extra.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  test('the padding mode enters the model id (the cache never mixes two preprocessings)', async () => {
    expect(embedder.padding).toBe('edge');
    const black = await Embedder.create({ backend, preprocess: { padding: 'black' } });
    const white = await Embedder.create({ backend, preprocess: { padding: 'white' } });
    try {
      expect(new Set([embedder.modelId, black.modelId, white.modelId]).size).toBe(3);
    } finally {
      await black.dispose();
      await white.dispose();
    }
  });

  test('options are validated', async () => {
    await expect(Embedder.create({ batchSize: 0, backend })).rejects.toThrow(RangeError);
    await expect(Embedder.create({ threads: 0, backend })).rejects.toThrow(RangeError);
  });
});

describe('ONNX Runtime and TF.js wasm give the same vectors', () => {
  let onnx: Embedder;
  let wasm: Embedder;

  beforeAll(async () => {
    [onnx, wasm] = [
      await Embedder.create({ backend: 'onnx', batchSize: 8 }),
      await Embedder.create({ backend: 'wasm', batchSize: 8 }),
    ];
  });

  afterAll(async () => {
    await onnx?.dispose();
    await wasm?.dispose();
  });

  test('cosine ≥ 0.9999 for every fixture image, and one model id for both', async () => {
    const images = [
      await toPng(tshirtSvg({ fill: '#c0392b' })),
      await toJpeg(tshirtSvg({ fill: '#2980b9', dx: 20, dy: -10 })),
      await toPng(trousersSvg({ fill: '#2c3e50' })),
      await toJpeg(trousersSvg({ fill: '#f39c12', dx: -15 }), 70),
      await toPng(checkerSvg()),
      await toJpeg(checkerSvg(300, 700, 40)),
    ];
    const a = await onnx.embed(images);
    const b = await wasm.embed(images);
    expect(a.ok).toEqual(b.ok);
    for (let i = 0; i < images.length; i++) {
      expect(cosine(row(a.vectors, 1792, i), row(b.vectors, 1792, i))).toBeGreaterThanOrEqual(0.9999);
    }
    expect(onnx.modelId).toBe(wasm.modelId);
  });

  test('ONNX inference leaves the event loop free; wasm holds it for the whole batch', async () => {
    const images = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        toJpeg(tshirtSvg({ fill: `#${(0x202020 + i * 0x0a0b0c).toString(16).slice(-6)}`, dx: i })),
      ),
    );
    const worstDelay = async (embedder: Embedder): Promise<number> => {
      const h = monitorEventLoopDelay({ resolution: 5 });
      h.enable();
      await embedder.embed(images);
      h.disable();
      return h.max / 1e6;
    };
    const onnxMs = await worstDelay(onnx);
    const wasmMs = await worstDelay(wasm);
    // wasm runs a batch of 8 on the JS thread (about a second here); ONNX Runtime runs it on its own threads.
    expect(onnxMs).toBeLessThan(250);
    expect(wasmMs).toBeGreaterThan(onnxMs);
  });
});
