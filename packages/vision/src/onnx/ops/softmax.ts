import type { ConversionContext } from '../context';
import { physicalAxis } from '../layout';
import type { TfNode } from '../tf-graph';
import type { TensorValue } from '../values';
import { asTensor } from './activation';
import type { OpConverter, OpConverters } from './op-converter';

/** TF Softmax / LogSoftmax work on the last (logical) axis; ONNX opset 13 on one given axis. */
function softmax(onnxOp: 'Softmax' | 'LogSoftmax'): OpConverter {
  return (ctx: ConversionContext, node: TfNode): TensorValue => {
    const x = asTensor(ctx, ctx.input(node, 0));
    const rank = x.shape.length;
    return {
      ...x,
      name: ctx.emit(onnxOp, [x.name], node.name, { axis: { i: physicalAxis(rank - 1, rank) } }),
    };
  };
}

export const SOFTMAX_OPS: OpConverters = {
  Softmax: softmax('Softmax'),
  LogSoftmax: softmax('LogSoftmax'),
};
