// Hand-written TF.js graph models (GraphDef JSON + float32 weights) for the converter tests.
import type * as tf from '@tensorflow/tfjs';
import { Rng } from '@lookalike/core';
import type { TfAttrValue, TfNode } from '../../src/onnx/tf-graph';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');

/** TF attribute values in model.json's protobuf-JSON form. */
export const attr = {
  i: (v: number): TfAttrValue => ({ i: String(v) }),
  f: (v: number): TfAttrValue => ({ f: v }),
  b: (v: boolean): TfAttrValue => ({ b: v }),
  s: (v: string): TfAttrValue => ({ s: b64(v) }),
  ints: (v: readonly number[]): TfAttrValue => ({ list: { i: v.map(String) } }),
  strings: (v: readonly string[]): TfAttrValue => ({ list: { s: v.map(b64) } }),
  type: (v: string): TfAttrValue => ({ type: v }),
  float: (): TfAttrValue => ({ type: 'DT_FLOAT' }),
};

/** Deterministic uniform values in [lo, hi) (core's seeded `Rng`), so "random" weights and inputs are reproducible. */
export function seededValues(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.range(lo, hi));
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

interface Weight {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** Builds a TF.js graph model in memory: nodes written as in a converted model.json, weights unquantized. */
export class TfGraphFixture {
  readonly nodes: TfNode[] = [];
  private readonly weights: Weight[] = [];
  private seed = 7;

  placeholder(name: string, shape: readonly number[]): string {
    this.nodes.push({
      name,
      op: 'Placeholder',
      attr: { dtype: attr.float(), shape: { shape: { dim: shape.map((d) => ({ size: String(d) })) } } },
    });
    return name;
  }

  /** A float32 constant; random values in [lo, hi) unless `data` is given. */
  const(name: string, shape: readonly number[], data?: ArrayLike<number>, lo = -1, hi = 1): string {
    const values =
      data === undefined ? seededValues(size(shape), this.seed++, lo, hi) : Float32Array.from(data);
    return this.addConst(name, [...shape], 'float32', values);
  }

  /** An int32 constant (axes, shapes, paddings). */
  ints(name: string, shape: readonly number[], data: readonly number[]): string {
    return this.addConst(name, [...shape], 'int32', Int32Array.from(data));
  }

  op(op: string, name: string, inputs: readonly string[], attrs: Record<string, TfAttrValue> = {}): string {
    this.nodes.push({ name, op, input: [...inputs], attr: { T: attr.float(), ...attrs } });
    return name;
  }

  artifacts(): tf.io.ModelArtifacts {
    const total = this.weights.reduce((n, w) => n + w.data.byteLength, 0);
    const bytes = new Uint8Array(total);
    let offset = 0;
    for (const w of this.weights) {
      bytes.set(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength), offset);
      offset += w.data.byteLength;
    }
    return {
      modelTopology: { node: structuredClone(this.nodes), versions: { producer: 175 } },
      format: 'graph-model',
      weightSpecs: this.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.dtype })),
      weightData: bytes.buffer,
    };
  }

  private addConst(
    name: string,
    shape: number[],
    dtype: 'float32' | 'int32',
    data: Float32Array | Int32Array,
  ) {
    if (data.length !== size(shape))
      throw new Error(`constant ${name}: ${data.length} values for [${shape}]`);
    this.nodes.push({
      name,
      op: 'Const',
      attr: {
        dtype: attr.type(dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32'),
        value: { tensor: { dtype: dtype === 'float32' ? 'DT_FLOAT' : 'DT_INT32' } },
      },
    });
    this.weights.push({ name, shape, dtype, data });
    return name;
  }
}

/** Conv-style attributes: strides/dilations [1, h, w, 1], padding, NHWC. */
export function convAttrs(
  padding: 'SAME' | 'VALID' | 'EXPLICIT',
  strides: [number, number] = [1, 1],
  dilations: [number, number] = [1, 1],
  extra: Record<string, TfAttrValue> = {},
): Record<string, TfAttrValue> {
  return {
    strides: attr.ints([1, strides[0], strides[1], 1]),
    dilations: attr.ints([1, dilations[0], dilations[1], 1]),
    padding: attr.s(padding),
    data_format: attr.s('NHWC'),
    ...extra,
  };
}
