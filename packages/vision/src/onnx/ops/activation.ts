import { UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { attrFloat } from '../tf-attrs';
import type { TfNode } from '../tf-graph';
import type { TensorValue, Value } from '../values';
import type { OpConverters } from './op-converter';

/** An activation, standalone or fused into a convolution or matmul. */
export type Activation =
  | { kind: 'Relu' | 'Relu6' | 'Elu' | 'Selu' | 'Sigmoid' | 'Tanh' | 'Softplus' }
  | { kind: 'LeakyRelu'; alpha: number }
  | { kind: 'Prelu'; alpha: Value };

/** ONNX ops that match TF's activation of the same name exactly (ONNX Selu's defaults are TF's constants). */
const DIRECT: Readonly<Record<string, string>> = {
  Relu: 'Relu',
  Elu: 'Elu',
  Selu: 'Selu',
  Sigmoid: 'Sigmoid',
  Tanh: 'Tanh',
  Softplus: 'Softplus',
};

/** Applies `activation` to a runtime tensor. */
export function emitActivation(
  ctx: ConversionContext,
  x: TensorValue,
  activation: Activation,
  base: string,
): TensorValue {
  const out = (name: string): TensorValue => ({ kind: 'tensor', name, shape: x.shape, dtype: x.dtype });
  switch (activation.kind) {
    case 'Relu6':
      return out(ctx.emit('Clip', [x.name, ctx.floatScalar(0), ctx.floatScalar(6)], base));
    case 'LeakyRelu':
      return out(ctx.emit('LeakyRelu', [x.name], base, { alpha: { f: activation.alpha } }));
    case 'Prelu': {
      // ONNX PRelu broadcasts the slope onto X: lay it out like any element-wise operand.
      const slope = ctx.broadcastOperand(activation.alpha, x.shape.length, `${base}/alpha`);
      return out(ctx.emit('PRelu', [x.name, slope], base));
    }
    default:
      return out(ctx.emit(DIRECT[activation.kind] as string, [x.name], base));
  }
}

/** The runtime tensor of a value (a constant becomes an initializer). */
export function asTensor(ctx: ConversionContext, value: Value): TensorValue {
  if (value.kind === 'tensor') return value;
  return { kind: 'tensor', name: ctx.runtime(value), shape: value.shape, dtype: value.dtype };
}

function simple(kind: Exclude<Activation['kind'], 'LeakyRelu' | 'Prelu'>) {
  return (ctx: ConversionContext, node: TfNode) =>
    emitActivation(ctx, asTensor(ctx, ctx.input(node, 0)), { kind }, node.name);
}

export const ACTIVATION_OPS: OpConverters = {
  Relu: simple('Relu'),
  Relu6: simple('Relu6'),
  Elu: simple('Elu'),
  Selu: simple('Selu'),
  Sigmoid: simple('Sigmoid'),
  Tanh: simple('Tanh'),
  Softplus: simple('Softplus'),
  LeakyRelu: (ctx, node) =>
    emitActivation(
      ctx,
      asTensor(ctx, ctx.input(node, 0)),
      { kind: 'LeakyRelu', alpha: attrFloat(node, 'alpha', 0.2) },
      node.name,
    ),
  Prelu: (ctx, node) =>
    emitActivation(
      ctx,
      asTensor(ctx, ctx.input(node, 0)),
      { kind: 'Prelu', alpha: ctx.input(node, 1) },
      node.name,
    ),
};

/** TF names of the activations that `_FusedConv2D`, `FusedDepthwiseConv2dNative` and `_FusedMatMul` fuse. */
export function fusedActivation(node: TfNode, name: string, alpha: Value | undefined): Activation {
  switch (name) {
    case 'Relu':
    case 'Relu6':
    case 'Elu':
    case 'Selu':
    case 'Sigmoid':
    case 'Tanh':
      return { kind: name };
    case 'LeakyRelu':
      return { kind: 'LeakyRelu', alpha: attrFloat(node, 'leakyrelu_alpha', 0.2) };
    case 'Prelu':
      if (alpha === undefined) {
        throw new UnsupportedOpError(node.op, node.name, 'fused Prelu without its alpha argument');
      }
      return { kind: 'Prelu', alpha };
    default:
      throw new UnsupportedOpError(node.op, node.name, `fused op '${name}' is not supported`);
  }
}
