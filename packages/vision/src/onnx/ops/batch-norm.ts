import { UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { requireNhwc } from '../padding';
import { attrBool, attrFloat } from '../tf-attrs';
import type { TfNode } from '../tf-graph';
import type { TensorValue } from '../values';
import { asTensor } from './activation';
import type { OpConverters } from './op-converter';

/**
 * Inference-mode FusedBatchNorm(V2/V3): inputs x, scale, offset, mean, variance → ONNX BatchNormalization,
 * whose channel axis 1 is the channel of an NCHW tensor (rank 4) and of an [N, C] one.
 */
function batchNorm(ctx: ConversionContext, node: TfNode): TensorValue {
  requireNhwc(node);
  if (attrBool(node, 'is_training', false)) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      'is_training is set (only inference batch norm converts)',
    );
  }
  const x = asTensor(ctx, ctx.rankedInput(node, 0, [2, 4]));
  const params = [1, 2, 3, 4].map((i) => ctx.runtime(ctx.rankedInput(node, i, [1])));
  const name = ctx.emit('BatchNormalization', [x.name, ...params], node.name, {
    // Absent epsilon: TF.js's default (0.001), since TF.js is the runtime these graphs were made for.
    epsilon: { f: attrFloat(node, 'epsilon', 0.001) },
  });
  return { ...x, name };
}

export const BATCH_NORM_OPS: OpConverters = {
  FusedBatchNorm: batchNorm,
  FusedBatchNormV2: batchNorm,
  FusedBatchNormV3: batchNorm,
};
