// The bundled MobileNetV2-1.4 converted to ONNX gives the same 1792-d features as TF.js (wasm).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { onnx } from 'onnx-proto';
import { BundledModelSource } from '../../src/bundled-model-source';
import { type LoadedModelArtifacts, loadModelArtifacts } from '../../src/model-artifacts';
import { FEATURE_VECTOR_NODE_SUFFIX } from '../../src/model-spec';
import { convertGraphModelToOnnx, type ConvertedOnnxModel } from '../../src/onnx';
import { decodeToRgb, rgbToFloat } from '../../src/preprocess';
import { checkerSvg, cosine, solid, toJpeg, toPng, trousersSvg, tshirtSvg } from '../fixtures';
import { ortSession } from './compare-runtimes';
import * as ort from 'onnxruntime-node';

jest.setTimeout(120_000);

const SIDE = 224;
const PIXELS = SIDE * SIDE * 3;

let loaded: LoadedModelArtifacts;
let outputNode: string;
let converted: ConvertedOnnxModel;
let batch: Float32Array;
let count: number;

beforeAll(async () => {
  await tf.setBackend('wasm');
  loaded = await loadModelArtifacts(new BundledModelSource('mobilenet_v2_140_224'));
  const nodes = (loaded.artifacts.modelTopology as { node: { name: string }[] }).node;
  outputNode = nodes.map((n) => n.name).find((n) => n.endsWith(FEATURE_VECTOR_NODE_SUFFIX)) as string;
  converted = await convertGraphModelToOnnx(loaded.artifacts, { outputNode });

  const images = [
    await toPng(tshirtSvg({ fill: '#c0392b' })),
    await toJpeg(tshirtSvg({ fill: '#2980b9', dx: 30, dy: -20 })),
    await toJpeg(trousersSvg({ fill: '#2c3e50' })),
    await toPng(checkerSvg()),
    await solid(300, 200, [240, 200, 40], 'jpeg'),
  ];
  count = images.length;
  batch = new Float32Array(count * PIXELS);
  for (const [i, image] of images.entries()) rgbToFloat((await decodeToRgb(image)).data, batch, i * PIXELS);
});

function row(data: Float32Array, dim: number, i: number): Float32Array {
  return data.subarray(i * dim, (i + 1) * dim);
}

describe('the bundled MobileNetV2-1.4 as ONNX', () => {
  test('takes the TF.js input and outputs the 1792-d feature vector, classifier head pruned', () => {
    expect(converted).toMatchObject({
      inputName: 'input',
      outputName: outputNode,
      inputShape: [-1, SIDE, SIDE, 3],
      outputShape: [-1, 1792],
      dim: 1792,
      opset: 13,
    });
    const model = onnx.ModelProto.decode(converted.bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 13]]);
    const graph = model.graph as onnx.GraphProto;
    expect(graph.input.map((i) => i.name)).toEqual(['input']);
    expect(graph.output.map((o) => o.name)).toEqual([outputNode]);
    const ops = graph.node.map((n) => n.opType);
    // NHWC → NCHW once at the start, nothing after the feature vector (no MatMul/Gemm, no Softmax).
    expect(ops.filter((o) => o === 'Transpose')).toHaveLength(1);
    expect(ops).not.toContain('Gemm');
    expect(ops).not.toContain('Softmax');
    expect(ops.filter((o) => o === 'Conv')).toHaveLength(35 + 17);
    expect(graph.node.some((n) => /dense|prediction/.test(n.name ?? ''))).toBe(false);
  });

  test('per image, cosine ≥ 0.9999 with TF.js wasm; any batch size gives the same rows', async () => {
    const model = await tf.loadGraphModel(tf.io.fromMemory(loaded.artifacts));
    const x = tf.tensor(batch, [count, SIDE, SIDE, 3]);
    const y = model.execute(x, outputNode) as tf.Tensor;
    const expected = (await y.data()) as Float32Array;
    x.dispose();
    y.dispose();
    model.dispose();

    const session = await ortSession(converted.bytes);
    try {
      const run = async (from: number, n: number) => {
        const input = new ort.Tensor('float32', batch.slice(from * PIXELS, (from + n) * PIXELS), [
          n,
          SIDE,
          SIDE,
          3,
        ]);
        const out = (await session.run({ [converted.inputName]: input }))[converted.outputName] as ort.Tensor;
        expect(out.dims).toEqual([n, 1792]);
        return out.data as Float32Array;
      };
      const actual = await run(0, count);
      for (let i = 0; i < count; i++) {
        const cos = cosine(row(expected, 1792, i), row(actual, 1792, i));
        expect(cos).toBeGreaterThanOrEqual(0.9999);
      }
      // Different images give different features (the comparison is not between constants).
      expect(cosine(row(actual, 1792, 0), row(actual, 1792, 3))).toBeLessThan(0.99);
      const single = await run(2, 1);
      expect(cosine(single, row(actual, 1792, 2))).toBeGreaterThan(0.99999);
    } finally {
      await session.release();
    }
  });
});
