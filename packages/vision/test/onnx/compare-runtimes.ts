// Runs one TF.js graph model on TF.js (the active backend) and its ONNX conversion on onnxruntime-node.
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { convertGraphModelToOnnx, type ConvertedOnnxModel, type ConvertOptions } from '../../src/onnx';
import { seededValues } from './tf-graph-fixture';

export interface Comparison {
  converted: ConvertedOnnxModel;
  tfjs: Float32Array;
  onnx: Float32Array;
  tfjsShape: number[];
  onnxShape: number[];
  /** max |tfjs − onnx| / max(1, max |tfjs|). */
  relativeError: number;
}

export async function ortSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(Buffer.from(bytes), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
  });
}

export async function runOnnx(
  bytes: Uint8Array,
  inputName: string,
  outputName: string,
  input: Float32Array,
  shape: readonly number[],
): Promise<{ data: Float32Array; shape: number[] }> {
  const session = await ortSession(bytes);
  try {
    const result = await session.run({ [inputName]: new ort.Tensor('float32', input, [...shape]) });
    const out = result[outputName];
    if (out === undefined) throw new Error(`ONNX output '${outputName}' missing`);
    return { data: out.data as Float32Array, shape: out.dims.map(Number) };
  } finally {
    await session.release();
  }
}

export async function runTfjs(
  artifacts: tf.io.ModelArtifacts,
  outputNode: string,
  input: Float32Array,
  shape: readonly number[],
): Promise<{ data: Float32Array; shape: number[] }> {
  const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
  try {
    const x = tf.tensor(input, [...shape], 'float32');
    const y = model.execute(x, outputNode) as tf.Tensor;
    const data = (await y.data()) as Float32Array;
    const out = { data, shape: [...y.shape] };
    x.dispose();
    y.dispose();
    return out;
  } finally {
    model.dispose();
  }
}

export function relativeError(expected: Float32Array, actual: Float32Array): number {
  if (expected.length !== actual.length) return Infinity;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const a = actual[i] as number;
    if (!Number.isFinite(a) || !Number.isFinite(e)) return Infinity;
    diff = Math.max(diff, Math.abs(e - a));
    scale = Math.max(scale, Math.abs(e));
  }
  return diff / scale;
}

/** Converts the model, runs both runtimes on the same seeded input and measures their disagreement. */
export async function compareRuntimes(
  artifacts: tf.io.ModelArtifacts,
  inputShape: readonly number[],
  options: ConvertOptions,
  seed = 99,
): Promise<Comparison> {
  const input = seededValues(
    inputShape.reduce((a, b) => a * b, 1),
    seed,
  );
  const converted = await convertGraphModelToOnnx(artifacts, options);
  const expected = await runTfjs(artifacts, options.outputNode, input, inputShape);
  const actual = await runOnnx(converted.bytes, converted.inputName, converted.outputName, input, inputShape);
  return {
    converted,
    tfjs: expected.data,
    onnx: actual.data,
    tfjsShape: expected.shape,
    onnxShape: actual.shape,
    relativeError: relativeError(expected.data, actual.data),
  };
}
