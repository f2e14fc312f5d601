import type { ConversionContext } from '../context';
import { readPadding, requireNhwc, resolvePadding, spatialAttr } from '../padding';
import type { TfNode } from '../tf-graph';
import type { TensorValue } from '../values';
import { asTensor } from './activation';
import type { OpConverter, OpConverters } from './op-converter';

/**
 * AvgPool / MaxPool. TF's SAME average leaves the padding out of the count, as ONNX's
 * `count_include_pad = 0` does; a max over padding is a max over the real pixels in both. A VALID window as
 * large as the whole input is a global pool.
 */
function pool(kind: 'Average' | 'Max'): OpConverter {
  return (ctx: ConversionContext, node: TfNode): TensorValue => {
    requireNhwc(node);
    const x = asTensor(ctx, ctx.rankedInput(node, 0, [4]));
    const kernel = spatialAttr(node, 'ksize');
    const strides = spatialAttr(node, 'strides');
    const padding = readPadding(node);
    const { pads, output } = resolvePadding(node, padding, {
      input: [x.shape[1] as number, x.shape[2] as number],
      kernel,
      strides,
      dilations: [1, 1],
    });
    const shape = [x.shape[0] as number, output[0], output[1], x.shape[3] as number];
    const global = padding.kind === 'VALID' && kernel[0] === x.shape[1] && kernel[1] === x.shape[2];
    const name = global
      ? ctx.emit(`Global${kind}Pool`, [x.name], node.name)
      : ctx.emit(kind === 'Average' ? 'AveragePool' : 'MaxPool', [x.name], node.name, {
          kernel_shape: { ints: kernel },
          strides: { ints: strides },
          pads: { ints: pads },
          ...(kind === 'Average' ? { count_include_pad: { i: 0 } } : {}),
        });
    return { kind: 'tensor', name, shape, dtype: 'float32' };
  };
}

export const POOL_OPS: OpConverters = {
  AvgPool: pool('Average'),
  MaxPool: pool('Max'),
};
