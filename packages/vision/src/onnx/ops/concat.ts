import { ModelLoadError, UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { physicalAxis } from '../layout';
import type { TfNode } from '../tf-graph';
import { constInts, normaliseAxis, type TensorValue, UNKNOWN, type Value } from '../values';
import type { OpConverters } from './op-converter';

/** ConcatV2: N tensors, then the axis as the last input; the axis is remapped to the ONNX layout (NHWC → NCHW). */
function concat(ctx: ConversionContext, node: TfNode): TensorValue {
  const count = ctx.inputCount(node) - 1;
  if (count < 1) throw new ModelLoadError(`node '${node.name}' (ConcatV2) has no tensors to join`);
  const parts: Value[] = Array.from({ length: count }, (_, i) => ctx.input(node, i));
  const rank = (parts[0] as Value).shape.length;
  const [axisValue] = constInts(ctx.constInput(node, count, 'axis'));
  const axis = normaliseAxis(axisValue ?? 0, rank);
  if (axis === undefined) throw new UnsupportedOpError(node.op, node.name, `axis ${String(axisValue)}`);
  const shape = [...(parts[0] as Value).shape];
  for (const part of parts.slice(1)) {
    if (part.shape.length !== rank) {
      throw new ModelLoadError(`node '${node.name}' (ConcatV2) joins tensors of different ranks`);
    }
    const a = shape[axis] as number;
    const b = part.shape[axis] as number;
    shape[axis] = a === UNKNOWN || b === UNKNOWN ? UNKNOWN : a + b;
  }
  if (count === 1) return { kind: 'tensor', name: ctx.runtime(parts[0] as Value), shape, dtype: 'float32' };
  const name = ctx.emit(
    'Concat',
    parts.map((p) => ctx.runtime(p)),
    node.name,
    { axis: { i: physicalAxis(axis, rank) } },
  );
  return { kind: 'tensor', name, shape, dtype: (parts[0] as Value).dtype };
}

export const CONCAT_OPS: OpConverters = {
  ConcatV2: concat,
};
