import type { ConversionContext } from '../context';
import type { TfNode } from '../tf-graph';
import type { Value } from '../values';

/** Translates one TF node into ONNX nodes (added through `ctx`) and returns the value of its output 0. */
export type OpConverter = (ctx: ConversionContext, node: TfNode) => Value;

/** A family of converters, by TF op name. */
export type OpConverters = Readonly<Record<string, OpConverter>>;
