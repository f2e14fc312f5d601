/**
 * What the converter knows about each TF tensor. Shapes are always in TF's logical order (NHWC for images);
 * -1 marks a dimension unknown until run time (the batch).
 *
 * Layout rule: a rank-4 runtime tensor is held in ONNX as NCHW (its logical NHWC axes permuted by
 * `NHWC_TO_NCHW`); a runtime tensor of any other rank is held in its logical axis order.
 */
export type Dims = readonly number[];

/** A TF `Const` (weights, axes, shapes): kept on the host, folded into ONNX initializers where used. */
export interface ConstValue {
  kind: 'const';
  dtype: 'float32' | 'int32';
  shape: Dims;
  data: Float32Array | Int32Array;
  /** The TF node it came from (initializer names and error messages). */
  source: string;
}

/** A tensor computed at run time: an output of an ONNX node or the graph input. */
export interface TensorValue {
  kind: 'tensor';
  /** The ONNX value name. */
  name: string;
  dtype: 'float32' | 'int32';
  shape: Dims;
}

export type Value = ConstValue | TensorValue;

export const UNKNOWN = -1;

export function sizeOf(shape: Dims): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The values of an integer constant (axes, shapes, paddings) as plain numbers. */
export function constInts(value: ConstValue): number[] {
  return Array.from(value.data, (v) => Math.round(v));
}

/**
 * The broadcast shape of two shapes under NumPy/TF rules (trailing axes aligned). Unknown dims broadcast with
 * 1 to unknown, and with a known size > 1 to that size. Undefined when the shapes are incompatible.
 */
export function broadcastShapes(a: Dims, b: Dims): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === y) out.push(x);
    else if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === UNKNOWN) out.push(y);
    else if (y === UNKNOWN) out.push(x);
    else return undefined;
  }
  return out;
}

/** `axis` normalised into [0, rank) (TF allows negative axes); undefined when out of range. */
export function normaliseAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
