import { ModelLoadError } from '../../errors';
import type { ConversionContext } from '../context';
import { requireNhwc } from '../padding';
import type { TfNode } from '../tf-graph';
import { broadcastShapes, type Dims, type TensorValue, type Value } from '../values';
import { asTensor } from './activation';
import type { OpConverter, OpConverters } from './op-converter';

function resultShape(node: TfNode, operands: readonly Value[]): Dims {
  let shape: Dims = [];
  for (const v of operands) {
    const next = broadcastShapes(shape, v.shape);
    if (next === undefined) {
      throw new ModelLoadError(
        `node '${node.name}' (${node.op}): shapes ${operands.map((o) => `[${o.shape.join(',')}]`).join(' and ')} do not broadcast`,
      );
    }
    shape = next;
  }
  return shape;
}

/** An ONNX element-wise op over broadcast operands (TF and ONNX both broadcast like NumPy). */
export function emitElementwise(
  ctx: ConversionContext,
  node: TfNode,
  onnxOp: string,
  operands: readonly Value[],
  base = node.name,
): TensorValue {
  const shape = resultShape(node, operands);
  const names = operands.map((v, i) => ctx.broadcastOperand(v, shape.length, `${base}/in${i}`));
  const dtype = operands.some((v) => v.dtype === 'float32') ? 'float32' : 'int32';
  return { kind: 'tensor', name: ctx.emit(onnxOp, names, base), shape, dtype };
}

function binary(onnxOp: string): OpConverter {
  return (ctx, node) => emitElementwise(ctx, node, onnxOp, [ctx.input(node, 0), ctx.input(node, 1)]);
}

function unary(onnxOp: string): OpConverter {
  return (ctx, node) => {
    const x = asTensor(ctx, ctx.input(node, 0));
    return { ...x, name: ctx.emit(onnxOp, [x.name], node.name) };
  };
}

export const ELEMENTWISE_OPS: OpConverters = {
  Add: binary('Add'),
  AddV2: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Div: binary('Div'),
  Maximum: binary('Max'),
  Minimum: binary('Min'),
  Pow: binary('Pow'),
  // bias [C] on the channel axis: TF's trailing-axis broadcasting, which broadcastOperand lays out as [1,C,1,1].
  BiasAdd: (ctx, node) => {
    requireNhwc(node);
    return emitElementwise(ctx, node, 'Add', [ctx.input(node, 0), ctx.rankedInput(node, 1, [1])]);
  },
  AddN: (ctx, node) =>
    emitElementwise(
      ctx,
      node,
      'Sum',
      Array.from({ length: ctx.inputCount(node) }, (_, i) => ctx.input(node, i)),
    ),
  SquaredDifference: (ctx, node) => {
    const diff = emitElementwise(
      ctx,
      node,
      'Sub',
      [ctx.input(node, 0), ctx.input(node, 1)],
      `${node.name}/diff`,
    );
    return { ...diff, name: ctx.emit('Mul', [diff.name, diff.name], node.name) };
  },
  Square: (ctx, node) => {
    const x = asTensor(ctx, ctx.input(node, 0));
    return { ...x, name: ctx.emit('Mul', [x.name, x.name], node.name) };
  },
  Rsqrt: (ctx, node) => {
    const x = asTensor(ctx, ctx.input(node, 0));
    const root = ctx.emit('Sqrt', [x.name], `${node.name}/sqrt`);
    return { ...x, name: ctx.emit('Reciprocal', [root], node.name) };
  },
  Abs: unary('Abs'),
  Neg: unary('Neg'),
  Exp: unary('Exp'),
  Log: unary('Log'),
  Sqrt: unary('Sqrt'),
  Reciprocal: unary('Reciprocal'),
};
