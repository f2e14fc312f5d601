import { UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { physicalAxis } from '../layout';
import { attrBool } from '../tf-attrs';
import type { TfNode } from '../tf-graph';
import { constInts, normaliseAxis, type TensorValue } from '../values';
import { asTensor } from './activation';
import type { OpConverter, OpConverters } from './op-converter';

/** TF reduction → ONNX Reduce* (opset 13: axes an attribute, except ReduceSum where it is an input). */
function reduction(
  onnxOp: 'ReduceMean' | 'ReduceSum' | 'ReduceMax' | 'ReduceMin',
  globalPool?: string,
): OpConverter {
  return (ctx: ConversionContext, node: TfNode): TensorValue => {
    const x = asTensor(ctx, ctx.input(node, 0));
    const rank = x.shape.length;
    const axes = [
      ...new Set(
        constInts(ctx.constInput(node, 1, 'reduction axes')).map((a) => {
          const n = normaliseAxis(a, rank);
          if (n === undefined)
            throw new UnsupportedOpError(node.op, node.name, `axis ${a} of a rank-${rank} input`);
          return n;
        }),
      ),
    ].sort((a, b) => a - b);
    if (axes.length === 0) return x;
    const keepDims = attrBool(node, 'keep_dims', false);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const physical = axes.map((a) => physicalAxis(a, rank)).sort((a, b) => a - b);
    const base = keepDims ? node.name : `${node.name}/keepdims`;

    let name: string;
    if (globalPool !== undefined && rank === 4 && axes.join(',') === '1,2') {
      name = ctx.emit(globalPool, [x.name], base);
    } else if (onnxOp === 'ReduceSum') {
      name = ctx.emit(onnxOp, [x.name, ctx.int64(physical)], base, { keepdims: { i: 1 } });
    } else {
      name = ctx.emit(onnxOp, [x.name], base, { axes: { ints: physical }, keepdims: { i: 1 } });
    }
    const reduced: TensorValue = { kind: 'tensor', name, shape: kept, dtype: x.dtype };
    return keepDims ? reduced : ctx.squeeze(reduced, axes, node.name);
  };
}

export const REDUCE_OPS: OpConverters = {
  Mean: reduction('ReduceMean', 'GlobalAveragePool'),
  Sum: reduction('ReduceSum'),
  Max: reduction('ReduceMax', 'GlobalMaxPool'),
  Min: reduction('ReduceMin'),
};
