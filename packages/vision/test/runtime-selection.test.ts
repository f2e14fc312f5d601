import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BackendUnavailableError,
  BundledModelSource,
  describeGraphModel,
  Embedder,
  getOrConvertOnnxModel,
  loadModelArtifacts,
  openRuntime,
  runtimeCandidates,
} from '../src';
import { cosine, recordingLogger, toPng, tshirtSvg, withoutTfjsNode } from './fixtures';

jest.setTimeout(120_000);

describe('runtime order', () => {
  test('auto: a GPU first, then ONNX Runtime CPU, then wasm, then cpu', () => {
    expect(runtimeCandidates('auto', true)).toEqual([
      'onnx-cuda',
      'tensorflow-gpu',
      'onnx-cpu',
      'wasm',
      'cpu',
    ]);
    expect(runtimeCandidates('auto', false)).toEqual(['tensorflow-gpu', 'onnx-cpu', 'wasm', 'cpu']);
    expect(runtimeCandidates('onnx', true)).toEqual(['onnx-cuda', 'onnx-cpu']);
    expect(runtimeCandidates('onnx', false)).toEqual(['onnx-cpu']);
    expect(runtimeCandidates('wasm', true)).toEqual(['wasm']);
  });
});

describe('openRuntime on the bundled model', () => {
  let model: Parameters<typeof openRuntime>[0];
  let cacheDir: string;

  beforeAll(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'vision-runtime-'));
    const loaded = await loadModelArtifacts(new BundledModelSource('mobilenet_v2_140_224'));
    model = {
      format: 'graph-model',
      loaded,
      info: describeGraphModel(loaded.artifacts.modelTopology, loaded.location),
    };
  });

  afterAll(() => rm(cacheDir, { recursive: true, force: true }));

  test('auto without a GPU picks ONNX Runtime CPU, quietly, and says why', async () => {
    const logger = recordingLogger();
    const runtime = await openRuntime(model, 'auto', {
      threads: 1,
      modelCacheDir: cacheDir,
      logger,
      cudaProviderInstalled: false,
      requireModule: withoutTfjsNode,
    });
    try {
      expect(runtime).toMatchObject({ backend: 'onnx', gpu: false });
      const selected = logger.records.find((r) => r.msg === 'inference runtime onnx-cpu selected');
      expect(selected?.obj).toMatchObject({ backend: 'onnx', requested: 'auto' });
      expect(String(selected?.obj.skipped)).toMatch(
        /CUDA execution provider of onnxruntime-node is not installed/,
      );
      expect(String(selected?.obj.skipped)).toMatch(/tfjs-node-gpu is not installed/);
      expect(logger.records.filter((r) => r.level === 'warn')).toEqual([]);
    } finally {
      await runtime.dispose();
    }
  });

  test('a CUDA provider that cannot start (no GPU here) falls back to CPU with a warning', async () => {
    const logger = recordingLogger();
    const runtime = await openRuntime(model, 'onnx', {
      threads: 1,
      modelCacheDir: cacheDir,
      logger,
      cudaProviderInstalled: true,
    });
    try {
      expect(runtime).toMatchObject({ backend: 'onnx', gpu: false });
      expect(logger.records.find((r) => r.level === 'warn')?.obj).toMatchObject({ candidate: 'onnx-cuda' });
    } finally {
      await runtime.dispose();
    }
  });

  test('an explicit backend that cannot start is a clear error', async () => {
    const err = await openRuntime(model, 'tensorflow', { threads: 1, requireModule: withoutTfjsNode }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as Error).message).toMatch(/tensorflow: .*@tensorflow\/tfjs-node is not installed/);
  });

  test('an .onnx file runs as the model itself, and only on ONNX Runtime', async () => {
    const converted = await getOrConvertOnnxModel(
      model.format === 'graph-model' ? model.loaded : (undefined as never),
      {
        outputNode: model.format === 'graph-model' ? model.info.outputNode : '',
        cacheDir,
      },
    );
    const file = join(cacheDir, 'mnv2-features.onnx');
    await writeFile(file, converted.bytes);
    const url = pathToFileURL(file).href;
    const direct = await Embedder.create({ model: url, outputNode: converted.outputName });
    const bundled = await Embedder.create({ backend: 'onnx', modelCacheDir: cacheDir });
    try {
      expect(direct).toMatchObject({ backend: 'onnx', dim: 1792, inputHeight: 224, inputWidth: 224 });
      expect(direct.modelId).toMatch(/^mnv2-features-[0-9a-f]{12}$/);
      const image = [await toPng(tshirtSvg({ fill: '#1abc9c' }))];
      const a = (await direct.embed(image)).vectors;
      const b = (await bundled.embed(image)).vectors;
      expect(cosine(a, b)).toBeGreaterThan(0.99999);
    } finally {
      await direct.dispose();
      await bundled.dispose();
    }
    await expect(Embedder.create({ model: url, backend: 'wasm' })).rejects.toThrow(
      /runs only on ONNX Runtime/,
    );
    await expect(Embedder.create({ model: url, outputNode: 'nope' })).rejects.toThrow(/has no output 'nope'/);
  });
});
