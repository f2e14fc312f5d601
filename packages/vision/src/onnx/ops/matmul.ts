import { ModelLoadError } from '../../errors';
import type { ConversionContext } from '../context';
import { attrBool } from '../tf-attrs';
import type { TfNode } from '../tf-graph';
import { type TensorValue, UNKNOWN } from '../values';
import { emitActivation } from './activation';
import { readFusedOps } from './fused-ops';
import type { OpConverter, OpConverters } from './op-converter';

/** MatMul / _FusedMatMul on 2-D operands → ONNX Gemm (bias as C), then the fused activation. */
function matmul(fused: boolean): OpConverter {
  return (ctx: ConversionContext, node: TfNode): TensorValue => {
    const a = ctx.rankedInput(node, 0, [2]);
    const b = ctx.rankedInput(node, 1, [2]);
    const transA = attrBool(node, 'transpose_a', false);
    const transB = attrBool(node, 'transpose_b', false);
    const rows = a.shape[transA ? 1 : 0] as number;
    const innerA = a.shape[transA ? 0 : 1] as number;
    const innerB = b.shape[transB ? 1 : 0] as number;
    const cols = b.shape[transB ? 0 : 1] as number;
    if (innerA !== UNKNOWN && innerB !== UNKNOWN && innerA !== innerB) {
      throw new ModelLoadError(
        `node '${node.name}' (${node.op}): inner sizes ${innerA} and ${innerB} differ`,
      );
    }
    const extra = fused ? readFusedOps(ctx, node, 2) : {};
    const inputs = [ctx.runtime(a), ctx.runtime(b)];
    if (extra.bias !== undefined) inputs.push(ctx.runtime(extra.bias));
    const name = ctx.emit('Gemm', inputs, extra.activation === undefined ? node.name : `${node.name}/gemm`, {
      transA: { i: transA ? 1 : 0 },
      transB: { i: transB ? 1 : 0 },
    });
    const out: TensorValue = { kind: 'tensor', name, shape: [rows, cols], dtype: 'float32' };
    return extra.activation === undefined ? out : emitActivation(ctx, out, extra.activation, node.name);
  };
}

export const MATMUL_OPS: OpConverters = {
  MatMul: matmul(false),
  _FusedMatMul: matmul(true),
};
