// The converted-model cache: convert once, reuse, reconvert what is damaged.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { LoadedModelArtifacts } from '../../src/model-artifacts';
import {
  convertGraphModelToOnnx,
  defaultModelCacheDir,
  getOrConvertOnnxModel,
  onnxCacheKey,
} from '../../src/onnx';
import { recordingLogger } from '../fixtures';
import { runOnnx, runTfjs, relativeError } from './compare-runtimes';
import { convAttrs, seededValues, TfGraphFixture } from './tf-graph-fixture';

const SOURCE_SHA = 'ab'.repeat(32);

function tinyModel(): LoadedModelArtifacts {
  const g = new TfGraphFixture();
  const x = g.placeholder('x', [-1, 6, 6, 3]);
  const conv = g.op('Conv2D', 'conv', [x, g.const('w', [3, 3, 3, 4])], convAttrs('SAME', [2, 2]));
  g.op('Relu', 'features', [conv]);
  const artifacts = g.artifacts();
  return {
    artifacts,
    weightBytes: new Uint8Array(artifacts.weightData as ArrayBuffer),
    sha256: SOURCE_SHA,
    name: 'tiny',
    location: 'memory:tiny',
  };
}

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lookalike-onnx-cache-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const converts = (logger: ReturnType<typeof recordingLogger>) =>
  logger.records.filter((r) => r.msg === 'onnx model converted and cached').length;

describe('getOrConvertOnnxModel', () => {
  test('converts on first use, then serves the same model from the cache without converting', async () => {
    const loaded = tinyModel();
    const logger = recordingLogger();
    const options = { outputNode: 'features', cacheDir: join(dir, 'models'), logger };

    const first = await getOrConvertOnnxModel(loaded, options);
    const key = onnxCacheKey(SOURCE_SHA, 'features');
    expect(first).toMatchObject({ fromCache: false, key, inputName: 'x', outputName: 'features', opset: 13 });
    expect(first.path).toBe(join(dir, 'models', `tiny-${key.slice(0, 16)}.onnx`));
    expect((await readdir(join(dir, 'models'))).sort()).toEqual([
      `tiny-${key.slice(0, 16)}.json`,
      `tiny-${key.slice(0, 16)}.onnx`,
    ]);
    const direct = await convertGraphModelToOnnx(loaded.artifacts, { outputNode: 'features' });
    expect(Buffer.from(await readFile(first.path)).equals(Buffer.from(direct.bytes))).toBe(true);
    const mtime = (await stat(first.path)).mtimeMs;

    const second = await getOrConvertOnnxModel(loaded, options);
    expect(second).toMatchObject({ fromCache: true, key, inputName: 'x', outputName: 'features', opset: 13 });
    expect(second.inputShape).toEqual([-1, 6, 6, 3]);
    expect(second.outputShape).toEqual([-1, 3, 3, 4]);
    expect(Buffer.from(second.bytes).equals(Buffer.from(first.bytes))).toBe(true);
    expect((await stat(first.path)).mtimeMs).toBe(mtime);
    expect(converts(logger)).toBe(1);

    // The cached file is a working model: it computes what TF.js computes.
    const input = seededValues(2 * 6 * 6 * 3, 5);
    const expected = await runTfjs(loaded.artifacts, 'features', input, [2, 6, 6, 3]);
    const actual = await runOnnx(
      await readFile(second.path),
      second.inputName,
      second.outputName,
      input,
      [2, 6, 6, 3],
    );
    expect(relativeError(expected.data, actual.data)).toBeLessThanOrEqual(1e-4);
  });

  test('a truncated model file is reconverted', async () => {
    const loaded = tinyModel();
    const logger = recordingLogger();
    const options = { outputNode: 'features', cacheDir: dir, logger };
    const first = await getOrConvertOnnxModel(loaded, options);
    await truncate(first.path, Math.floor(first.bytes.byteLength / 2));

    const again = await getOrConvertOnnxModel(loaded, options);
    expect(again.fromCache).toBe(false);
    expect(converts(logger)).toBe(2);
    expect(logger.records.find((r) => r.msg.startsWith('onnx cache entry unusable'))?.obj.reason).toMatch(
      /corrupt or truncated/,
    );
    expect(Buffer.from(await readFile(first.path)).equals(Buffer.from(first.bytes))).toBe(true);
    expect((await getOrConvertOnnxModel(loaded, options)).fromCache).toBe(true);
  });

  test('a damaged sidecar or a missing model file is reconverted', async () => {
    const loaded = tinyModel();
    const options = { outputNode: 'features', cacheDir: dir };
    const first = await getOrConvertOnnxModel(loaded, options);
    await writeFile(first.path.replace(/\.onnx$/, '.json'), '{"key": "trunc');
    expect((await getOrConvertOnnxModel(loaded, options)).fromCache).toBe(false);
    await rm(first.path);
    expect((await getOrConvertOnnxModel(loaded, options)).fromCache).toBe(false);
    expect((await getOrConvertOnnxModel(loaded, options)).fromCache).toBe(true);
  });

  test('the key covers the source model and the output node', async () => {
    const loaded = tinyModel();
    const a = await getOrConvertOnnxModel(loaded, { outputNode: 'features', cacheDir: dir });
    const b = await getOrConvertOnnxModel(loaded, { outputNode: 'conv', cacheDir: dir });
    const c = await getOrConvertOnnxModel(
      { ...loaded, sha256: 'cd'.repeat(32) },
      { outputNode: 'features', cacheDir: dir },
    );
    expect(new Set([a.path, b.path, c.path]).size).toBe(3);
    expect([a.fromCache, b.fromCache, c.fromCache]).toEqual([false, false, false]);
  });

  test('concurrent first uses all get a valid model and leave no temporary files', async () => {
    const loaded = tinyModel();
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        getOrConvertOnnxModel(loaded, { outputNode: 'features', cacheDir: dir }),
      ),
    );
    const bytes = await readFile(results[0]?.path as string);
    for (const r of results) expect(Buffer.from(r.bytes).equals(bytes)).toBe(true);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await getOrConvertOnnxModel(loaded, { outputNode: 'features', cacheDir: dir })).fromCache).toBe(
      true,
    );
  });
});

describe('two processes', () => {
  test('converting into one cache folder at the same moment both get the valid model', async () => {
    const loaded = tinyModel();
    const modelFile = join(dir, 'model.json');
    const weights = Buffer.from(loaded.weightBytes);
    await writeFile(
      modelFile,
      JSON.stringify({
        modelTopology: loaded.artifacts.modelTopology,
        weightSpecs: loaded.artifacts.weightSpecs,
        weights: weights.toString('base64'),
        sha256: loaded.sha256,
        name: loaded.name,
        outputNode: 'features',
      }),
    );
    const cacheDir = join(dir, 'cache');
    const startAt = String(Date.now() + 2500);
    const child = join(__dirname, 'convert-in-child.js');
    const runs = await Promise.all(
      [0, 1].map(() =>
        promisify(execFile)(process.execPath, [child, modelFile, cacheDir, startAt], { timeout: 30_000 }),
      ),
    );
    const outcomes = runs.map(
      (r) => JSON.parse(r.stdout) as { fromCache: boolean; bytes: number; path: string },
    );
    const expected = await convertGraphModelToOnnx(loaded.artifacts, { outputNode: 'features' });
    for (const o of outcomes) expect(o.bytes).toBe(expected.bytes.byteLength);
    expect(Buffer.from(await readFile(outcomes[0]?.path as string)).equals(Buffer.from(expected.bytes))).toBe(
      true,
    );
    expect((await readdir(cacheDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await getOrConvertOnnxModel(loaded, { outputNode: 'features', cacheDir })).fromCache).toBe(true);
  });
});

describe('defaultModelCacheDir', () => {
  test('is $LOOKALIKE_MODEL_CACHE_DIR when set, else ~/.cache/lookalike/models', () => {
    expect(defaultModelCacheDir({ LOOKALIKE_MODEL_CACHE_DIR: '/srv/models' })).toBe('/srv/models');
    expect(defaultModelCacheDir({ LOOKALIKE_MODEL_CACHE_DIR: ' ' })).toBe(
      join(homedir(), '.cache', 'lookalike', 'models'),
    );
    expect(defaultModelCacheDir({})).toBe(join(homedir(), '.cache', 'lookalike', 'models'));
  });
});
