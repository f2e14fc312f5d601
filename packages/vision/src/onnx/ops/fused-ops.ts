import { UnsupportedOpError } from '../../errors';
import type { ConversionContext } from '../context';
import { attrInt, attrStrings } from '../tf-attrs';
import type { TfNode } from '../tf-graph';
import type { Value } from '../values';
import { type Activation, fusedActivation } from './activation';

/** What a TF.js fused node adds after its main op: `fused_ops` = [BiasAdd] or [BiasAdd, <activation>]. */
export interface FusedOps {
  bias?: Value;
  activation?: Activation;
}

/** Reads `fused_ops` and the extra arguments (bias, then Prelu's alpha) that start at input `firstArg`. */
export function readFusedOps(ctx: ConversionContext, node: TfNode, firstArg: number): FusedOps {
  const ops = attrStrings(node, 'fused_ops', []);
  if (ops.length === 0) return {};
  const numArgs = attrInt(node, 'num_args', ctx.inputCount(node) - firstArg);
  const [first, activation, ...rest] = ops;
  if (first !== 'BiasAdd' || rest.length > 0) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `fused_ops [${ops.join(', ')}] (supported: BiasAdd, optionally followed by one activation)`,
    );
  }
  const expected = activation === 'Prelu' ? 2 : 1;
  if (numArgs !== expected || ctx.inputCount(node) < firstArg + expected) {
    throw new UnsupportedOpError(
      node.op,
      node.name,
      `fused_ops [${ops.join(', ')}] with ${numArgs} extra arguments (expected ${expected})`,
    );
  }
  const bias = ctx.input(node, firstArg);
  if (bias.shape.length !== 1) {
    throw new UnsupportedOpError(node.op, node.name, `a bias of rank ${bias.shape.length} (expected 1)`);
  }
  if (activation === undefined) return { bias };
  const alpha = activation === 'Prelu' ? ctx.input(node, firstArg + 1) : undefined;
  return { bias, activation: fusedActivation(node, activation, alpha) };
}
