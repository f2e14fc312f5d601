import { ModelLoadError, UnsupportedOpError } from '../errors';
import { attrInts, attrString } from './tf-attrs';
import type { TfNode } from './tf-graph';
import { UNKNOWN } from './values';

/** TF's `padding` attribute of a convolution or pooling node. */
export type TfPadding =
  | { kind: 'SAME' }
  | { kind: 'VALID' }
  /** Explicit pads of the two spatial axes: [top, bottom, left, right]. */
  | { kind: 'EXPLICIT'; pads: [number, number, number, number] };

export function readPadding(node: TfNode): TfPadding {
  const padding = attrString(node, 'padding', '');
  if (padding === 'SAME' || padding === 'VALID') return { kind: padding };
  if (padding === 'EXPLICIT') {
    // NHWC: [n_before, n_after, h_before, h_after, w_before, w_after, c_before, c_after].
    const p = attrInts(node, 'explicit_paddings', []);
    if (p.length !== 8 || p[0] !== 0 || p[1] !== 0 || p[6] !== 0 || p[7] !== 0) {
      throw new UnsupportedOpError(
        node.op,
        node.name,
        `explicit_paddings [${p.join(',')}] must pad only the two spatial axes`,
      );
    }
    return { kind: 'EXPLICIT', pads: [p[2], p[3], p[4], p[5]] as [number, number, number, number] };
  }
  throw new UnsupportedOpError(node.op, node.name, `padding '${padding}' is not SAME, VALID or EXPLICIT`);
}

export interface SpatialWindow {
  /** Input height and width (UNKNOWN when only known at run time). */
  input: readonly [number, number];
  kernel: readonly [number, number];
  strides: readonly [number, number];
  dilations: readonly [number, number];
}

export interface ResolvedPadding {
  /** ONNX `pads` of the two spatial axes: [top, left, bottom, right] ([x1_begin, x2_begin, x1_end, x2_end]). */
  pads: [number, number, number, number];
  /** Output height and width (UNKNOWN when the input's is). */
  output: [number, number];
}

function windowOutput(input: number, pads: number, effectiveKernel: number, stride: number): number {
  if (input === UNKNOWN) return UNKNOWN;
  return Math.floor((input + pads - effectiveKernel) / stride) + 1;
}

/**
 * TF's padding as explicit ONNX pads. SAME follows TF exactly: output = ceil(input / stride), total padding
 * max((output − 1)·stride + (kernel − 1)·dilation + 1 − input, 0), of which floor(total / 2) goes before and
 * the rest (the odd pixel) after. That needs the input size, so SAME on an unknown size is refused rather
 * than left to ONNX's auto_pad.
 */
export function resolvePadding(node: TfNode, padding: TfPadding, window: SpatialWindow): ResolvedPadding {
  const begin: number[] = [];
  const end: number[] = [];
  const output: number[] = [];
  for (let axis = 0; axis < 2; axis++) {
    const input = window.input[axis] as number;
    const kernel = window.kernel[axis] as number;
    const stride = window.strides[axis] as number;
    const effective = (kernel - 1) * (window.dilations[axis] as number) + 1;
    let before = 0;
    let after = 0;
    if (padding.kind === 'SAME') {
      if (input === UNKNOWN) {
        throw new ModelLoadError(
          `node '${node.name}' (${node.op}) has SAME padding on an input of unknown size: give the input height and width`,
        );
      }
      const out = Math.ceil(input / stride);
      const total = Math.max((out - 1) * stride + effective - input, 0);
      before = Math.floor(total / 2);
      after = total - before;
    } else if (padding.kind === 'EXPLICIT') {
      before = padding.pads[axis * 2] as number;
      after = padding.pads[axis * 2 + 1] as number;
    }
    const out = windowOutput(input, before + after, effective, stride);
    if (out !== UNKNOWN && out < 1) {
      throw new ModelLoadError(
        `node '${node.name}' (${node.op}): a ${kernel}-wide window does not fit an input of ${input}`,
      );
    }
    begin.push(before);
    end.push(after);
    output.push(out);
  }
  return {
    pads: [begin[0], begin[1], end[0], end[1]] as [number, number, number, number],
    output: output as [number, number],
  };
}

/** [h, w] of a TF NHWC 4-vector attribute (`strides`, `dilations`, `ksize`); its N and C entries must be 1. */
export function spatialAttr(node: TfNode, name: string): [number, number] {
  const v = attrInts(node, name, [1, 1, 1, 1]);
  if (v.length === 2) return [v[0] as number, v[1] as number];
  if (v.length !== 4 || v[0] !== 1 || v[3] !== 1 || v.some((x) => x < 1)) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `${name} [${v.join(',')}] must be [1, h, w, 1] (NHWC, no batch or channel ${name})`,
    );
  }
  return [v[1] as number, v[2] as number];
}

/** Refuses a `data_format` other than NHWC (the only one TF.js runs for these ops). */
export function requireNhwc(node: TfNode): void {
  const format = attrString(node, 'data_format', 'NHWC');
  if (format !== 'NHWC' && format !== '') {
    throw new UnsupportedOpError(node.op, node.name, `data_format '${format}' (only NHWC is supported)`);
  }
}
