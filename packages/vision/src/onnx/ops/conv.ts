import { ModelLoadError, UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { transposeData } from '../layout';
import { readPadding, requireNhwc, resolvePadding, spatialAttr } from '../padding';
import type { TfNode } from '../tf-graph';
import { type ConstValue, type TensorValue, UNKNOWN, type Value } from '../values';
import { asTensor, emitActivation } from './activation';
import { readFusedOps } from './fused-ops';
import type { OpConverter, OpConverters } from './op-converter';

/** HWIO filter [kh, kw, in, out] → ONNX OIHW [out, in, kh, kw]. */
function convWeights(filter: ConstValue): { data: Float32Array; shape: number[] } {
  return transposeData(filter.data as Float32Array, filter.shape, [3, 2, 0, 1]);
}

/**
 * Depthwise filter [kh, kw, C, M] → ONNX [C·M, 1, kh, kw] for a Conv with group = C. TF's output channel
 * c·M + m reads input channel c, which is ONNX's grouping (group c makes output channels c·M … c·M + M − 1).
 */
function depthwiseWeights(filter: ConstValue): { data: Float32Array; shape: number[] } {
  const [kh, kw, c, m] = filter.shape as [number, number, number, number];
  return transposeData(filter.data as Float32Array, [kh, kw, 1, c * m], [3, 2, 0, 1]);
}

function convolution(depthwise: boolean, fused: boolean): OpConverter {
  return (ctx: ConversionContext, node: TfNode): Value => {
    requireNhwc(node);
    const x = asTensor(ctx, ctx.rankedInput(node, 0, [4]));
    const filter = ctx.constInput(node, 1, 'filter');
    if (filter.shape.length !== 4 || filter.dtype !== 'float32') {
      throw new UnsupportedOpError(node.op, node.name, `a filter of shape [${filter.shape.join(',')}]`);
    }
    const [kh, kw, filterIn, filterOut] = filter.shape as [number, number, number, number];
    const inChannels = x.shape[3] as number;
    if (inChannels !== UNKNOWN && inChannels !== filterIn) {
      throw new UnsupportedOpError(
        node.op,
        node.name,
        `the input has ${inChannels} channels but the filter expects ${filterIn} (grouped convolution)`,
      );
    }
    const strides = spatialAttr(node, 'strides');
    const dilations = spatialAttr(node, 'dilations');
    const { pads, output } = resolvePadding(node, readPadding(node), {
      input: [x.shape[1] as number, x.shape[2] as number],
      kernel: [kh, kw],
      strides,
      dilations,
    });
    const weights = depthwise ? depthwiseWeights(filter) : convWeights(filter);
    const outChannels = depthwise ? filterIn * filterOut : filterOut;
    const inputs = [x.name, ctx.builder.addInitializer(`${filter.source}/oihw`, weights.data, weights.shape)];

    const extra = fused ? readFusedOps(ctx, node, 2) : {};
    if (extra.bias !== undefined) {
      if (extra.bias.shape[0] !== outChannels) {
        throw new ModelLoadError(
          `node '${node.name}': bias of ${extra.bias.shape[0]} for ${outChannels} channels`,
        );
      }
      inputs.push(ctx.runtime(extra.bias));
    }
    const name = ctx.emit('Conv', inputs, extra.activation === undefined ? node.name : `${node.name}/conv`, {
      kernel_shape: { ints: [kh, kw] },
      strides: { ints: strides },
      dilations: { ints: dilations },
      pads: { ints: pads },
      group: { i: depthwise ? filterIn : 1 },
    });
    const conv: TensorValue = {
      kind: 'tensor',
      name,
      dtype: 'float32',
      shape: [x.shape[0] as number, output[0], output[1], outChannels],
    };
    return extra.activation === undefined ? conv : emitActivation(ctx, conv, extra.activation, node.name);
  };
}

export const CONV_OPS: OpConverters = {
  Conv2D: convolution(false, false),
  _FusedConv2D: convolution(false, true),
  DepthwiseConv2dNative: convolution(true, false),
  DepthwiseConv2d: convolution(true, false),
  FusedDepthwiseConv2dNative: convolution(true, true),
};
