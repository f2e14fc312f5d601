import type { OpConverters } from './op-converter';

/** Ops that pass their input through unchanged: no ONNX node at all. */
export const IDENTITY_OPS: OpConverters = {
  Identity: (ctx, node) => ctx.input(node, 0),
  StopGradient: (ctx, node) => ctx.input(node, 0),
  Snapshot: (ctx, node) => ctx.input(node, 0),
};
