import { UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { physicalAxis } from '../layout';
import { attrString } from '../tf-attrs';
import type { TfNode } from '../tf-graph';
import { constInts, type TensorValue, UNKNOWN } from '../values';
import { asTensor } from './activation';
import type { OpConverter, OpConverters } from './op-converter';

/**
 * Pad / PadV2 / MirrorPad with constant paddings [rank, 2] → ONNX Pad (opset 13: pads an int64 input in the
 * order [x1_begin, x2_begin, …, x1_end, x2_end, …] over the ONNX axes). TF's REFLECT is ONNX's `reflect`;
 * SYMMETRIC (the edge repeated) has no ONNX mode.
 */
function pad(kind: 'Pad' | 'PadV2' | 'MirrorPad'): OpConverter {
  return (ctx: ConversionContext, node: TfNode): TensorValue => {
    const x = asTensor(ctx, ctx.input(node, 0));
    const rank = x.shape.length;
    const paddings = constInts(ctx.constInput(node, 1, 'paddings'));
    if (paddings.length !== rank * 2 || paddings.some((p) => p < 0)) {
      throw new UnsupportedOpError(node.op, node.name, `paddings [${paddings.join(',')}] for rank ${rank}`);
    }
    const begins = new Array<number>(rank);
    const ends = new Array<number>(rank);
    for (let axis = 0; axis < rank; axis++) {
      const p = physicalAxis(axis, rank);
      begins[p] = paddings[axis * 2] as number;
      ends[p] = paddings[axis * 2 + 1] as number;
    }
    const inputs = [x.name, ctx.int64([...begins, ...ends])];
    let mode = 'constant';
    if (kind === 'PadV2') {
      const value = ctx.constInput(node, 2, 'constant value');
      if (value.data.length !== 1)
        throw new UnsupportedOpError(node.op, node.name, 'a non-scalar constant value');
      inputs.push(ctx.floatScalar(value.data[0] as number));
    } else if (kind === 'MirrorPad') {
      const tfMode = attrString(node, 'mode', '');
      if (tfMode !== 'REFLECT') {
        throw new UnsupportedOpError(node.op, node.name, `mode '${tfMode}' (only REFLECT maps to ONNX)`);
      }
      mode = 'reflect';
    }
    const shape = x.shape.map((d, i) =>
      d === UNKNOWN ? UNKNOWN : d + (paddings[i * 2] as number) + (paddings[i * 2 + 1] as number),
    );
    return {
      kind: 'tensor',
      name: ctx.emit('Pad', inputs, node.name, { mode: { s: mode } }),
      shape,
      dtype: x.dtype,
    };
  };
}

export const PAD_OPS: OpConverters = {
  Pad: pad('Pad'),
  PadV2: pad('PadV2'),
  MirrorPad: pad('MirrorPad'),
};
