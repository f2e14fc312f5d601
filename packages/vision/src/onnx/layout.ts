import type { Dims } from './values';

/** ONNX `Transpose` perm that turns a logical NHWC tensor into NCHW. */
export const NHWC_TO_NCHW: readonly number[] = [0, 3, 1, 2];
/** ONNX `Transpose` perm that turns an NCHW tensor back into NHWC. */
export const NCHW_TO_NHWC: readonly number[] = [0, 2, 3, 1];

/** True when a runtime tensor of this logical shape is held as NCHW (see values.ts). */
export function isChannelsFirst(shape: Dims): boolean {
  return shape.length === 4;
}

/** Position in the ONNX tensor of logical axis `axis` of a tensor of rank `rank`. */
export function physicalAxis(axis: number, rank: number): number {
  return rank === 4 ? (NHWC_TO_NCHW.indexOf(axis) as number) : axis;
}

/** The ONNX-side shape of a tensor of this logical shape. */
export function physicalShape(shape: Dims): number[] {
  return isChannelsFirst(shape) ? NHWC_TO_NCHW.map((a) => shape[a] as number) : [...shape];
}

/** Host transpose of a dense row-major array: output axis i is input axis `perm[i]`. */
export function transposeData<T extends Float32Array | Int32Array>(
  data: T,
  shape: Dims,
  perm: readonly number[],
): { data: T; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p] as number);
  const inStrides = new Array<number>(rank);
  let stride = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = stride;
    stride *= shape[i] as number;
  }
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const strides = perm.map((p) => inStrides[p] as number);
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let dst = 0; dst < out.length; dst++) {
    out[dst] = data[src] as number;
    // Advance the output multi-index (row-major) and the matching input offset.
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      src += strides[axis] as number;
      if ((index[axis] as number) < (outShape[axis] as number)) break;
      src -= (strides[axis] as number) * (outShape[axis] as number);
      index[axis] = 0;
    }
  }
  return { data: out, shape: outShape };
}
