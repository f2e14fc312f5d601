import { ModelLoadError, UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { attrInts, hasAttr } from '../tf-attrs';
import type { TfNode } from '../tf-graph';
import { constInts, normaliseAxis, sizeOf, type TensorValue, UNKNOWN } from '../values';
import { asTensor } from './activation';
import type { OpConverters } from './op-converter';

function squeeze(ctx: ConversionContext, node: TfNode): TensorValue {
  const x = asTensor(ctx, ctx.input(node, 0));
  const rank = x.shape.length;
  // TF.js graphs carry `squeeze_dims` (the attribute's old name) or `axis`.
  const listed = hasAttr(node, 'squeeze_dims')
    ? attrInts(node, 'squeeze_dims', [])
    : attrInts(node, 'axis', []);
  const axes =
    listed.length === 0
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : listed.map((a) => {
          const n = normaliseAxis(a, rank);
          if (n === undefined || (x.shape[n] !== 1 && x.shape[n] !== UNKNOWN)) {
            throw new ModelLoadError(
              `node '${node.name}': cannot squeeze axis ${a} of [${x.shape.join(',')}]`,
            );
          }
          return n;
        });
  return ctx.squeeze(x, axes, node.name);
}

/** TF Reshape with a constant target shape; the data is reshaped in TF's (logical) axis order. */
function reshape(ctx: ConversionContext, node: TfNode): TensorValue {
  const x = asTensor(ctx, ctx.input(node, 0));
  const target = constInts(ctx.constInput(node, 1, 'target shape'));
  if (target.some((d) => d === 0 || d < UNKNOWN) || target.filter((d) => d === UNKNOWN).length > 1) {
    throw new UnsupportedOpError(node.op, node.name, `target shape [${target.join(',')}]`);
  }
  let shape = target;
  const known = sizeOf(target.filter((d) => d !== UNKNOWN));
  if (target.includes(UNKNOWN) && !x.shape.includes(UNKNOWN)) {
    shape = target.map((d) => (d === UNKNOWN ? sizeOf(x.shape) / known : d));
  }
  const name = ctx.emit('Reshape', [ctx.plain(x, node.name), ctx.int64(target)], `${node.name}/reshape`);
  return ctx.fromPlain(name, shape, node.name, x.dtype);
}

function expandDims(ctx: ConversionContext, node: TfNode): TensorValue {
  const x = asTensor(ctx, ctx.input(node, 0));
  const [axisValue] = constInts(ctx.constInput(node, 1, 'axis'));
  const axis = normaliseAxis(axisValue ?? 0, x.shape.length + 1);
  if (axis === undefined) throw new UnsupportedOpError(node.op, node.name, `axis ${String(axisValue)}`);
  const shape = [...x.shape.slice(0, axis), 1, ...x.shape.slice(axis)];
  const name = ctx.emit('Unsqueeze', [ctx.plain(x, node.name), ctx.int64([axis])], `${node.name}/unsqueeze`);
  return ctx.fromPlain(name, shape, node.name, x.dtype);
}

export const RESHAPE_OPS: OpConverters = {
  Squeeze: squeeze,
  Reshape: reshape,
  ExpandDims: expandDims,
};
